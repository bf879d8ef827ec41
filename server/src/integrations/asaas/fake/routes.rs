//! The fake's HTTP API: the subset of Asaas v3 the client uses, with Asaas-like validation and error bodies.

use std::{sync::Arc, time::Duration};

use app::platform::{
    fields::Cpf,
    integrations::payment_gateway::{BillingType, ChargeStatus},
};
use axum::{
    Extension, Json, Router,
    body::Bytes,
    extract::{Path, Query, Request, State},
    http::StatusCode,
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
};
use chrono::NaiveDate;
use serde::{Deserialize, de::DeserializeOwned};
use serde_json::value::RawValue;

use super::{
    FakeMode,
    qr_image::qr_png_base64,
    state::{QR_PNG_BASE64, Shared, pix_payload, random_id, today},
};
use crate::integrations::asaas::{
    decimal::reais_to_cents,
    wire::{AsaasCustomer, AsaasErrors, AsaasIdentificationField, AsaasList, AsaasPixQrCode, AsaasWebhook},
};

type S = State<Arc<Shared>>;

/// The caller's API key (its account), put there by `gate`.
#[derive(Clone)]
struct ApiKey(String);

pub(super) fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route("/customers", get(list_customers).post(create_customer))
        .route("/payments", get(list_payments).post(create_payment))
        .route("/payments/{id}", get(get_payment))
        .route("/payments/{id}/pixQrCode", get(pix_qr_code))
        .route("/payments/{id}/identificationField", get(identification_field))
        .route("/webhooks", get(list_webhooks).post(create_webhook))
        .route("/webhooks/{id}", axum::routing::put(update_webhook))
        .layer(middleware::from_fn_with_state(shared.clone(), gate));
    Router::new()
        .nest("/v3", api)
        .route("/i/{code}", get(|Path(code): Path<String>| async move { format!("Fatura {code} (Asaas de teste)") }))
        .route(
            "/b/pdf/{code}",
            get(|Path(code): Path<String>| async move { format!("Boleto {code} (Asaas de teste)") }),
        )
        .with_state(shared)
}

fn error(status: StatusCode, code: &str, description: &str) -> Response {
    (status, Json(AsaasErrors::one(code, description))).into_response()
}

fn bad(code: &str, description: &str) -> Response {
    error(StatusCode::BAD_REQUEST, code, description)
}

fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not_found", "O recurso solicitado não foi encontrado.")
}

/// Counts every request, waits the configured delay, plays the failure mode, and refuses calls without an
/// `access_token`.
async fn gate(State(shared): S, mut request: Request, next: Next) -> Response {
    shared.count_request();
    let delay = shared.delay();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let mode = shared.mode();
    match mode {
        FakeMode::Healthy | FakeMode::LostChargeAnswers => {}
        FakeMode::ServerErrors => {
            return error(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "Erro interno (simulado).");
        }
        FakeMode::Timeouts => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            return error(StatusCode::GATEWAY_TIMEOUT, "timeout", "Tempo esgotado (simulado).");
        }
    }
    let key = request.headers().get("access_token").and_then(|v| v.to_str().ok()).unwrap_or_default().trim();
    if key.is_empty() {
        return error(StatusCode::UNAUTHORIZED, "invalid_access_token", "A chave de API fornecida é inválida.");
    }
    let key = ApiKey(key.to_string());
    request.extensions_mut().insert(key);
    let creates_charge = request.method() == axum::http::Method::POST && request.uri().path().ends_with("/payments");
    let response = next.run(request).await;
    if mode == FakeMode::LostChargeAnswers && creates_charge {
        return error(StatusCode::BAD_GATEWAY, "bad_gateway", "Resposta perdida (simulado).");
    }
    response
}

/// A 400 with one Asaas error, small enough to travel in a `Result`.
struct Refusal(&'static str, &'static str);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        bad(self.0, self.1)
    }
}

fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T, Refusal> {
    serde_json::from_slice(body).map_err(|_| Refusal("invalid_object", "O corpo da requisição não é um JSON válido."))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListQuery {
    cpf_cnpj: Option<String>,
    status: Option<String>,
    external_reference: Option<String>,
    customer: Option<String>,
    #[serde(default)]
    offset: usize,
    limit: Option<usize>,
}

fn page<T: Clone>(items: Vec<T>, query: &ListQuery) -> AsaasList<T> {
    let limit = query.limit.unwrap_or(10).clamp(1, 100);
    let total = items.len();
    let data: Vec<T> = items.into_iter().skip(query.offset).take(limit).collect();
    AsaasList {
        has_more: query.offset + data.len() < total,
        total_count: total as u64,
        offset: u32::try_from(query.offset).unwrap_or(u32::MAX),
        limit: u32::try_from(limit).unwrap_or(100),
        data,
    }
}

async fn list_customers(State(shared): S, Extension(key): Extension<ApiKey>, Query(q): Query<ListQuery>) -> Response {
    let found = shared.account(&key.0, |account| {
        let matches = |c: &&AsaasCustomer| q.cpf_cnpj.as_ref().is_none_or(|cpf| c.cpf_cnpj.as_ref() == Some(cpf));
        account.customers.iter().filter(matches).cloned().collect::<Vec<_>>()
    });
    Json(page(found, &q)).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CustomerInput {
    name: Option<String>,
    cpf_cnpj: Option<String>,
    email: Option<String>,
    mobile_phone: Option<String>,
}

async fn create_customer(State(shared): S, Extension(key): Extension<ApiKey>, body: Bytes) -> Response {
    let input: CustomerInput = match parse(&body) {
        Ok(input) => input,
        Err(refusal) => return refusal.into_response(),
    };
    let Some(name) = input.name.filter(|n| !n.trim().is_empty()) else {
        return bad("invalid_name", "O campo nome deve ser informado.");
    };
    let Some(cpf) = input.cpf_cnpj.as_deref().and_then(|c| Cpf::parse(c).ok()) else {
        return bad("invalid_cpfCnpj", "O CPF/CNPJ informado é inválido.");
    };
    let customer = AsaasCustomer {
        id: random_id("cus_"),
        name,
        cpf_cnpj: Some(cpf.digits().to_string()),
        email: input.email,
        mobile_phone: input.mobile_phone,
        deleted: false,
    };
    shared.account(&key.0, |account| account.customers.push(customer.clone()));
    Json(customer).into_response()
}

async fn list_payments(State(shared): S, Extension(key): Extension<ApiKey>, Query(q): Query<ListQuery>) -> Response {
    let found = shared.account(&key.0, |account| {
        account
            .payments
            .iter()
            .filter(|p| q.status.as_ref().is_none_or(|s| p.status.as_str() == s))
            .filter(|p| q.external_reference.as_ref().is_none_or(|r| p.external_reference.as_ref() == Some(r)))
            .filter(|p| q.customer.as_ref().is_none_or(|c| &p.customer == c))
            .cloned()
            .collect::<Vec<_>>()
    });
    Json(page(found, &q)).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PaymentInput {
    customer: Option<String>,
    billing_type: Option<String>,
    value: Option<Box<RawValue>>,
    installment_count: Option<u32>,
    total_value: Option<Box<RawValue>>,
    installment_value: Option<Box<RawValue>>,
    due_date: Option<String>,
    description: Option<String>,
    external_reference: Option<String>,
}

async fn create_payment(State(shared): S, Extension(key): Extension<ApiKey>, body: Bytes) -> Response {
    let input: PaymentInput = match parse(&body) {
        Ok(input) => input,
        Err(refusal) => return refusal.into_response(),
    };
    let customer = input.customer.clone().unwrap_or_default();
    if !shared.account(&key.0, |account| account.customers.iter().any(|c| c.id == customer)) {
        return bad("invalid_customer", "Cliente inválido ou não informado.");
    }
    let billing = match input.billing_type.as_deref() {
        Some("PIX") => BillingType::Pix,
        Some("BOLETO") => BillingType::Boleto,
        _ => return bad("invalid_billingType", "Forma de pagamento inválida."),
    };
    let Some(due) = input.due_date.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) else {
        return bad("invalid_dueDate", "Data de vencimento inválida.");
    };
    if due < today() {
        return bad("invalid_dueDate", "A data de vencimento não pode ser anterior à data atual.");
    }
    let values = match amounts(&input) {
        Ok(values) => values,
        Err(refusal) => return refusal.into_response(),
    };
    let series = (values.len() > 1).then(|| uuid::Uuid::new_v4().to_string());
    let payments: Vec<_> = values
        .iter()
        .enumerate()
        .map(|(n, value)| {
            let months = chrono::Months::new(u32::try_from(n).unwrap_or(0));
            let mut payment = shared.new_payment(
                customer.clone(),
                billing.clone(),
                *value,
                due.checked_add_months(months).unwrap_or(due),
            );
            payment.description.clone_from(&input.description);
            payment.external_reference.clone_from(&input.external_reference);
            payment.installment.clone_from(&series);
            payment.installment_number = series.as_ref().map(|_| u32::try_from(n + 1).unwrap_or(u32::MAX));
            payment
        })
        .collect();
    shared.account(&key.0, |account| account.payments.extend(payments.iter().cloned()));
    Json(payments[0].clone()).into_response()
}

fn cents(raw: Option<&RawValue>) -> Option<i64> {
    raw.and_then(|raw| reais_to_cents(raw.get().trim_matches('"')).ok())
}

/// The value of each charge to create: one `value`, or `installmentCount` charges splitting `totalValue` (the
/// odd cents on the first) or each of `installmentValue`.
fn amounts(input: &PaymentInput) -> Result<Vec<i64>, Refusal> {
    const INVALID: Refusal = Refusal("invalid_value", "Valor da cobrança inválido.");
    let values = match input.installment_count {
        Some(count @ 2..=60) => {
            let count_i64 = i64::from(count);
            if let Some(total) = cents(input.total_value.as_deref()) {
                let each = total / count_i64;
                let mut values = vec![each; count as usize];
                values[0] += total - each * count_i64;
                values
            } else {
                vec![cents(input.installment_value.as_deref()).ok_or(INVALID)?; count as usize]
            }
        }
        Some(_) => return Err(Refusal("invalid_installmentCount", "Número de parcelas inválido.")),
        None => vec![cents(input.value.as_deref()).ok_or(INVALID)?],
    };
    if values.iter().any(|value| *value <= 0) {
        return Err(Refusal("invalid_value", "O valor da cobrança deve ser maior que zero."));
    }
    Ok(values)
}

async fn get_payment(State(shared): S, Extension(key): Extension<ApiKey>, Path(id): Path<String>) -> Response {
    let found = shared.account(&key.0, |account| account.payments.iter().find(|p| p.id == id).cloned());
    found.map_or_else(not_found, |payment| Json(payment).into_response())
}

async fn pix_qr_code(State(shared): S, Extension(key): Extension<ApiKey>, Path(id): Path<String>) -> Response {
    let found = shared.account(&key.0, |account| account.payments.iter().find(|p| p.id == id).cloned());
    let Some(payment) = found else { return not_found() };
    if !matches!(payment.status, ChargeStatus::Pending | ChargeStatus::Overdue) {
        return bad("invalid_action", "Só é possível gerar QR Code para cobranças aguardando pagamento.");
    }
    let expiration = payment.due_date.and_hms_opt(23, 59, 59).unwrap_or_default();
    let payload = pix_payload(&payment.id, payment.value);
    Json(AsaasPixQrCode {
        encoded_image: qr_png_base64(&payload).unwrap_or_else(|| QR_PNG_BASE64.into()),
        payload,
        expiration_date: expiration,
    })
    .into_response()
}

async fn identification_field(State(shared): S, Extension(key): Extension<ApiKey>, Path(id): Path<String>) -> Response {
    let found = shared.account(&key.0, |account| account.payments.iter().find(|p| p.id == id).cloned());
    let Some(payment) = found else { return not_found() };
    if payment.billing_type != BillingType::Boleto {
        return bad("invalid_action", "Linha digitável disponível somente para boletos.");
    }
    // 47 digits, like a real linha digitável; made of the charge's value so each charge has its own.
    let digits = format!("{:0>47}", format!("2379338128600{:010}{}", payment.value, payment.id.len()));
    Json(AsaasIdentificationField { identification_field: digits, nosso_numero: None, bar_code: None }).into_response()
}

async fn list_webhooks(State(shared): S, Extension(key): Extension<ApiKey>) -> Response {
    let hooks = shared.account(&key.0, |account| account.webhooks.clone());
    let query = ListQuery {
        cpf_cnpj: None,
        status: None,
        external_reference: None,
        customer: None,
        offset: 0,
        limit: Some(100),
    };
    Json(page(hooks, &query)).into_response()
}

fn valid_webhook(body: &Bytes) -> Result<AsaasWebhook, Refusal> {
    let hook: AsaasWebhook = parse(body)?;
    if !(hook.url.starts_with("http://") || hook.url.starts_with("https://")) {
        return Err(Refusal("invalid_url", "A URL informada é inválida."));
    }
    if hook.auth_token.as_deref().is_none_or(|t| t.len() < 32) {
        return Err(Refusal("invalid_authToken", "O token de autenticação deve ter no mínimo 32 caracteres."));
    }
    Ok(hook)
}

async fn create_webhook(State(shared): S, Extension(key): Extension<ApiKey>, body: Bytes) -> Response {
    let mut hook = match valid_webhook(&body) {
        Ok(hook) => hook,
        Err(refusal) => return refusal.into_response(),
    };
    hook.id = Some(uuid::Uuid::new_v4().to_string());
    shared.account(&key.0, |account| account.webhooks.push(hook.clone()));
    Json(hook).into_response()
}

async fn update_webhook(
    State(shared): S,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let mut hook = match valid_webhook(&body) {
        Ok(hook) => hook,
        Err(refusal) => return refusal.into_response(),
    };
    hook.id = Some(id.clone());
    let updated = shared.account(&key.0, |account| {
        let slot = account.webhooks.iter_mut().find(|h| h.id.as_deref() == Some(id.as_str()))?;
        *slot = hook.clone();
        Some(())
    });
    updated.map_or_else(not_found, |()| Json(hook).into_response())
}
