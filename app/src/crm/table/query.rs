//! The leads table's address: filters, search, sort and page as query parameters (`funil`, `etapa`, `consultor`,
//! `origem`, `busca`, `ordem`, `dir`, `pagina`), so the page works as plain links and GET forms, and reload, back
//! and shared links keep what the person chose.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::crm::types::Source;
use crate::i18n::Text;

/// Rows per page.
pub const PAGE_SIZE: i64 = 100;

/// Whose leads the table keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum OwnerFilter {
    #[default]
    Anyone,
    /// "Sem responsável": leads nobody owns yet.
    Nobody,
    Person(Uuid),
}

impl OwnerFilter {
    /// The value in the address (`consultor=`): a person's id, or `nenhum`.
    pub fn code(self) -> Option<String> {
        match self {
            Self::Anyone => None,
            Self::Nobody => Some(NOBODY.to_string()),
            Self::Person(id) => Some(id.to_string()),
        }
    }

    fn from_code(code: &str) -> Self {
        match code {
            NOBODY => Self::Nobody,
            id => id.parse().map_or(Self::Anyone, Self::Person),
        }
    }
}

/// `consultor=nenhum`: the leads without an owner.
pub const NOBODY: &str = "nenhum";

/// The columns the table sorts by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    #[default]
    Created,
    Activity,
    Name,
    Value,
    Stage,
}

impl SortKey {
    pub const ALL: [Self; 5] = [Self::Created, Self::Activity, Self::Name, Self::Value, Self::Stage];

    pub fn code(self) -> &'static str {
        match self {
            Self::Created => "criado",
            Self::Activity => "atividade",
            Self::Name => "nome",
            Self::Value => "valor",
            Self::Stage => "etapa",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|key| key.code() == code)
    }

    pub fn label(self) -> Text {
        match self {
            Self::Created => Text::new("Criado em", "Created"),
            Self::Activity => Text::new("Última atividade", "Last activity"),
            Self::Name => Text::new("Nome", "Name"),
            Self::Value => Text::new("Valor", "Value"),
            Self::Stage => Text::new("Etapa", "Stage"),
        }
    }

    /// The direction a first click on the header asks for: newest, largest first for times and money; A→Z and
    /// board order for names and stages.
    pub fn first_direction(self) -> bool {
        matches!(self, Self::Created | Self::Activity | Self::Value)
    }
}

/// What the table shows: every filter, the search, the sort and the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadTableQuery {
    #[serde(default)]
    pub pipeline: Option<Uuid>,
    #[serde(default)]
    pub stage: Option<Uuid>,
    #[serde(default)]
    pub owner: OwnerFilter,
    #[serde(default)]
    pub source: Option<Source>,
    /// Name (anyone's lead), phone or e-mail (only leads whose private fields the viewer reads).
    #[serde(default)]
    pub search: String,
    #[serde(default)]
    pub sort: SortKey,
    /// Largest / newest / last first.
    #[serde(default = "descending")]
    pub descending: bool,
    /// From 1.
    #[serde(default = "first_page")]
    pub page: i64,
}

fn descending() -> bool {
    true
}

fn first_page() -> i64 {
    1
}

impl Default for LeadTableQuery {
    /// Every lead, newest first, page 1.
    fn default() -> Self {
        Self {
            pipeline: None,
            stage: None,
            owner: OwnerFilter::Anyone,
            source: None,
            search: String::new(),
            sort: SortKey::Created,
            descending: true,
            page: 1,
        }
    }
}

/// Longest search kept (longer input is cut, not refused: it is a GET form).
const SEARCH_MAX_CHARS: usize = 100;

impl LeadTableQuery {
    /// From the address's query (`get` answers a key's value). Anything unreadable is left out, never an error:
    /// a hand-edited address shows the table with what could be read.
    pub fn from_url(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |key: &str| get(key).map(|value| value.trim().to_string()).filter(|value| !value.is_empty());
        let sort = text("ordem").and_then(|code| SortKey::from_code(&code)).unwrap_or_default();
        Self {
            pipeline: text("funil").and_then(|id| id.parse().ok()),
            stage: text("etapa").and_then(|id| id.parse().ok()),
            owner: text("consultor").map_or(OwnerFilter::Anyone, |code| OwnerFilter::from_code(&code)),
            source: text("origem").and_then(|code| Source::from_code(&code)),
            search: text("busca").map(|search| search.chars().take(SEARCH_MAX_CHARS).collect()).unwrap_or_default(),
            sort,
            descending: match text("dir").as_deref() {
                Some("asc") => false,
                Some("desc") => true,
                _ => sort.first_direction(),
            },
            page: text("pagina").and_then(|page| page.parse().ok()).unwrap_or(1).clamp(1, 1_000_000),
        }
    }

