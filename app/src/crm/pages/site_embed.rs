//! On the stage setup page, the owner's "form on your site": the one site allowed to embed the public form, and
//! the `<iframe>` snippet to paste there.

use leptos::prelude::*;

use crate::crm::embed::{SaveSiteOrigin, load_embed_settings};
use crate::i18n::{Text, t, ts};
use crate::ui::{Button, Card, ErrorAlert, FormAlert, TextField, field_error, form_error, toast_outcome};

const TITLE: Text = Text::new("Formulário no seu site", "Form on your website");
const INTRO: Text = Text::new(
    "Informe o endereço do seu site para incorporar o formulário de simulação nele. Só esse site poderá exibi-lo.",
    "Enter your website's address to embed the simulation form in it. Only that site may show it.",
);
const ORIGIN: Text = Text::new("Endereço do site", "Website address");
const SAVE: Text = Text::new("Salvar endereço", "Save address");
const SAVED: Text = Text::new("Endereço salvo.", "Address saved.");
const SNIPPET: Text = Text::new("Copie este código no HTML do seu site:", "Copy this code into your site's HTML:");
const NOT_YET: Text = Text::new(
    "Sem endereço, o formulário não pode ser exibido em outro site.",
    "Without an address, the form cannot be shown on another site.",
);

#[component]
pub fn SiteEmbed() -> impl IntoView {
    let settings = Resource::new(|| (), |()| load_embed_settings());
    let origin = RwSignal::new(String::new());
    let save = ServerAction::<SaveSiteOrigin>::new();
    let result = save.value();
    Effect::new(move || {
        if let Some(Ok(saved)) = settings.get() {
            origin.set(saved.site_origin.unwrap_or_default());
        }
    });
    Effect::new(move || toast_outcome(result.get().filter(Result::is_ok).map(|_| Ok(SAVED)), || settings.refetch()));
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        save.dispatch(SaveSiteOrigin { site_origin: origin.get_untracked() });
    };
    view! {
        <section class="mb-8" data-testid="site-embed">
            <h2 class="mb-1 text-lg font-semibold text-slate-900">{t(TITLE)}</h2>
            <p class="mb-3 text-sm text-slate-600">{t(INTRO)}</p>
            <Card>
                <form class="flex flex-wrap items-start gap-3" on:submit=submit novalidate>
                    <TextField label=ts(ORIGIN) name="site_origin" input_type="url" value=origin placeholder=Signal::stored("https://www.suaempresa.com.br".to_string()) error=field_error(result, "site_origin") test_id="site-origin" />
                    <div class="pt-6">
                        <Button button_type="submit" busy=save.pending() test_id="site-origin-save">{t(SAVE)}</Button>
                    </div>
                </form>
                <FormAlert message=form_error(result, &["site_origin"]) />
                <Transition fallback=|| ()>
                    {move || settings.get().map(|answer| match answer {
                        Ok(settings) if settings.site_origin.is_some() => view! {
                            <p class="mt-4 text-sm text-slate-700">{t(SNIPPET)}</p>
                            <pre class="mt-2 overflow-x-auto whitespace-pre-wrap break-all rounded-md bg-slate-900 p-3 text-xs text-slate-100" data-testid="site-embed-snippet">{settings.snippet}</pre>
                        }.into_any(),
                        Ok(_) => view! { <p class="mt-4 text-sm text-slate-600">{t(NOT_YET)}</p> }.into_any(),
                        Err(error) => view! { <ErrorAlert error /> }.into_any(),
                    })}
                </Transition>
            </Card>
        </section>
    }
}
