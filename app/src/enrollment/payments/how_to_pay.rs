//! How to pay a charge already made: PIX (QR code, copia-e-cola with a copy button, expiry) or boleto (link to
//! the PDF, digitable line with a copy button, due date), and the installments when there is more than one.

use leptos::prelude::*;

use super::types::{ChargeView, Installment, PayBy};
use crate::i18n::{Text, format_brl, format_date, t, t_now};
use crate::ui::FOCUS_RING;

const PIX_TITLE: Text = Text::new("Pague com PIX", "Pay with PIX");
const PIX_STEPS: Text = Text::new(
    "Abra o app do seu banco, escolha PIX e leia o QR Code — ou copie o código abaixo e use \"PIX copia e cola\".",
    "Open your bank's app, choose PIX and scan the QR code — or copy the code below and use \"PIX copy and paste\".",
);
const QR_ALT: Text = Text::new("QR Code do PIX", "PIX QR code");
const PIX_CODE: Text = Text::new("PIX copia e cola", "PIX copy and paste");
const EXPIRES: Text = Text::new("Válido até", "Valid until");
const NO_QR: Text = Text::new(
    "O QR Code ainda não chegou do banco. Recarregue a página em instantes.",
    "The QR code has not arrived from the bank yet. Reload the page in a moment.",
);
const BOLETO_TITLE: Text = Text::new("Pague o boleto", "Pay the boleto");
const OPEN_BOLETO: Text = Text::new("Abrir boleto (PDF)", "Open the boleto (PDF)");
const BOLETO_LINE: Text = Text::new("Linha digitável", "Digitable line");
const DUE: Text = Text::new("Vencimento", "Due");
const OPEN_INVOICE: Text = Text::new("Ver a cobrança no site do banco", "See the charge on the bank's site");
const PLAN: Text = Text::new("Parcelas", "Installments");
const PLAN_ROW: Text = Text::new("ª parcela", " installment");
const COPY: Text = Text::new("Copiar", "Copy");
const COPIED: Text = Text::new("Copiado", "Copied");
const COPY_FAILED: Text = Text::new(
    "Não deu para copiar: o código está selecionado, copie pelo menu do celular.",
    "Could not copy: the code is selected, copy it from the phone's menu.",
);

#[component]
pub fn HowToPay(charge: ChargeView) -> impl IntoView {
    let plan = (charge.plan.len() > 1).then(|| view! { <Plan plan=charge.plan.clone() /> });
    let invoice = charge.invoice_url.clone().map(|href| {
        view! {
            <a href=href target="_blank" rel="noopener" class=format!("mt-3 inline-block text-sm font-medium text-indigo-700 hover:text-indigo-600 {FOCUS_RING}")>
                {t(OPEN_INVOICE)}
            </a>
        }
    });
    let how = match charge.by {
        PayBy::Pix => view! { <Pix charge=charge.clone() /> }.into_any(),
        PayBy::Boleto => view! { <Boleto charge=charge.clone() /> }.into_any(),
    };
    view! {
        <div class="mt-5 border-t border-slate-100 pt-4" data-testid="payment-charge" data-by=charge.by.code()>
            {how}
            {plan}
            {invoice}
        </div>
    }
}

#[component]
fn Pix(charge: ChargeView) -> impl IntoView {
    let qr = charge.pix_image.clone().map(|image| {
        view! {
            <img src=format!("data:image/png;base64,{image}") alt=t(QR_ALT) width="224" height="224"
                class="mx-auto size-56 rounded-md border border-slate-200 bg-white p-2" data-testid="pix-qr" />
        }
    });
    let code =
        charge.pix_payload.clone().map(|payload| view! { <Copyable label=PIX_CODE text=payload test_id="pix-code" /> });
    let missing = (charge.pix_payload.is_none()).then(|| view! { <p class="text-sm text-amber-800">{t(NO_QR)}</p> });
    let expires = charge.pix_expires.clone().map(|at| {
        view! { <p class="text-sm text-slate-600" data-testid="pix-expires">{t(EXPIRES)}" "<span class="font-medium tabular-nums text-slate-900">{at}</span></p> }
    });
    view! {
        <div class="space-y-3">
            <h2 class="text-base font-semibold text-slate-900">{t(PIX_TITLE)}</h2>
            <p class="text-sm text-slate-600">{t(PIX_STEPS)}</p>
            {qr}
            {missing}
            {code}
            {expires}
        </div>
    }
}

#[component]
fn Boleto(charge: ChargeView) -> impl IntoView {
    let link = charge.boleto_url.clone().map(|href| {
        view! {
            <a href=href target="_blank" rel="noopener" data-testid="boleto-link"
                class=format!("inline-flex w-full items-center justify-center rounded-md bg-indigo-600 px-3.5 py-2.5 text-sm font-semibold text-white hover:bg-indigo-500 sm:w-auto {FOCUS_RING}")>
                {t(OPEN_BOLETO)}
            </a>
        }
    });
    let line =
        charge.boleto_line.clone().map(|line| view! { <Copyable label=BOLETO_LINE text=line test_id="boleto-line" /> });
    view! {
        <div class="space-y-3">
            <h2 class="text-base font-semibold text-slate-900">{t(BOLETO_TITLE)}</h2>
            {link}
            {line}
            <p class="text-sm text-slate-600" data-testid="boleto-due">
                {t(DUE)}" "<span class="font-medium tabular-nums text-slate-900">{format_date(charge.due_date)}</span>
            </p>
        </div>
    }
}