    /// The `(name, value)` pairs of the address: only what differs from the default.
    pub fn url_pairs(&self) -> Vec<(&'static str, String)> {
        let sort_changed = self.sort != SortKey::default();
        [
            ("funil", self.pipeline.map(|id| id.to_string())),
            ("etapa", self.stage.map(|id| id.to_string())),
            ("consultor", self.owner.code()),
            ("origem", self.source.map(|source| source.code().to_string())),
            ("busca", Some(self.search.trim().to_string()).filter(|search| !search.is_empty())),
            ("ordem", sort_changed.then(|| self.sort.code().to_string())),
            (
                "dir",
                (self.descending != self.sort.first_direction())
                    .then(|| if self.descending { "desc" } else { "asc" }.to_string()),
            ),
            ("pagina", (self.page > 1).then(|| self.page.to_string())),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.map(|value| (key, value)))
        .collect()
    }

    /// `?funil=…&ordem=nome` (or nothing): the address's query for these choices, escaped.
    pub fn query_string(&self) -> String {
        let pairs = self.url_pairs();
        let mut out = String::with_capacity(pairs.len() * 48);
        for (index, (key, value)) in pairs.iter().enumerate() {
            out.push(if index == 0 { '?' } else { '&' });
            out.push_str(key);
            out.push('=');
            encode_component(value, &mut out);
        }
        out
    }

    #[must_use]
    pub fn with_page(&self, page: i64) -> Self {
        Self { page, ..self.clone() }
    }

    /// Sorted by `key`: a click on the current column turns its direction around; another column starts with its
    /// natural direction. Back to page 1.
    #[must_use]
    pub fn sorted_by(&self, key: SortKey) -> Self {
        let descending = if self.sort == key { !self.descending } else { key.first_direction() };
        Self { sort: key, descending, page: 1, ..self.clone() }
    }

    /// The same filters on one stage (or every stage): the chips above the table.
    #[must_use]
    pub fn with_stage(&self, stage: Option<Uuid>) -> Self {
        Self { stage, page: 1, ..self.clone() }
    }

    /// The digits of the search, when it looks like part of a phone number (at least four digits).
    pub fn phone_digits(&self) -> Option<String> {
        let digits: String = self.search.chars().filter(char::is_ascii_digit).collect();
        (digits.len() >= 4).then_some(digits)
    }

    /// Rows to skip for this page.
    pub fn offset(&self) -> i64 {
        (self.page - 1) * PAGE_SIZE
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
fn encode_component(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &[(&str, &str)]) -> LeadTableQuery {
        LeadTableQuery::from_url(|key| query.iter().find(|(k, _)| *k == key).map(|(_, v)| (*v).to_string()))
    }

    #[test]
    fn the_address_round_trips_and_leaves_defaults_out() {
        assert_eq!(parse(&[]), LeadTableQuery::default());
        assert_eq!(LeadTableQuery::default().query_string(), "");
        let id = Uuid::now_v7();
        let id_text = id.to_string();
        let query = parse(&[
            ("funil", id_text.as_str()),
            ("consultor", "nenhum"),
            ("origem", "web_form"),
            ("busca", " Ana & Cia "),
            ("ordem", "nome"),
            ("dir", "desc"),
            ("pagina", "3"),
        ]);
        assert_eq!(query.owner, OwnerFilter::Nobody);
        assert_eq!(query.search, "Ana & Cia");
        assert!(query.descending, "names go A→Z unless the address says otherwise");
        let pairs = query.url_pairs();
        let back = LeadTableQuery::from_url(|key| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()));
        assert_eq!(back, query);
        assert_eq!(
            query.query_string(),
            format!("?funil={id}&consultor=nenhum&origem=web_form&busca=Ana%20%26%20Cia&ordem=nome&dir=desc&pagina=3")
        );
    }

    #[test]
    fn unreadable_values_are_left_out_and_pages_start_at_one() {
        let query = parse(&[("funil", "x"), ("origem", "fax"), ("ordem", "cpf"), ("pagina", "-4"), ("dir", "up")]);
        assert_eq!(query, LeadTableQuery::default());
        assert_eq!(parse(&[("pagina", "abc")]).page, 1);
    }

    #[test]
    fn a_header_click_flips_the_current_column_and_starts_another_in_its_natural_direction() {
        let query = LeadTableQuery::default().with_page(4);
        let flipped = query.sorted_by(SortKey::Created);
        assert!(!flipped.descending);
        assert_eq!(flipped.page, 1);
        let by_name = flipped.sorted_by(SortKey::Name);
        assert!(!by_name.descending, "A→Z first");
        assert_eq!(by_name.query_string(), "?ordem=nome");
        assert!(by_name.sorted_by(SortKey::Name).descending);
        assert!(query.sorted_by(SortKey::Value).descending, "largest first");
    }

    #[test]
    fn only_four_digits_or_more_search_phones() {
        let query = |search: &str| LeadTableQuery { search: search.into(), ..LeadTableQuery::default() };
        assert_eq!(query("(11) 98765").phone_digits().as_deref(), Some("1198765"));
        assert_eq!(query("Ana 2").phone_digits(), None);
    }
}
