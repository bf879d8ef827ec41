//! The language model end to end: `platform::ai` with the real OpenAI-compatible client talking HTTP to the
//! in-process fake, and the ledger and budget in real PostgreSQL under row-level security.

use std::time::Duration;

use app::platform::{
    AppError,
    ai::{self, CallOptions, PromptTemplate, PromptVars, Validate, store},
    integrations::language_model::{LanguageModel, LlmError, ResponseFormat, ToolSpec},
    tenancy::TenantTx,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::json;
use server::{
    integrations::{
        llm::{FakeLlm, FakeMode, LlmClient, LlmSettings, fake},
        outbound::{BreakerSettings, CircuitState},
    },
    test_support::TestDatabase,
};
use sqlx::PgPool;
use uuid::Uuid;

const SUMMARY: PromptTemplate = PromptTemplate {
    id: "test.summary",
    version: "2026-11-21.3",
    system: "Você resume conversas para {{institution}}. Responda em JSON quando pedido.",
    user: "{{message}}",
};

const MESSAGE: &str = "Olá! Quero   saber do curso de Direito à noite e agendar_visita na sexta";

fn vars(message: &str) -> PromptVars<'static> {
    PromptVars::from([("institution", "Faculdade Sol".to_string()), ("message", message.to_string())])
}

