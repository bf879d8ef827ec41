//! Calling the language model on a tenant's behalf: render the template, refuse if the month's budget is spent
//! (before anything is sent), call, and write the call to the ledger in the caller's transaction.
//!
//! The ledger row shares the caller's transaction, so the record and the work it paid for commit together. A
//! caller that handles an `LlmError` with a fallback (the usual case) commits and the failed call is counted;
//! one that rolls back loses the row, like every other write of that transaction.

use std::time::Instant;

use chrono::Utc;
use serde::de::DeserializeOwned;

use super::{
    store::{self, CallRecord, Outcome},
    template::{PromptTemplate, PromptVars},
};
use crate::platform::{
    integrations::language_model::{
        ChatCompletion, ChatRequest, LanguageModel, LlmError, ResponseFormat, TokenUsage, ToolSpec,
    },
    tenancy::TenantTx,
};

/// What a call asks of the model beyond the prompt.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallOptions {
    /// `None`: the client's configured model.
    pub model: Option<String>,
    pub temperature: Option<f32>,
    pub max_tokens: Option<u32>,
    pub response_format: ResponseFormat,
    pub tools: Vec<ToolSpec>,
}

/// A check a typed answer must pass beyond its JSON shape (a score in range, a non-empty name). The message
/// says what is wrong; it goes into `LlmError::InvalidOutput` and the log, never to the person.
pub trait Validate {
    fn validate(&self) -> Result<(), String>;
}

/// One call with whatever the model answers (text and/or tool calls).
pub async fn complete(
    tx: &mut TenantTx,
    model: &dyn LanguageModel,
    template: &PromptTemplate,
    vars: &PromptVars<'_>,
    options: CallOptions,
) -> Result<ChatCompletion, LlmError> {
    call(tx, model, template, vars, options, Ok).await
}

/// One call whose answer must be JSON that deserializes into `T` and passes `T::validate`. Anything else is
/// `InvalidOutput` (recorded as such, tokens counted): no second "repair" call is made, because the providers
/// we target constrain decoding to the schema (OpenAI strict structured outputs, llama.cpp grammars), so what
/// remains are answers that fail validation, which the same prompt rarely fixes, while every caller has a
/// rules fallback and a person waiting on the other end of a chat.
///
/// A `Text` response format is upgraded to `JsonObject`; pass `JsonSchema` to have the schema enforced.
pub async fn complete_json<T: DeserializeOwned + Validate>(
    tx: &mut TenantTx,
    model: &dyn LanguageModel,
    template: &PromptTemplate,
    vars: &PromptVars<'_>,
    mut options: CallOptions,
) -> Result<T, LlmError> {
    if options.response_format == ResponseFormat::Text {
        options.response_format = ResponseFormat::JsonObject;
    }
    call(tx, model, template, vars, options, |completion| parse_json(completion.content.as_deref())).await
}

/// The typed value in a model's answer. Tolerates a Markdown code fence around the JSON, which small local
/// models add even when told not to.
pub fn parse_json<T: DeserializeOwned + Validate>(content: Option<&str>) -> Result<T, LlmError> {
    let content = content.ok_or_else(|| LlmError::InvalidOutput { reason: "no content in the answer".into() })?;
    let json = strip_code_fence(content);
    let value: T = serde_json::from_str(json)
        .map_err(|error| LlmError::InvalidOutput { reason: format!("not the expected JSON: {error}") })?;
    value.validate().map_err(|reason| LlmError::InvalidOutput { reason })?;
    Ok(value)
}

fn strip_code_fence(content: &str) -> &str {
    let trimmed = content.trim();
    let Some(inner) = trimmed.strip_prefix("```").and_then(|rest| rest.strip_suffix("```")) else {
        return trimmed;
    };
    // Drop the info string (`json`) on the opening line.
    inner.split_once('\n').map_or(inner, |(_, body)| body).trim()
}

