//! The OpenAI chat-completions wire format (also spoken by Groq, llama.cpp's server, vLLM, Ollama's `/v1`):
//! our neutral `ChatRequest` to a JSON body, and a response body back to a `ChatCompletion`.

use app::platform::integrations::language_model::{
    ChatCompletion, ChatRequest, LlmError, ResponseFormat, Role, TokenUsage, ToolCall,
};
use serde::Deserialize;
use serde_json::{Value, json};

/// The request body. `model` is the request's own or `default_model`.
pub fn request_body(request: &ChatRequest, default_model: &str) -> Value {
    let messages: Vec<Value> = request
        .messages
        .iter()
        .map(|message| json!({ "role": role_name(message.role), "content": message.content }))
        .collect();
    let mut body = json!({
        "model": request.model.as_deref().unwrap_or(default_model),
        "messages": messages,
    });
    let Some(fields) = body.as_object_mut() else { return body };
    if let Some(temperature) = request.temperature {
        fields.insert("temperature".into(), json!(temperature));
    }
    if let Some(max_tokens) = request.max_tokens {
        fields.insert("max_tokens".into(), json!(max_tokens));
    }
    match &request.response_format {
        ResponseFormat::Text => {}
        ResponseFormat::JsonObject => {
            fields.insert("response_format".into(), json!({ "type": "json_object" }));
        }
        ResponseFormat::JsonSchema { name, schema, strict } => {
            fields.insert(
                "response_format".into(),
                json!({ "type": "json_schema", "json_schema": { "name": name, "schema": schema, "strict": strict } }),
            );
        }
    }
    if !request.tools.is_empty() {
        let tools: Vec<Value> = request
            .tools
            .iter()
            .map(|tool| {
                json!({
                    "type": "function",
                    "function": { "name": tool.name, "description": tool.description, "parameters": tool.parameters },
                })
            })
            .collect();
        fields.insert("tools".into(), Value::Array(tools));
        fields.insert("tool_choice".into(), json!("auto"));
    }
    body
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::System => "system",
        Role::User => "user",
        Role::Assistant => "assistant",
        Role::Tool => "tool",
    }
}

#[derive(Deserialize)]
struct Response {
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    choices: Vec<Choice>,
    #[serde(default)]
    usage: Option<Usage>,
}

#[derive(Deserialize)]
struct Choice {
    message: Message,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct Message {
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    tool_calls: Option<Vec<WireToolCall>>,
    /// OpenAI structured outputs: the model declined to answer in the schema.
    #[serde(default)]
    refusal: Option<String>,
}

#[derive(Deserialize)]
struct WireToolCall {
    #[serde(default)]
    id: Option<String>,
    function: Function,
}

#[derive(Deserialize)]
struct Function {
    name: String,
    /// A JSON document in a string per the spec; some servers send the object itself.
    #[serde(default)]
    arguments: Value,
}

#[derive(Deserialize)]
struct Usage {
    #[serde(default)]
    prompt_tokens: u32,
    #[serde(default)]
    completion_tokens: u32,
    #[serde(default)]
    total_tokens: Option<u32>,
}

/// A 2xx body as a completion. A body that is not a chat completion at all (a proxy's HTML page, a wrong base
/// URL) is `Unexpected`; a completion whose tool arguments are not JSON is the model's fault: `InvalidOutput`.
pub fn parse_response(body: &[u8], requested_model: &str) -> Result<ChatCompletion, LlmError> {
    let response: Response = serde_json::from_slice(body)
        .map_err(|error| LlmError::Unexpected(format!("not a chat completion response: {error}")))?;
    let usage = response.usage.map_or_else(TokenUsage::default, |usage| TokenUsage {
        prompt: usage.prompt_tokens,
        completion: usage.completion_tokens,
        total: usage.total_tokens.unwrap_or(usage.prompt_tokens.saturating_add(usage.completion_tokens)),
    });
    let choice = response
        .choices
        .into_iter()
        .next()
        .ok_or_else(|| LlmError::Unexpected("a chat completion response without choices".into()))?;
    if let Some(refusal) = choice.message.refusal.filter(|text| !text.is_empty()) {
        return Err(LlmError::InvalidOutput { reason: format!("the model refused: {}", truncate(&refusal, 200)) });
    }
    let tool_calls = choice
        .message
        .tool_calls
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(index, call)| tool_call(index, call))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ChatCompletion {
        content: choice.message.content,
        tool_calls,
        usage,
        model: response.model.filter(|name| !name.is_empty()).unwrap_or_else(|| requested_model.to_string()),
        finish_reason: choice.finish_reason,
    })
}

fn tool_call(index: usize, call: WireToolCall) -> Result<ToolCall, LlmError> {
    let arguments = match call.function.arguments {
        Value::String(text) if text.trim().is_empty() => json!({}),
        Value::String(text) => serde_json::from_str(&text).map_err(|error| LlmError::InvalidOutput {
            reason: format!("arguments of tool call {} are not JSON: {error}", call.function.name),
        })?,
        Value::Null => json!({}),
        other => other,
    };
    Ok(ToolCall { id: call.id.unwrap_or_else(|| format!("call_{index}")), name: call.function.name, arguments })
}

