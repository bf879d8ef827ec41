//! The choice before a charge exists: PIX or boleto, the number of installments where the class allows, and the
//! button that makes the charge. The button waits while its request runs (the wasm disables it; on the plain page
//! `shell/enhance.js` sends the form once), but that is a courtesy: the server is what makes a double click (or a
//! retry after a lost answer) yield one charge.

use leptos::{form::ActionForm, prelude::*};
use uuid::Uuid;

use super::{
    api::OpenCharge,
    types::{PayBy, installment_plan},
};
use crate::i18n::{Text, format_brl, t, ts, use_locale};
use crate::ui::{Button, FOCUS_RING, FormAlert, SelectField, field_error, form_error};

const HOW: Text = Text::new("Como você quer pagar?", "How do you want to pay?");
const PIX: Text = Text::new("PIX", "PIX");
const PIX_HINT: Text = Text::new("Confirmação em minutos", "Confirmed in minutes");
const BOLETO: Text = Text::new("Boleto", "Boleto");
const BOLETO_HINT: Text =
    Text::new("Vence em 3 dias; confirma em até 3 dias úteis", "Due in 3 days; clears in up to 3 business days");
const INSTALLMENTS: Text = Text::new("Parcelas", "Installments");
const MAKE_PIX: Text = Text::new("Gerar PIX", "Generate PIX");
const MAKE_BOLETO: Text = Text::new("Gerar boleto", "Generate boleto");
const AT_ONCE: Text = Text::new("À vista", "Single payment");

#[component]
pub fn Choose(id: Uuid, fee_cents: i64, max_installments: u32, done: Callback<()>) -> impl IntoView {
    let installments = RwSignal::new("1".to_string());
    let action = ServerAction::<OpenCharge>::new();
    let result = action.value();
    // Made: the page reads the charge again (and keeps the button disabled until it shows the charge).
    let made = RwSignal::new(false);
    Effect::new(move || {
        if let Some(Ok(_)) = result.get() {
            made.set(true);
            done.run(());
        }
    });
    let locale = use_locale();
    let options = Signal::derive(move || {
        let at_once = AT_ONCE.get(locale.get());
        (1..=max_installments.max(1)).map(|n| (n.to_string(), installment_label(fee_cents, n, at_once))).collect()
    });
    let busy = Signal::derive(move || action.pending().get() || made.get());
    // Plain HTML first (the page ships no wasm): the chosen card and the button's words follow the checked radio
    // through CSS; a plain post comes back to this page, which then shows the charge (`open_charge` redirects).
    view! {
        <ActionForm action attr:class="group mt-5 space-y-4" attr:novalidate=true attr:data-testid="payment-choose">
            <input type="hidden" name="id" value=id.to_string() />
            <fieldset>
                <legend class="text-sm font-semibold text-slate-900">{t(HOW)}</legend>
                <div class="mt-2 grid grid-cols-2 gap-2">
                    <Method value=PayBy::Pix label=PIX hint=PIX_HINT test_id="pay-by-pix" />
                    <Method value=PayBy::Boleto label=BOLETO hint=BOLETO_HINT test_id="pay-by-boleto" />
                </div>
            </fieldset>
            {(max_installments > 1).then(|| view! {
                <SelectField label=ts(INSTALLMENTS) name="installments" options value=installments
                    error=field_error(result, "installments") test_id="payment-installments" />
            })}
            <FormAlert message=form_error(result, &["installments"]) />
            <Button button_type="submit" busy test_id="payment-make">
                <span class="group-has-[#pay-by-boleto:checked]:hidden">{t(MAKE_PIX)}</span>
                <span class="hidden group-has-[#pay-by-boleto:checked]:inline">{t(MAKE_BOLETO)}</span>
            </Button>
        </ActionForm>
    }
}

/// One way to pay: a radio button drawn as a card (arrow keys move between the two, as radios do). PIX starts
/// checked.
#[component]
fn Method(value: PayBy, label: Text, hint: Text, test_id: &'static str) -> impl IntoView {
    view! {
        <label class="flex cursor-pointer flex-col rounded-lg border border-slate-300 bg-white p-3 text-sm has-[:checked]:border-indigo-600 has-[:checked]:bg-indigo-50 has-[:checked]:ring-1 has-[:checked]:ring-indigo-600 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-600">
            <span class="flex items-center gap-2">
                <input type="radio" name="by" id=test_id value=value.code() class=format!("size-4 accent-indigo-600 {FOCUS_RING}") data-testid=test_id
                    checked=value == PayBy::Pix />
                <span class="font-semibold text-slate-900">{t(label)}</span>
            </span>
            <span class="mt-1 text-xs text-slate-600">{t(hint)}</span>
        </label>
    }
}

/// "À vista — R$ 200,00", "2 × R$ 100,00", or "R$ 66,68 + 2 × R$ 66,66" when Asaas puts the odd cents on the
/// first installment.
fn installment_label(fee_cents: i64, count: u32, at_once: &str) -> String {
    let plan = installment_plan(fee_cents, count, chrono::NaiveDate::MIN);
    match plan.as_slice() {
        [] => String::new(),
        [only] => format!("{at_once} — {}", format_brl(only.value_cents)),
        [first, rest @ ..] if rest.iter().all(|i| i.value_cents == first.value_cents) => {
            format!("{count} × {}", format_brl(first.value_cents))
        }
        [first, rest @ ..] => {
            format!("{} + {} × {}", format_brl(first.value_cents), rest.len(), format_brl(rest[0].value_cents))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installment_labels_say_what_each_payment_is() {
        assert_eq!(installment_label(20_000, 1, "À vista"), "À vista — R$ 200,00");
        assert_eq!(installment_label(20_000, 2, "À vista"), "2 × R$ 100,00");
        assert_eq!(installment_label(20_000, 3, "À vista"), "R$ 66,68 + 2 × R$ 66,66");
    }
}