async fn call<T>(
    tx: &mut TenantTx,
    model: &dyn LanguageModel,
    template: &PromptTemplate,
    vars: &PromptVars<'_>,
    options: CallOptions,
    read: impl FnOnce(ChatCompletion) -> Result<T, LlmError>,
) -> Result<T, LlmError> {
    let messages = template.render(vars).map_err(|error| LlmError::Unexpected(error.to_string()))?;
    let requested_model = options.model.clone().unwrap_or_else(|| model.default_model().to_string());
    let mut record = CallRecord {
        template_id: template.id,
        template_version: template.version,
        model: &requested_model,
        prompt_tokens: 0,
        completion_tokens: 0,
        outcome: Outcome::RefusedBudget,
        latency_ms: 0,
    };

    let usage = store::monthly_usage(tx, Utc::now()).await.map_err(database)?;
    if usage.exhausted() {
        finish(tx, &record).await?;
        return Err(usage.error());
    }

    let request = ChatRequest {
        model: options.model,
        messages,
        temperature: options.temperature,
        max_tokens: options.max_tokens,
        response_format: options.response_format,
        tools: options.tools,
    };
    let started = Instant::now();
    let answer = model.complete(request).await;
    record.latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);

    let (answered_model, result) = match answer {
        Ok(completion) => {
            let TokenUsage { prompt, completion: completion_tokens, .. } = completion.usage;
            record.prompt_tokens = prompt;
            record.completion_tokens = completion_tokens;
            (Some(completion.model.clone()), read(completion))
        }
        Err(error) => (None, Err(error)),
    };
    if let Some(answered) = answered_model.as_deref().filter(|name| !name.is_empty()) {
        record.model = answered;
    }
    record.outcome = match &result {
        Ok(_) => Outcome::Ok,
        Err(error) => outcome_of(error),
    };
    finish(tx, &record).await?;
    result
}

fn outcome_of(error: &LlmError) -> Outcome {
    match error {
        LlmError::InvalidOutput { .. } => Outcome::InvalidOutput,
        LlmError::Unavailable { .. } => Outcome::Unavailable,
        LlmError::BudgetExhausted { .. } => Outcome::RefusedBudget,
        LlmError::Rejected { .. } | LlmError::Unexpected(_) => Outcome::Error,
    }
}

/// Writes the ledger row and logs the call: ids, outcome, tokens and time, never the prompt or the answer.
async fn finish(tx: &mut TenantTx, record: &CallRecord<'_>) -> Result<(), LlmError> {
    tracing::info!(
        tenant_id = %tx.tenant_id(),
        template = record.template_id,
        version = record.template_version,
        model = record.model,
        outcome = record.outcome.code(),
        prompt_tokens = record.prompt_tokens,
        completion_tokens = record.completion_tokens,
        latency_ms = record.latency_ms,
        "language model call"
    );
    store::record_call(tx, record).await.map_err(database)
}

fn database(error: sqlx::Error) -> LlmError {
    LlmError::Unexpected(format!("database: {error}"))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Score {
        score: u8,
    }

    impl Validate for Score {
        fn validate(&self) -> Result<(), String> {
            if self.score <= 10 { Ok(()) } else { Err(format!("score {} is above 10", self.score)) }
        }
    }

    #[test]
    fn json_answers_parse_into_the_type() {
        assert_eq!(parse_json::<Score>(Some(r#"{"score": 7}"#)), Ok(Score { score: 7 }));
        assert_eq!(parse_json::<Score>(Some("```json\n{\"score\": 3}\n```")), Ok(Score { score: 3 }));
        assert_eq!(parse_json::<Score>(Some("```\n{\"score\": 4}\n```")), Ok(Score { score: 4 }));
    }

    #[test]
    fn malformed_or_invalid_answers_are_invalid_output() {
        for content in [None, Some("isto não é JSON"), Some(r#"{"score": "alto"}"#), Some(r#"{"score": 11}"#)] {
            let error = parse_json::<Score>(content).unwrap_err();
            assert!(matches!(error, LlmError::InvalidOutput { .. }), "{content:?}: {error:?}");
        }
        let error = parse_json::<Score>(Some(r#"{"score": 11}"#)).unwrap_err();
        assert_eq!(error, LlmError::InvalidOutput { reason: "score 11 is above 10".into() });
    }

    #[test]
    fn each_error_has_its_outcome() {
        assert_eq!(outcome_of(&LlmError::Unavailable { reason: "x".into() }), Outcome::Unavailable);
        assert_eq!(outcome_of(&LlmError::InvalidOutput { reason: "x".into() }), Outcome::InvalidOutput);
        assert_eq!(outcome_of(&LlmError::Rejected { message: "x".into() }), Outcome::Error);
        assert_eq!(outcome_of(&LlmError::Unexpected("x".into())), Outcome::Error);
    }
}
