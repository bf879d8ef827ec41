//! Prompt templates: a system and a user message with `{{name}}` placeholders. A template is code (a `const`
//! beside the feature that uses it) and carries a version, stored with every call it makes, so a change in what
//! the model answers can be traced to the prompt change that caused it: bump `version` whenever the text changes.

use std::collections::BTreeMap;

use crate::platform::integrations::language_model::ChatMessage;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromptTemplate {
    /// A stable dotted code: `crm.lead_qualifier`.
    pub id: &'static str,
    pub version: &'static str,
    pub system: &'static str,
    pub user: &'static str,
}

/// The values for a template's placeholders.
pub type PromptVars<'a> = BTreeMap<&'a str, String>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// A placeholder with no value. Never rendered as empty: a prompt missing its data makes the model guess.
    #[error("template {template}: no value for {{{{{name}}}}}")]
    MissingVar { template: &'static str, name: String },
    #[error("template {template}: a `{{{{` is never closed")]
    Unclosed { template: &'static str },
}

impl PromptTemplate {
    /// The system and user messages with every placeholder replaced. Values are inserted once and never
    /// scanned again, so text that came from a person (`{{...}}` typed in a chat) cannot pull in other values.
    pub fn render(&self, vars: &PromptVars<'_>) -> Result<Vec<ChatMessage>, TemplateError> {
        Ok(vec![
            ChatMessage::system(render_text(self.id, self.system, vars)?),
            ChatMessage::user(render_text(self.id, self.user, vars)?),
        ])
    }
}

fn render_text(template: &'static str, text: &str, vars: &PromptVars<'_>) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or(TemplateError::Unclosed { template })?;
        let name = after[..end].trim();
        let value = vars.get(name).ok_or_else(|| TemplateError::MissingVar { template, name: name.to_string() })?;
        out.push_str(value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::integrations::language_model::Role;

    const GREETING: PromptTemplate = PromptTemplate {
        id: "test.greeting",
        version: "2026-11-21.1",
        system: "Você atende a {{institution}}.",
        user: "Olá, {{ name }}! Curso: {{course}}.",
    };

    fn vars(pairs: &[(&'static str, &str)]) -> PromptVars<'static> {
        pairs.iter().map(|(k, v)| (*k, (*v).to_string())).collect()
    }

    #[test]
    fn placeholders_are_replaced_in_both_messages() {
        let messages = GREETING
            .render(&vars(&[("institution", "Faculdade Sol"), ("name", "Ana"), ("course", "Direito")]))
            .unwrap();
        assert_eq!(messages[0].role, Role::System);
        assert_eq!(messages[0].content, "Você atende a Faculdade Sol.");
        assert_eq!(messages[1].role, Role::User);
        assert_eq!(messages[1].content, "Olá, Ana! Curso: Direito.");
    }

    #[test]
    fn a_missing_value_is_an_error_not_an_empty_string() {
        let error = GREETING.render(&vars(&[("institution", "X"), ("name", "Ana")])).unwrap_err();
        assert_eq!(error, TemplateError::MissingVar { template: "test.greeting", name: "course".into() });
        assert!(error.to_string().contains("{{course}}"), "{error}");
    }

    #[test]
    fn values_are_not_expanded_again() {
        let messages =
            GREETING.render(&vars(&[("institution", "X"), ("name", "{{institution}}"), ("course", "}} {{")])).unwrap();
        assert_eq!(messages[1].content, "Olá, {{institution}}! Curso: }} {{.");
    }

    #[test]
    fn an_unclosed_placeholder_is_an_error() {
        let broken = PromptTemplate { user: "Olá {{name", ..GREETING };
        assert_eq!(
            broken.render(&vars(&[("institution", "X"), ("name", "Ana")])).unwrap_err(),
            TemplateError::Unclosed { template: "test.greeting" }
        );
    }

    #[test]
    fn text_without_placeholders_and_extra_values_are_fine() {
        let plain = PromptTemplate { system: "Sistema.", user: "Só texto, com { chaves } soltas.", ..GREETING };
        let messages = plain.render(&vars(&[("unused", "x")])).unwrap();
        assert_eq!(messages[1].content, "Só texto, com { chaves } soltas.");
    }
}