#[component]
fn Plan(plan: Vec<Installment>) -> impl IntoView {
    view! {
        <div class="mt-4">
            <h3 class="text-sm font-semibold text-slate-900">{t(PLAN)}</h3>
            <ol class="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200 text-sm" data-testid="payment-plan">
                {plan.into_iter().map(|installment| view! {
                    <li class="flex justify-between gap-3 px-3 py-2" data-testid="payment-installment">
                        <span class="text-slate-700">{installment.number}{t(PLAN_ROW)}" · "{format_date(installment.due_date)}</span>
                        <span class="font-medium tabular-nums text-slate-900">{format_brl(installment.value_cents)}</span>
                    </li>
                }).collect_view()}
            </ol>
        </div>
    }
}

/// What the copy button last did.
// On the server nothing is ever copied (the button works once the page hydrates).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Copied {
    Not,
    Yes,
    Failed,
}

/// A code to copy (PIX copia-e-cola, the boleto's line): shown whole in a read-only box, with "Copiar". When the
/// browser refuses the clipboard (an old phone, no HTTPS), the code is selected for the person to copy by hand.
/// On the plain page (no wasm) `shell/enhance.js` does the same from the button's `data-copy*` attributes.
#[component]
fn Copyable(label: Text, text: String, test_id: &'static str) -> impl IntoView {
    let copied = RwSignal::new(Copied::Not);
    let field = NodeRef::<leptos::html::Textarea>::new();
    let id = format!("{test_id}-text");
    let label_for = id.clone();
    let value = text.clone();
    let copy = move |_| {
        copied.set(Copied::Not);
        write_clipboard(&value, copied);
    };
    Effect::new(move || {
        if copied.get() == Copied::Failed
            && let Some(field) = field.get()
        {
            field.select();
        }
    });
    view! {
        <div>
            <label for=label_for class="block text-sm font-medium text-slate-700">{t(label)}</label>
            <div class="mt-1 flex flex-col gap-2 sm:flex-row sm:items-start">
                <textarea id=id.clone() node_ref=field readonly rows="3" data-testid=test_id
                    class=format!("block w-full resize-none break-all rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs text-slate-800 {FOCUS_RING}")>
                    {text}
                </textarea>
                <button type="button" on:click=copy data-testid=format!("{test_id}-copy")
                    data-copy=id.clone() data-copied=t_now(COPIED) data-copy-failed=t_now(COPY_FAILED)
                    class=format!("inline-flex shrink-0 items-center justify-center rounded-md bg-white px-3.5 py-2 text-sm font-semibold text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 {FOCUS_RING}")>
                    {move || if copied.get() == Copied::Yes { t(COPIED)() } else { t(COPY)() }}
                </button>
            </div>
            // Read out to screen readers; on screen the button itself says "Copiado", so only a failure shows here.
            <p id=format!("{id}-copied") class="mt-1 min-h-4 text-xs text-slate-600" aria-live="polite" data-testid=format!("{test_id}-copied")>
                <span class=move || if copied.get() == Copied::Yes { "sr-only" } else { "" }>
                    {move || match copied.get() {
                        Copied::Yes => t(COPIED)(),
                        Copied::Failed => t(COPY_FAILED)(),
                        Copied::Not => "",
                    }}
                </span>
            </p>
        </div>
    }
}

/// `navigator.clipboard.writeText(text)`, its outcome written to `copied`. Through JavaScript reflection: web-sys's
/// `Clipboard` binding is not among the features this build enables, and enabling one rebuilds every browser crate.
#[cfg(feature = "hydrate")]
fn write_clipboard(text: &str, copied: RwSignal<Copied>) {
    use leptos::wasm_bindgen::{JsCast, JsValue, closure::Closure};
    use leptos::web_sys::js_sys::{Function, Reflect};
    let promise = (|| {
        let navigator = Reflect::get(&window(), &"navigator".into()).ok()?;
        let clipboard = Reflect::get(&navigator, &"clipboard".into()).ok().filter(|c| !c.is_undefined())?;
        let write: Function = Reflect::get(&clipboard, &"writeText".into()).ok()?.dyn_into().ok()?;
        let promise = write.call1(&clipboard, &JsValue::from_str(text)).ok()?;
        let then: Function = Reflect::get(&promise, &"then".into()).ok()?.dyn_into().ok()?;
        Some((promise, then))
    })();
    let Some((promise, then)) = promise else {
        copied.set(Copied::Failed);
        return;
    };
    let done = Closure::once_into_js(move |_: JsValue| copied.set(Copied::Yes));
    let failed = Closure::once_into_js(move |_: JsValue| copied.set(Copied::Failed));
    if then.call2(&promise, &done, &failed).is_err() {
        copied.set(Copied::Failed);
    }
}

#[cfg(not(feature = "hydrate"))]
fn write_clipboard(_text: &str, copied: RwSignal<Copied>) {
    copied.set(Copied::Failed);
}