async fn tenant(pool: &PgPool, slug: &str, plan: &str) -> Uuid {
    let id = Uuid::now_v7();
    let mut tx = TenantTx::begin(pool, id).await.unwrap();
    sqlx::query("insert into tenants (id, slug, name, plan) values ($1, $2, $2, $3)")
        .bind(id)
        .bind(slug)
        .bind(plan)
        .execute(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn setup() -> (PgPool, Uuid, FakeLlm, LlmClient) {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let alfa = tenant(&pool, "alfa", "starter").await;
    let fake = FakeLlm::start().await.unwrap();
    let client = LlmClient::new(LlmSettings::for_fake(&fake)).unwrap();
    (pool, alfa, fake, client)
}

async fn calls(pool: &PgPool, tenant_id: Uuid) -> Vec<store::CallRow> {
    let mut tx = TenantTx::begin(pool, tenant_id).await.unwrap();
    let rows = store::latest_calls(&mut tx, 100).await.unwrap();
    tx.commit().await.unwrap();
    rows
}

#[tokio::test]
async fn a_text_answer_comes_back_through_the_real_client_and_the_call_is_recorded_with_its_template_version() {
    let (pool, alfa, fake, client) = setup().await;

    let mut tx = TenantTx::begin(&pool, alfa).await.unwrap();
    let completion = ai::complete(&mut tx, &client, &SUMMARY, &vars(MESSAGE), CallOptions::default()).await.unwrap();
    tx.commit().await.unwrap();

    assert_eq!(completion.content.as_deref(), Some(fake::text_answer(MESSAGE).as_str()));
    assert_eq!(completion.model, fake::FAKE_MODEL);
    assert_eq!(completion.finish_reason.as_deref(), Some("stop"));
    assert!(completion.usage.prompt > 0 && completion.usage.completion > 0);
    assert_eq!(completion.usage.total, completion.usage.prompt + completion.usage.completion);

    // What went over the wire: the rendered prompt, the configured model, no key (none configured).
    let sent = fake.last_request().unwrap();
    assert_eq!(sent["model"], fake::FAKE_MODEL);
    assert_eq!(sent["messages"][0]["role"], "system");
    assert!(sent["messages"][0]["content"].as_str().unwrap().contains("Faculdade Sol"));
    assert_eq!(sent["messages"][1], json!({"role": "user", "content": MESSAGE}));
    assert!(sent.get("response_format").is_none() && sent.get("tools").is_none());
    assert_eq!(fake.last_authorization(), None);

    let rows = calls(&pool, alfa).await;
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!((row.template_id.as_str(), row.template_version.as_str()), ("test.summary", "2026-11-21.3"));
    assert_eq!(row.model, fake::FAKE_MODEL);
    assert_eq!(row.outcome, "ok");
    assert_eq!(row.prompt_tokens as u32, completion.usage.prompt);
    assert_eq!(row.completion_tokens as u32, completion.usage.completion);
}

#[tokio::test]
async fn an_api_key_is_sent_as_a_bearer_token() {
    let fake = FakeLlm::start().await.unwrap();
    let client =
        LlmClient::new(LlmSettings { api_key: Some("sk-test-123".into()), ..LlmSettings::for_fake(&fake) }).unwrap();
    let request = app::platform::integrations::language_model::ChatRequest {
        messages: vec![app::platform::integrations::language_model::ChatMessage::user("oi")],
        ..Default::default()
    };
    client.complete(request).await.unwrap();
    assert_eq!(fake.last_authorization().as_deref(), Some("Bearer sk-test-123"));
}

#[derive(Debug, Deserialize, PartialEq)]
struct LeadSummary {
    nome: String,
    curso: String,
    turno: String,
    nota: i64,
    quer_visita: bool,
}

impl Validate for LeadSummary {
    fn validate(&self) -> Result<(), String> {
        if !(0..=10).contains(&self.nota) {
            return Err(format!("nota {} fora de 0..=10", self.nota));
        }
        if self.nome.trim().is_empty() {
            return Err("nome vazio".into());
        }
        Ok(())
    }
}

fn lead_schema() -> ResponseFormat {
    ResponseFormat::JsonSchema {
        name: "lead_summary".into(),
        strict: true,
        schema: json!({
            "type": "object",
            "properties": {
                "nome": {"type": "string"},
                "curso": {"type": "string", "enum": ["direito", "medicina"]},
                "turno": {"type": "string", "enum": ["noite", "manha"]},
                "nota": {"type": "integer", "minimum": 0, "maximum": 10},
                "quer_visita": {"type": "boolean"}
            },
            "required": ["nome", "curso", "turno", "nota", "quer_visita"],
            "additionalProperties": false
        }),
    }
}

#[tokio::test]
async fn a_json_schema_answer_becomes_a_typed_value() {
    let (pool, alfa, fake, client) = setup().await;
    let options = CallOptions { response_format: lead_schema(), ..CallOptions::default() };

    let mut tx = TenantTx::begin(&pool, alfa).await.unwrap();
    let lead: LeadSummary = ai::complete_json(&mut tx, &client, &SUMMARY, &vars(MESSAGE), options).await.unwrap();
    tx.commit().await.unwrap();

    assert_eq!(
        lead,
        LeadSummary {
            nome: "Olá! Quero saber do curso de Direito à n".into(),
            curso: "direito".into(),
            turno: "noite".into(),
            nota: 10,
            quer_visita: true,
        }
    );
    let sent = fake.last_request().unwrap();
    assert_eq!(sent["response_format"]["type"], "json_schema");
    assert_eq!(sent["response_format"]["json_schema"]["name"], "lead_summary");
    assert_eq!(sent["response_format"]["json_schema"]["strict"], true);
    assert_eq!(calls(&pool, alfa).await[0].outcome, "ok");

    // Without a schema, JSON mode is asked for (and the fake answers an object the type does not match).
    let mut tx = TenantTx::begin(&pool, alfa).await.unwrap();
    let error = ai::complete_json::<LeadSummary>(&mut tx, &client, &SUMMARY, &vars(MESSAGE), CallOptions::default())
        .await
        .unwrap_err();
    tx.commit().await.unwrap();
    assert!(matches!(error, LlmError::InvalidOutput { .. }), "{error:?}");
    assert_eq!(fake.last_request().unwrap()["response_format"], json!({"type": "json_object"}));
}

#[tokio::test]
async fn a_tool_call_comes_back_with_parsed_arguments() {
    let (pool, alfa, _fake, client) = setup().await;
    let tools = vec![
        ToolSpec {
            name: "transferir_humano".into(),
            description: "Passa a conversa para uma pessoa".into(),
            parameters: json!({"type": "object", "properties": {"motivo": {"type": "string"}}}),
        },
        ToolSpec {
            name: "agendar_visita".into(),
            description: "Agenda uma visita ao campus".into(),
            parameters: json!({
                "type": "object",
                "properties": {
                    "dia": {"type": "string", "enum": ["sexta", "sabado"]},
                    "pessoas": {"type": "integer", "minimum": 1, "maximum": 4}
                },
                "required": ["dia", "pessoas"]
            }),
        },
    ];
    let options = CallOptions { tools, ..CallOptions::default() };

    let mut tx = TenantTx::begin(&pool, alfa).await.unwrap();
    let completion = ai::complete(&mut tx, &client, &SUMMARY, &vars(MESSAGE), options.clone()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(completion.content, None);
    assert_eq!(completion.finish_reason.as_deref(), Some("tool_calls"));
    assert_eq!(completion.tool_calls.len(), 1);
    let call = &completion.tool_calls[0];
    assert_eq!(call.name, "agendar_visita", "the tool named in the message");
    assert_eq!(call.arguments, json!({"dia": "sexta", "pessoas": 4}));
    assert!(call.id.starts_with("call_"));

    // No tool named: the first one.
    let mut tx = TenantTx::begin(&pool, alfa).await.unwrap();
    let completion = ai::complete(&mut tx, &client, &SUMMARY, &vars("bom dia"), options).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(completion.tool_calls[0].name, "transferir_humano");
    assert_eq!(completion.tool_calls[0].arguments, json!({"motivo": "bom dia"}));
}

#[tokio::test]
async fn malformed_json_is_invalid_output_and_recorded_as_such_with_its_tokens() {
    let (pool, alfa, fake, client) = setup().await;
    fake.set_mode(FakeMode::InvalidJson);
    let options = CallOptions { response_format: lead_schema(), ..CallOptions::default() };

    let mut tx = TenantTx::begin(&pool, alfa).await.unwrap();
    let error =
        ai::complete_json::<LeadSummary>(&mut tx, &client, &SUMMARY, &vars(MESSAGE), options).await.unwrap_err();
    // The caller takes its fallback and commits: the failed call stays on the ledger.
    tx.commit().await.unwrap();

    assert!(matches!(error, LlmError::InvalidOutput { ref reason } if reason.contains("not the expected JSON")));
    assert_eq!(fake.requests(), 1, "no repair retry");
    let rows = calls(&pool, alfa).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].outcome, "invalid_output");
    assert!(rows[0].prompt_tokens > 0 && rows[0].completion_tokens > 0, "the tokens were spent all the same");
}

#[tokio::test]
async fn failures_and_timeouts_are_unavailable_and_then_the_breaker_fails_fast_without_calling() {
    let (pool, alfa, fake, _) = setup().await;
    let settings = LlmSettings { timeout: Duration::from_millis(300), ..LlmSettings::for_fake(&fake) };
    let breaker =
        BreakerSettings { failure_threshold: 2, window: Duration::from_secs(60), cooldown: Duration::from_secs(60) };
    let client = LlmClient::with_breaker(settings, breaker).unwrap();

    fake.set_mode(FakeMode::Fail);
    let mut tx = TenantTx::begin(&pool, alfa).await.unwrap();
    let error = ai::complete(&mut tx, &client, &SUMMARY, &vars(MESSAGE), CallOptions::default()).await.unwrap_err();
    assert!(matches!(error, LlmError::Unavailable { ref reason } if reason.contains("500")), "{error:?}");
    assert_eq!(fake.requests(), 1, "a 500 is not retried: the tokens may have been spent");

    fake.set_mode(FakeMode::Timeout);
    let started = std::time::Instant::now();
    let error = ai::complete(&mut tx, &client, &SUMMARY, &vars(MESSAGE), CallOptions::default()).await.unwrap_err();
    assert!(matches!(error, LlmError::Unavailable { ref reason } if reason.contains("300 ms")), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "the client timeout, not the fake's hang");
    assert_eq!(fake.requests(), 2);

    // Two failures opened the breaker: even with the fake healthy again, calls fail fast and never reach it.
    assert_eq!(client.circuit_state(), CircuitState::Open);
    assert!(!client.is_available());
    fake.set_mode(FakeMode::Healthy);
    let error = ai::complete(&mut tx, &client, &SUMMARY, &vars(MESSAGE), CallOptions::default()).await.unwrap_err();
    assert!(matches!(error, LlmError::Unavailable { .. }), "{error:?}");
    assert_eq!(fake.requests(), 2, "the open breaker kept the call from the fake");
    tx.commit().await.unwrap();

    let outcomes: Vec<String> = calls(&pool, alfa).await.into_iter().map(|row| row.outcome).collect();
    assert_eq!(outcomes, vec!["unavailable"; 3]);
}

#[tokio::test]
async fn a_spent_budget_refuses_before_calling_and_leaves_other_tenants_alone() {
    let (pool, alfa, fake, client) = setup().await;
    let beta = tenant(&pool, "beta", "starter").await;

    let mut tx = TenantTx::begin(&pool, alfa).await.unwrap();
    store::set_monthly_budget(&mut tx, 30).await.unwrap();
    // Under the budget when it starts, so it runs (and overshoots: a soft limit).
    ai::complete(&mut tx, &client, &SUMMARY, &vars(MESSAGE), CallOptions::default()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(fake.requests(), 1);

    let mut tx = TenantTx::begin(&pool, alfa).await.unwrap();
    let error = ai::complete(&mut tx, &client, &SUMMARY, &vars(MESSAGE), CallOptions::default()).await.unwrap_err();
    tx.commit().await.unwrap();
    assert_eq!(fake.requests(), 1, "refused without calling the model");
    let LlmError::BudgetExhausted { budget, used, renews_on } = error.clone() else { panic!("{error:?}") };
    assert_eq!(budget, 30);
    assert!(used >= 30, "{used}");
    assert_eq!(renews_on, next_month_in_sao_paulo(Utc::now()));
    let AppError::LimitReached { message } = AppError::from(error) else { panic!("a limit error") };
    assert_eq!(
        message,
        format!(
            "O limite mensal de uso de IA do seu plano foi atingido (30 tokens). Ele renova em {}.",
            renews_on.format("%d/%m")
        )
    );

    // The other tenant has its own budget (the plan's) and its own ledger.
    let mut tx = TenantTx::begin(&pool, beta).await.unwrap();
    ai::complete(&mut tx, &client, &SUMMARY, &vars("bom dia"), CallOptions::default()).await.unwrap();
    let usage = store::monthly_usage(&mut tx, Utc::now()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(fake.requests(), 2);
    assert_eq!(usage.budget, 200_000, "starter plan default");

    let alfa_outcomes: Vec<String> = calls(&pool, alfa).await.into_iter().map(|row| row.outcome).collect();
    assert_eq!(alfa_outcomes, vec!["refused_budget".to_string(), "ok".to_string()], "newest first, alfa only");
    let beta_rows = calls(&pool, beta).await;
    assert_eq!(beta_rows.len(), 1, "beta sees only its own call");
    assert_eq!(beta_rows[0].outcome, "ok");

    // The ledger cannot be rewritten to refill a budget, and a tenant cannot write into another's.
    let mut tx = TenantTx::begin(&pool, alfa).await.unwrap();
    let wipe = sqlx::query("delete from llm_calls").execute(tx.conn()).await;
    assert!(wipe.is_err(), "the runtime role may not delete calls");
    drop(tx);
    let mut tx = TenantTx::begin(&pool, alfa).await.unwrap();
    let sneaky = sqlx::query(
        "insert into llm_calls (tenant_id, template_id, template_version, model, outcome) values ($1, 'x', '1', 'm', 'ok')",
    )
    .bind(beta)
    .execute(tx.conn())
    .await;
    assert!(sneaky.unwrap_err().to_string().contains("row-level security"));
}

/// The first day of the month after `at`'s, in Brasília time (UTC−3 since 2019).
fn next_month_in_sao_paulo(at: DateTime<Utc>) -> NaiveDate {
    let local = (at - chrono::Duration::hours(3)).date_naive();
    let (year, month) = if chrono::Datelike::month(&local) == 12 {
        (chrono::Datelike::year(&local) + 1, 1)
    } else {
        (chrono::Datelike::year(&local), chrono::Datelike::month(&local) + 1)
    };
    NaiveDate::from_ymd_opt(year, month, 1).unwrap()
}

#[tokio::test]
async fn the_month_is_the_calendar_month_in_sao_paulo_and_the_default_budget_follows_the_plan() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let gama = tenant(&pool, "gama", "professional").await;
    let mut tx = TenantTx::begin(&pool, gama).await.unwrap();
    for (at, tokens) in [
        // 31/10 23:30 in São Paulo, already 1 November in UTC: October's.
        ("2026-10-31T23:30:00-03:00", 100),
        // 1/11 00:30 in São Paulo: November's.
        ("2026-11-01T00:30:00-03:00", 7),
        ("2026-11-30T23:59:00-03:00", 3),
        // 1/12 00:00 in São Paulo: December's.
        ("2026-12-01T00:00:00-03:00", 1000),
    ] {
        sqlx::query(
            "insert into llm_calls (tenant_id, template_id, template_version, model, prompt_tokens, completion_tokens,
                                    outcome, created_at)
             values ($1, 't', '1', 'm', $2, 1, 'ok', $3::timestamptz)",
        )
        .bind(gama)
        .bind(tokens - 1)
        .bind(at)
        .execute(tx.conn())
        .await
        .unwrap();
    }
    let at = |text: &str| DateTime::parse_from_rfc3339(text).unwrap().to_utc();

    let november = store::monthly_usage(&mut tx, at("2026-11-15T12:00:00Z")).await.unwrap();
    assert_eq!(november.used, 10);
    assert_eq!(november.budget, 2_000_000, "professional plan default");
    assert_eq!(november.renews_on, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());

    // 1 November 02:00 UTC is still 31 October in São Paulo.
    let october = store::monthly_usage(&mut tx, at("2026-11-01T02:00:00Z")).await.unwrap();
    assert_eq!(october.used, 100);
    assert_eq!(october.renews_on, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());

    store::set_monthly_budget(&mut tx, 5_000).await.unwrap();
    let december = store::monthly_usage(&mut tx, at("2026-12-10T12:00:00Z")).await.unwrap();
    assert_eq!((december.used, december.budget), (1000, 5_000), "a tenant's own budget wins over the plan");
    assert_eq!(december.renews_on, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
    tx.commit().await.unwrap();
}
