//! A JSON value that fits a JSON schema, made deterministically from the schema and a seed text (the last user
//! message), so a test can know the fake's answer in advance and a typed struct always deserializes.
//!
//! Covers what prompts here use: objects (every property, required or not), strings (first `enum`, a few
//! `format`s, otherwise text from the seed within `minLength`/`maxLength`), integers and numbers (within
//! `minimum`/`maximum`), booleans, arrays (`minItems` items, at least one unless `maxItems` is 0), `const`,
//! the first branch of `anyOf`/`oneOf`/`allOf`. Anything else is `null`.

use serde_json::{Map, Value, json};

/// Nested deeper than this, a schema gets `null` (a recursive or hostile schema cannot loop the fake).
const MAX_DEPTH: usize = 16;

pub fn value_for(schema: &Value, seed: &str) -> Value {
    generate(schema, seed, "valor", 0)
}

fn generate(schema: &Value, seed: &str, key: &str, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    let Some(schema) = schema.as_object() else { return Value::Null };
    if let Some(constant) = schema.get("const") {
        return constant.clone();
    }
    if let Some(first) = schema.get("enum").and_then(Value::as_array).and_then(|options| options.first()) {
        return first.clone();
    }
    for combinator in ["anyOf", "oneOf", "allOf"] {
        if let Some(first) = schema.get(combinator).and_then(Value::as_array).and_then(|branches| branches.first()) {
            return generate(first, seed, key, depth + 1);
        }
    }
    match type_of(schema) {
        Some("object") => object(schema, seed, depth),
        Some("array") => array(schema, seed, key, depth),
        Some("string") => string(schema, seed, key),
        Some("integer") => json!(integer(schema, seed)),
        Some("number") => json!(integer(schema, seed) as f64),
        Some("boolean") => Value::Bool(true),
        _ => Value::Null,
    }
}

/// `type` as a name; `["string", "null"]` is its first non-null name; no `type` with `properties` is an object.
fn type_of(schema: &Map<String, Value>) -> Option<&str> {
    match schema.get("type") {
        Some(Value::String(name)) => Some(name),
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).find(|name| *name != "null"),
        _ if schema.contains_key("properties") => Some("object"),
        _ => None,
    }
}

fn object(schema: &Map<String, Value>, seed: &str, depth: usize) -> Value {
    let mut out = Map::new();
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            out.insert(name.clone(), generate(property, seed, name, depth + 1));
        }
    }
    // Required names without a declared property still get a value.
    for name in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
        if !out.contains_key(name) {
            out.insert(name.to_string(), Value::String(text(seed, name)));
        }
    }
    Value::Object(out)
}

fn array(schema: &Map<String, Value>, seed: &str, key: &str, depth: usize) -> Value {
    let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(1).max(1);
    let count = schema.get("maxItems").and_then(Value::as_u64).map_or(min, |max| min.min(max)).min(16);
    let items = schema.get("items").cloned().unwrap_or(Value::Null);
    (0..count).map(|_| generate(&items, seed, key, depth + 1)).collect()
}

fn string(schema: &Map<String, Value>, seed: &str, key: &str) -> Value {
    let value = match schema.get("format").and_then(Value::as_str) {
        Some("date") => "2026-01-15".to_string(),
        Some("date-time") => "2026-01-15T12:00:00Z".to_string(),
        Some("email") => "pessoa@example.com".to_string(),
        Some("uuid") => "01900000-0000-7000-8000-000000000000".to_string(),
        _ => text(seed, key),
    };
    let min = schema.get("minLength").and_then(Value::as_u64).map_or(0, |n| n as usize);
    let max = schema.get("maxLength").and_then(Value::as_u64).map_or(usize::MAX, |n| n as usize);
    let mut value: String = value.chars().take(max).collect();
    while value.chars().count() < min.min(max) {
        value.push('x');
    }
    Value::String(value)
}

/// The first words of the seed (up to 40 characters), or the property name when the seed is empty.
pub fn text(seed: &str, key: &str) -> String {
    let words = seed.split_whitespace().collect::<Vec<_>>().join(" ");
    let snippet: String = words.chars().take(40).collect();
    if snippet.is_empty() { key.to_string() } else { snippet }
}

/// The seed's length in characters modulo 100, moved into `[minimum, maximum]`.
fn integer(schema: &Map<String, Value>, seed: &str) -> i64 {
    let derived = (seed.chars().count() % 100) as i64;
    let minimum = schema.get("minimum").and_then(Value::as_f64).map(|n| n.ceil() as i64);
    let maximum = schema.get("maximum").and_then(Value::as_f64).map(|n| n.floor() as i64);
    let value = maximum.map_or(derived, |max| derived.min(max));
    minimum.map_or(value, |min| value.max(min))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_get_every_property_from_its_schema() {
        let schema = json!({
            "type": "object",
            "properties": {
                "nome": {"type": "string"},
                "interesse": {"type": "string", "enum": ["imovel", "veiculo"]},
                "nota": {"type": "integer", "minimum": 0, "maximum": 10},
                "renda": {"type": "number", "minimum": 1500},
                "whatsapp": {"type": "boolean"},
                "tags": {"type": "array", "items": {"type": "string", "maxLength": 5}},
                "contato": {"type": ["object", "null"], "properties": {"email": {"type": "string", "format": "email"}}},
                "vazio": {"type": "array", "maxItems": 0, "items": {"type": "string"}},
                "fixo": {"const": 3},
                "talvez": {"anyOf": [{"type": "integer"}, {"type": "null"}]}
            },
            "required": ["nome", "extra"]
        });
        let seed = "Quero   financiar um apartamento em Campinas, tenho renda de 8 mil";
        assert_eq!(
            value_for(&schema, seed),
            json!({
                "nome": "Quero financiar um apartamento em Campin",
                "interesse": "imovel",
                "nota": 10,
                "renda": 1500.0,
                "whatsapp": true,
                "tags": ["Quero"],
                "contato": {"email": "pessoa@example.com"},
                "vazio": [],
                "fixo": 3,
                "talvez": 66,
                "extra": "Quero financiar um apartamento em Campin"
            })
        );
        assert_eq!(value_for(&schema, seed), value_for(&schema, seed), "deterministic");
    }

    #[test]
    fn strings_fall_back_to_the_key_and_respect_min_length() {
        assert_eq!(value_for(&json!({"type": "string"}), "  "), json!("valor"));
        assert_eq!(value_for(&json!({"type": "string", "minLength": 4}), "ab"), json!("abxx"));
    }

    #[test]
    fn unknown_or_hostile_schemas_give_null_without_looping() {
        assert_eq!(value_for(&json!({"$ref": "#/defs/x"}), "x"), Value::Null);
        assert_eq!(value_for(&json!(true), "x"), Value::Null);
        let mut deep = json!({"type": "string"});
        for _ in 0..100 {
            deep = json!({"type": "array", "items": deep});
        }
        let mut value = &value_for(&deep, "x");
        let mut levels = 0;
        while let Some(first) = value.as_array().and_then(|items| items.first()) {
            value = first;
            levels += 1;
        }
        assert!(levels <= MAX_DEPTH + 1, "{levels}");
    }
}
