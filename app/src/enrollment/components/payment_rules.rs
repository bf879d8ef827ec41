//! The payment card of the staff's application page: the charge as it stands, the flag that needs staff, and the
//! rules that decide what happens after the payment, in words staff can read (and repeat to a student).

use leptos::prelude::*;

use crate::enrollment::{
    payments::types::{PayBy, PaymentFlag, StaffPayment, charge_status_label},
    types::ApplicationStatus,
};
use crate::i18n::{Text, format_brl, format_date, format_datetime_brasilia, t, t_now};
use crate::ui::{Badge, Card, Tone};

const TITLE: Text = Text::new("Pagamento", "Payment");
const NO_CHARGE: Text = Text::new("Nenhuma cobrança gerada ainda.", "No charge made yet.");
const CHARGE: Text = Text::new("Cobrança", "Charge");
const DUE: Text = Text::new("vencimento", "due");
const STATUS: Text = Text::new("Situação", "Status");
const NOT_HEARD: Text = Text::new("Sem notícia do Asaas ainda", "No word from Asaas yet");
const SEAT_UNTIL: Text = Text::new("Vaga reservada até", "Seat held until");
const CLOSED: Text = Text::new(
    "Esta cobrança foi encerrada (prazo de pagamento encerrado ou estorno).",
    "This charge was closed (payment window ended, or refunded).",
);
const SINCE: Text = Text::new("desde", "since");
const PAID_WITHOUT_SEAT_TODO: Text = Text::new(
    "O pagamento chegou depois que a vaga foi liberada e a turma não tinha mais vaga. Ofereça outra turma ou peça o \
     estorno no Asaas.",
    "The payment arrived after the seat was released and the class had no seat left. Offer another class or refund \
     it at Asaas.",
);
const CHARGEBACK_TODO: Text = Text::new(
    "O pagador contestou a cobrança no cartão ou no banco. Acompanhe a disputa no Asaas e envie os documentos da \
     matrícula, se pedidos.",
    "The payer disputed the charge with the card issuer or bank. Follow the dispute at Asaas and send the enrollment \
     documents if asked.",
);
const RULES_TITLE: Text = Text::new("Como funciona depois da cobrança", "What happens after the charge");
const RULES: [Text; 6] = [
    Text::new(
        "A vaga fica reservada até o PIX expirar ou, no boleto, até o fim do 3º dia útil depois do vencimento \
         (sábados, domingos e feriados nacionais não contam). Sem pagamento até lá, a vaga é liberada, a inscrição \
         passa a “Prazo de pagamento encerrado” e o estudante recebe um e-mail.",
        "The seat is held until the PIX expires or, for a boleto, until the end of the 3rd business day after the due \
         date (weekends and national holidays do not count). Without a payment by then the seat is released, the \
         application reads “Payment window ended” and the student gets an e-mail.",
    ),
    Text::new(
        "Pagamento que chega depois do prazo: se a turma ainda tiver vaga, a vaga é reservada de novo e a matrícula \
         é confirmada; se não tiver, a inscrição fica marcada “Pago sem vaga” para a secretaria resolver.",
        "A payment after the window: if the class still has a seat, it is reserved again and the enrollment is \
         confirmed; if not, the application is flagged “Paid without a seat” for the office to resolve.",
    ),
    Text::new(
        "Cobrança vencida: o estudante recebe um lembrete por e-mail, uma vez por cobrança.",
        "Overdue charge: the student gets one reminder e-mail per charge.",
    ),
    Text::new(
        "Estorno: a matrícula é cancelada com o motivo “estorno”, a vaga volta para a turma e o estorno é lançado no \
         financeiro.",
        "Refund: the enrollment is cancelled with the reason “estorno”, the seat goes back to the class and the \
         refund is booked in finance.",
    ),
    Text::new(
        "Chargeback (contestação no cartão ou no banco): a inscrição fica marcada para a secretaria. Se a disputa for \
         perdida, a matrícula é cancelada, a vaga liberada e o estorno lançado; se for vencida, a marcação sai.",
        "Chargeback (a dispute at the card issuer or bank): the application is flagged for the office. If the dispute \
         is lost, the enrollment is cancelled, the seat released and the reversal booked; if it is won, the flag goes.",
    ),
    Text::new(
        "O financeiro recebe cada pagamento sozinho: o valor bruto como receita (Mensalidades/Matrículas) e a tarifa \
         do Asaas como despesa (Tarifas bancárias/gateway). Ninguém digita a matrícula duas vezes.",
        "Finance gets every payment by itself: the gross value as revenue (Mensalidades/Matrículas) and Asaas' fee as \
         an expense (Tarifas bancárias/gateway). Nobody types tuition twice.",
    ),
];