/// The provider's own words from an error body (`{"error": {"message": …}}`), or the start of the body.
pub fn error_message(body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct ErrorBody {
        error: ErrorDetail,
    }
    #[derive(Deserialize)]
    struct ErrorDetail {
        message: String,
    }
    let message = serde_json::from_slice::<ErrorBody>(body)
        .map(|body| body.error.message)
        .unwrap_or_else(|_| String::from_utf8_lossy(body).into_owned());
    truncate(message.trim(), 300)
}

fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use app::platform::integrations::language_model::{ChatMessage, ToolSpec};

    use super::*;

    #[test]
    fn the_request_uses_the_openai_shapes() {
        let request = ChatRequest {
            model: None,
            messages: vec![ChatMessage::system("Seja breve."), ChatMessage::user("Olá")],
            temperature: Some(0.5),
            max_tokens: Some(100),
            response_format: ResponseFormat::JsonSchema {
                name: "lead".into(),
                schema: json!({"type": "object"}),
                strict: true,
            },
            tools: vec![ToolSpec {
                name: "agendar".into(),
                description: "Agenda uma visita".into(),
                parameters: json!({"type": "object", "properties": {}}),
            }],
        };
        let body = request_body(&request, "gpt-4o-mini");
        assert_eq!(body["model"], "gpt-4o-mini");
        assert_eq!(body["messages"][0], json!({"role": "system", "content": "Seja breve."}));
        assert_eq!(body["messages"][1]["role"], "user");
        assert_eq!(body["temperature"], 0.5);
        assert_eq!(body["max_tokens"], 100);
        assert_eq!(
            body["response_format"],
            json!({"type": "json_schema", "json_schema": {"name": "lead", "schema": {"type": "object"}, "strict": true}})
        );
        assert_eq!(body["tools"][0]["type"], "function");
        assert_eq!(body["tools"][0]["function"]["name"], "agendar");
        assert_eq!(body["tool_choice"], "auto");

        let plain =
            request_body(&ChatRequest { model: Some("llama".into()), messages: vec![], ..ChatRequest::default() }, "x");
        assert_eq!(plain, json!({"model": "llama", "messages": []}), "no optional fields when unset");
        let json_mode =
            request_body(&ChatRequest { response_format: ResponseFormat::JsonObject, ..ChatRequest::default() }, "x");
        assert_eq!(json_mode["response_format"], json!({"type": "json_object"}));
    }

    #[test]
    fn a_text_answer_is_parsed_with_its_usage() {
        let body = br#"{"id":"x","object":"chat.completion","model":"gpt-4o-mini-2024",
            "choices":[{"index":0,"message":{"role":"assistant","content":"Oi!"},"finish_reason":"stop"}],
            "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}"#;
        let completion = parse_response(body, "gpt-4o-mini").unwrap();
        assert_eq!(completion.content.as_deref(), Some("Oi!"));
        assert_eq!(completion.usage, TokenUsage { prompt: 12, completion: 3, total: 15 });
        assert_eq!(completion.model, "gpt-4o-mini-2024");
        assert_eq!(completion.finish_reason.as_deref(), Some("stop"));
        assert!(completion.tool_calls.is_empty());
    }

    #[test]
    fn tool_calls_have_their_arguments_parsed() {
        let body = br#"{"choices":[{"message":{"content":null,"tool_calls":[
            {"id":"call_a","type":"function","function":{"name":"agendar","arguments":"{\"dia\":\"sexta\"}"}},
            {"type":"function","function":{"name":"sair","arguments":{"motivo":"x"}}}]},
            "finish_reason":"tool_calls"}]}"#;
        let completion = parse_response(body, "local").unwrap();
        assert_eq!(completion.content, None);
        assert_eq!(completion.model, "local", "the requested model when the server names none");
        assert_eq!(completion.usage, TokenUsage::default(), "no usage: zeros");
        assert_eq!(
            completion.tool_calls,
            vec![
                ToolCall { id: "call_a".into(), name: "agendar".into(), arguments: json!({"dia": "sexta"}) },
                // No id from the server: one made from the position.
                ToolCall { id: "call_1".into(), name: "sair".into(), arguments: json!({"motivo": "x"}) },
            ]
        );
    }

    #[test]
    fn broken_bodies_and_arguments_are_errors_not_panics() {
        assert!(matches!(parse_response(b"<html>", "m"), Err(LlmError::Unexpected(_))));
        assert!(matches!(parse_response(br#"{"choices":[]}"#, "m"), Err(LlmError::Unexpected(_))));
        let bad_arguments = br#"{"choices":[{"message":{"tool_calls":[
            {"id":"c","function":{"name":"f","arguments":"{nope"}}]}}]}"#;
        assert!(matches!(parse_response(bad_arguments, "m"), Err(LlmError::InvalidOutput { .. })));
        let refused = br#"{"choices":[{"message":{"content":null,"refusal":"I cannot help."}}]}"#;
        assert!(matches!(parse_response(refused, "m"), Err(LlmError::InvalidOutput { .. })));
    }

    #[test]
    fn error_bodies_give_the_provider_message() {
        assert_eq!(error_message(br#"{"error":{"message":"Invalid API key","type":"auth"}}"#), "Invalid API key");
        assert_eq!(error_message(b"Bad Gateway"), "Bad Gateway");
        assert_eq!(error_message("é".repeat(400).as_bytes()).chars().count(), 301);
    }
}
