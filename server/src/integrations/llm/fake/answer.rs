//! What the fake answers to a chat-completions request body: a pure function of the request, so the same
//! prompt always gets the same answer.
//!
//! - tools offered (and `tool_choice` not `"none"`): a call to the tool named by `tool_choice`, else the first
//!   tool whose name appears in the last user message, else the first tool; arguments from its schema;
//! - `json_schema`: a value made from the schema; `json_object`: `{"resposta": <text>}`;
//! - otherwise text: `Resposta simulada: ` and the start of the last user message.
//!
//! Tokens are about a quarter of the characters, as with real tokenizers for Portuguese and English.

use serde_json::{Value, json};

use super::schema;

pub const FAKE_MODEL: &str = "atrium-fake";

/// What `InvalidJson` mode sends where JSON was asked for.
pub const NOT_JSON: &str = "Claro! Aqui está o JSON: {resposta: sem aspas";

pub fn completion(request: &Value, invalid_json: bool) -> Value {
    let messages = request.get("messages").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let last_user = messages
        .iter()
        .rev()
        .find(|message| message.get("role").and_then(Value::as_str) == Some("user"))
        .and_then(|message| message.get("content").and_then(Value::as_str))
        .unwrap_or_default();
    let prompt_tokens: u32 = messages
        .iter()
        .map(|message| tokens(message.get("content").and_then(Value::as_str).unwrap_or_default()) + 1)
        .sum();
    let model = request.get("model").and_then(Value::as_str).filter(|m| !m.is_empty()).unwrap_or(FAKE_MODEL);

    let (message, finish_reason, completion_tokens) = match chosen_tool(request, last_user) {
        Some(tool) => {
            let name = tool.get("name").and_then(Value::as_str).unwrap_or("tool");
            let arguments = schema::value_for(tool.get("parameters").unwrap_or(&Value::Null), last_user).to_string();
            let id = format!("call_{:016x}", fnv(&format!("{name}\u{0}{last_user}")));
            let completion_tokens = tokens(name) + tokens(&arguments);
            let message = json!({
                "role": "assistant",
                "content": null,
                "tool_calls": [{ "id": id, "type": "function", "function": { "name": name, "arguments": arguments } }],
            });
            (message, "tool_calls", completion_tokens)
        }
        None => {
            let content = content(request.get("response_format"), last_user, invalid_json);
            let completion_tokens = tokens(&content);
            (json!({ "role": "assistant", "content": content }), "stop", completion_tokens)
        }
    };
    json!({
        "id": format!("chatcmpl-fake-{:016x}", fnv(last_user)),
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [{ "index": 0, "message": message, "finish_reason": finish_reason }],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    })
}

fn content(response_format: Option<&Value>, last_user: &str, invalid_json: bool) -> String {
    let kind = response_format.and_then(|format| format.get("type")).and_then(Value::as_str).unwrap_or("text");
    match kind {
        "json_object" | "json_schema" if invalid_json => NOT_JSON.to_string(),
        "json_schema" => {
            let schema =
                response_format.and_then(|format| format.pointer("/json_schema/schema")).unwrap_or(&Value::Null);
            schema::value_for(schema, last_user).to_string()
        }
        "json_object" => json!({ "resposta": text_answer(last_user) }).to_string(),
        _ => text_answer(last_user),
    }
}

/// The plain-text answer to a user message.
pub fn text_answer(last_user: &str) -> String {
    let words = last_user.split_whitespace().collect::<Vec<_>>().join(" ");
    let snippet: String = words.chars().take(120).collect();
    format!("Resposta simulada: {snippet}")
}

/// The tool (its `function` object) to call, if tools are offered and calling one is allowed.
fn chosen_tool<'a>(request: &'a Value, last_user: &str) -> Option<&'a Value> {
    let tools: Vec<&Value> =
        request.get("tools").and_then(Value::as_array)?.iter().filter_map(|tool| tool.get("function")).collect();
    let name_of = |tool: &&Value| tool.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
    match request.get("tool_choice") {
        Some(Value::String(choice)) if choice == "none" => None,
        Some(Value::Object(choice)) => {
            let wanted = choice.get("function").and_then(|f| f.get("name")).and_then(Value::as_str)?;
            tools.into_iter().find(|tool| name_of(tool) == wanted)
        }
        _ => {
            let named = tools.iter().copied().find(|tool| {
                let name = name_of(tool);
                !name.is_empty() && last_user.contains(&name)
            });
            named.or_else(|| tools.first().copied())
        }
    }
}

