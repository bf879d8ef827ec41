//! The live channel, shown working: a short note typed on one screen appears on every other screen of the tenant
//! watching the `demo` topic, with who is here. It sits on the jobs page rather than the public design gallery
//! because `/ws` needs a signed-in session.
//!
//! The note is kept (in the audit log, as who sent what) and the component refetches it on every event and every
//! resync, the pattern every live page follows: a screen that was offline while a note was sent shows it once back.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::Event;
use super::{Activity, Topic, use_live};
use crate::i18n::{Text, t, ts};
use crate::platform::AppError;
use crate::ui::{Badge, Button, ButtonKind, Card, TextField, Tone, field_error};

const TITLE: Text = Text::new("Ao vivo", "Live");
const HINT: Text = Text::new(
    "Uma nota enviada aqui aparece na hora para todos que estão nesta página.",
    "A note sent here shows up at once for everyone on this page.",
);
const NOTE: Text = Text::new("Nota", "Note");
const SEND: Text = Text::new("Enviar", "Send");
const HERE: Text = Text::new("Aqui agora", "Here now");
const NOBODY: Text = Text::new("Conectando…", "Connecting…");
const LAST: Text = Text::new("Última nota", "Last note");
const NO_NOTE: Text = Text::new("Nenhuma nota ainda.", "No note yet.");

/// Sends `text` to everyone of the tenant watching the demo topic.
#[server(endpoint = "live/demo")]
pub async fn send_live_demo(text: String) -> Result<(), AppError> {
    use crate::platform::auth::Role;
    let text = note(&text)?;
    let mut access = crate::platform::auth::require(Role::BACKOFFICE).await?;
    let details = serde_json::json!({ "text": text });
    crate::platform::audit::record(&mut access.tx, Some(access.viewer.user_id), AUDIT_ACTION, "demo", details).await?;
    super::publish(&mut access.tx, Topic::Demo, &Event::Demo { text }).await?;
    access.tx.commit().await?;
    Ok(())
}

/// The last note sent in the tenant (empty before the first).
#[server(endpoint = "live/demo/last")]
pub async fn load_last_live_demo() -> Result<String, AppError> {
    use crate::platform::auth::Role;
    let mut access = crate::platform::auth::require(Role::BACKOFFICE).await?;
    let text: Option<String> = sqlx::query_scalar(
        "select details->>'text' from audit_log where action = $1 order by at desc, id desc limit 1",
    )
    .bind(AUDIT_ACTION)
    .fetch_optional(access.tx.conn())
    .await?
    .flatten();
    access.tx.commit().await?;
    Ok(text.unwrap_or_default())
}

#[cfg(feature = "ssr")]
const AUDIT_ACTION: &str = "live.demo";

/// The note as sent: trimmed, not empty, at most 200 characters.
#[cfg(feature = "ssr")]
fn note(text: &str) -> Result<String, AppError> {
    const EMPTY: Text = Text::new("Escreva a nota.", "Write the note.");
    const LONG: Text = Text::new("No máximo 200 caracteres.", "At most 200 characters.");
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid("text", EMPTY));
    }
    if text.chars().count() > 200 {
        return Err(AppError::invalid("text", LONG));
    }
    Ok(text.to_string())
}

#[component]
pub fn LiveDemo() -> impl IntoView {
    let live = use_live(Topic::Demo);
    live.set_activity(Activity::Viewing);
    let note = RwSignal::new(String::new());
    let send = ServerAction::<SendLiveDemo>::new();
    let result = send.value();
    Effect::new(move || {
        if matches!(result.get(), Some(Ok(()))) {
            note.set(String::new());
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        send.dispatch(SendLiveDemo { text: note.get_untracked() });
    };
    let last = Resource::new(|| (), |()| load_last_live_demo());
    live.on_change(move || last.refetch());
    // One badge per person, however many tabs they have open here.
    let people = live.people();
    let here = Memo::new(move |_| {
        let mut seen = std::collections::HashSet::new();
        people.get().into_iter().filter(|present| seen.insert(present.user_id)).collect::<Vec<_>>()
    });
    view! {
        <Card>
            <div class="flex flex-wrap items-start justify-between gap-4" data-testid="live-demo">
                <div class="min-w-0 flex-1 space-y-3">
                    <div>
                        <h2 class="text-base font-semibold text-slate-900">{t(TITLE)}</h2>
                        <p class="text-sm text-slate-600">{t(HINT)}</p>
                    </div>
                    <form class="flex items-end gap-2" on:submit=submit novalidate data-testid="live-demo-form">
                        <div class="flex-1">
                            <TextField label=ts(NOTE) name="text" value=note error=field_error(result, "text") test_id="live-demo-text" />
                        </div>
                        <Button kind=ButtonKind::Secondary button_type="submit" busy=send.pending() test_id="live-demo-send">{t(SEND)}</Button>
                    </form>
                    <p class="text-sm text-slate-700">
                        <span class="font-medium">{t(LAST)} ": "</span>
                        <Transition fallback=|| ()>
                            <span data-testid="live-demo-last">
                                {move || Suspend::new(async move {
                                    match last.await {
                                        Ok(text) if !text.is_empty() => text.into_any(),
                                        _ => t(NO_NOTE).into_any(),
                                    }
                                })}
                            </span>
                        </Transition>
                    </p>
                </div>
                <div class="min-w-48">
                    <h3 class="text-xs font-medium uppercase tracking-wide text-slate-500">{t(HERE)}</h3>
                    <ul class="mt-2 flex flex-wrap gap-1.5" data-testid="live-presence">
                        <Show when=move || here.with(|people| !people.is_empty()) fallback=|| view! { <li class="text-sm text-slate-500">{t(NOBODY)}</li> }>
                            <For each=move || here.get() key=|present| present.user_id let:present>
                                <li data-testid="live-present"><Badge tone=Tone::Info>{present.name}</Badge></li>
                            </For>
                        </Show>
                    </ul>
                </div>
            </div>
        </Card>
    }
}