#[component]
pub fn PaymentRules(payment: StaffPayment, status: ApplicationStatus) -> impl IntoView {
    let flag = payment.flag.map(|flag| {
        let since = payment.flag_since.map(|at| format!(" {} {}", t_now(SINCE), format_datetime_brasilia(at)));
        let todo = match flag {
            PaymentFlag::PaidWithoutSeat => PAID_WITHOUT_SEAT_TODO,
            PaymentFlag::Chargeback => CHARGEBACK_TODO,
        };
        view! {
            <div class="mb-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm" role="status" data-testid="payment-flag">
                <p class="flex flex-wrap items-center gap-2">
                    <Badge tone=Tone::Danger>{t(flag.label())}</Badge>
                    <span class="text-slate-600">{since.unwrap_or_default()}</span>
                </p>
                <p class="mt-1 text-slate-800">{t(todo)}</p>
            </div>
        }
    });
    let charge = match payment.charge {
        None => view! { <p class="text-sm text-slate-600">{t(NO_CHARGE)}</p> }.into_any(),
        Some(charge) => {
            let by = match charge.by {
                PayBy::Pix => "PIX",
                PayBy::Boleto => "Boleto",
            };
            let status_text = charge.status.as_deref().map_or(NOT_HEARD, charge_status_label);
            let waiting = charge.open
                && status == ApplicationStatus::AwaitingPayment
                && charge.status.as_deref().is_none_or(|s| matches!(s, "PENDING" | "OVERDUE"));
            view! {
                <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="payment-charge">
                    <dt class="font-medium text-slate-500">{t(CHARGE)}</dt>
                    <dd class="text-slate-900">
                        {format!("{by} · {} · ", format_brl(charge.value_cents))}{t(DUE)}{format!(" {}", format_date(charge.due_date))}
                    </dd>
                    <dt class="font-medium text-slate-500">{t(STATUS)}</dt>
                    <dd class="text-slate-900" data-testid="payment-charge-status">{t(status_text)}</dd>
                    {waiting.then(|| view! {
                        <dt class="font-medium text-slate-500">{t(SEAT_UNTIL)}</dt>
                        <dd class="tabular-nums text-slate-900">{format_datetime_brasilia(charge.window_ends)}</dd>
                    })}
                </dl>
                {(!charge.open).then(|| view! { <p class="mt-2 text-sm text-slate-600">{t(CLOSED)}</p> })}
            }
            .into_any()
        }
    };
    view! {
        <section class="mt-6" aria-labelledby="payment-title">
            <h2 id="payment-title" class="mb-2 text-base font-semibold text-slate-900">{t(TITLE)}</h2>
            <Card>
                {flag}
                {charge}
                <details class="mt-3 text-sm" data-testid="payment-rules" open=true>
                    <summary class="cursor-pointer font-medium text-slate-700">{t(RULES_TITLE)}</summary>
                    <ul class="mt-2 list-disc space-y-1 pl-5 text-slate-700">
                        {RULES.into_iter().map(|rule| view! { <li>{t(rule)}</li> }).collect_view()}
                    </ul>
                </details>
            </Card>
        </section>
    }
}