/// About one token per four characters, at least one for any text.
pub fn tokens(text: &str) -> u32 {
    u32::try_from(text.chars().count().div_ceil(4)).unwrap_or(u32::MAX).max(1)
}

/// FNV-1a: a stable id from text (std's hasher is randomized per process).
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(extra: Value) -> Value {
        let mut body = json!({
            "model": "gpt-test",
            "messages": [
                {"role": "system", "content": "Você é um assistente."},
                {"role": "user", "content": "Quero  agendar uma visita"}
            ]
        });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        body
    }

    #[test]
    fn text_requests_get_an_echo_with_usage() {
        let answer = completion(&request(json!({})), false);
        assert_eq!(answer["model"], "gpt-test");
        assert_eq!(answer["choices"][0]["message"]["content"], "Resposta simulada: Quero agendar uma visita");
        assert_eq!(answer["choices"][0]["finish_reason"], "stop");
        // "Você é um assistente." 21 chars → 6, +1; "Quero  agendar uma visita" 25 → 7, +1.
        assert_eq!(answer["usage"]["prompt_tokens"], 15);
        assert_eq!(answer["usage"]["completion_tokens"], 11);
        assert_eq!(answer["usage"]["total_tokens"], 26);
        assert_eq!(completion(&request(json!({})), false), answer, "deterministic");
    }

    #[test]
    fn json_requests_get_json_unless_told_to_break_it() {
        let schema = json!({"type": "json_schema", "json_schema": {"name": "x", "strict": true,
            "schema": {"type": "object", "properties": {"ok": {"type": "boolean"}}}}});
        let answer = completion(&request(json!({ "response_format": schema })), false);
        assert_eq!(answer["choices"][0]["message"]["content"], r#"{"ok":true}"#);
        let object = completion(&request(json!({"response_format": {"type": "json_object"}})), false);
        let content: Value =
            serde_json::from_str(object["choices"][0]["message"]["content"].as_str().unwrap()).unwrap();
        assert_eq!(content, json!({"resposta": "Resposta simulada: Quero agendar uma visita"}));
        let broken = completion(&request(json!({ "response_format": schema })), true);
        assert_eq!(broken["choices"][0]["message"]["content"], NOT_JSON);
        let text = completion(&request(json!({})), true);
        assert_eq!(text["choices"][0]["message"]["content"], "Resposta simulada: Quero agendar uma visita");
    }

    #[test]
    fn tools_are_called_by_name_in_the_message_else_the_first() {
        let tools = json!([
            {"type": "function", "function": {"name": "transferir", "parameters": {"type": "object"}}},
            {"type": "function", "function": {"name": "agendar", "parameters": {"type": "object",
                "properties": {"dia": {"type": "string", "enum": ["segunda", "terça"]}}}}}
        ]);
        let answer = completion(&request(json!({ "tools": tools, "tool_choice": "auto" })), false);
        let call = &answer["choices"][0]["message"]["tool_calls"][0];
        assert_eq!(call["function"]["name"], "agendar");
        assert_eq!(call["function"]["arguments"], r#"{"dia":"segunda"}"#);
        assert_eq!(answer["choices"][0]["finish_reason"], "tool_calls");
        assert!(answer["choices"][0]["message"]["content"].is_null());

        let unnamed = json!({"role": "user", "content": "bom dia"});
        let mut other = request(json!({ "tools": tools }));
        other["messages"][1] = unnamed;
        assert_eq!(
            completion(&other, false)["choices"][0]["message"]["tool_calls"][0]["function"]["name"],
            "transferir"
        );

        let forced = json!({"type": "function", "function": {"name": "transferir"}});
        let answer = completion(&request(json!({ "tools": tools, "tool_choice": forced })), false);
        assert_eq!(answer["choices"][0]["message"]["tool_calls"][0]["function"]["name"], "transferir");
        let none = completion(&request(json!({ "tools": tools, "tool_choice": "none" })), false);
        assert!(none["choices"][0]["message"]["tool_calls"].is_null());
    }
}
