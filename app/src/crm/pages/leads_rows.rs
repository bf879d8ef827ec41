//! The leads table's header (sorting links) and body. The body is 100 rows × 9 cells: written as one HTML string
//! (every text escaped here) set as the `<tbody>`'s content, rather than ~1,000 view nodes, because this page is
//! the CRM's busiest read and that is most of its render time. Cell styles sit on the `<table>` (`TABLE_CLASS`), so
//! rows carry no classes: fewer bytes to write and, above all, to compress on every view.

use std::fmt::Write;

use chrono::{DateTime, Datelike, FixedOffset, Timelike, Utc};
use leptos::prelude::*;

use crate::crm::table::{
    query::{LeadTableQuery, SortKey},
    types::LeadRow,
};
use crate::i18n::{Locale, Text, format_brl, format_phone, t, use_locale};

const PHONE: Text = Text::new("Telefone", "Phone");
const EMAIL: Text = Text::new("E-mail", "E-mail");
const OWNER: Text = Text::new("Responsável", "Owner");
const SOURCE: Text = Text::new("Origem", "Source");
const UNASSIGNED: Text = Text::new("Sem responsável", "Unassigned");
const PRIVATE: Text = Text::new("restrito", "private");
const PRIVATE_HINT: Text = Text::new(
    "Só o responsável pelo lead, a equipe e o proprietário veem",
    "Only the lead's owner, staff and owners see it",
);
const WON: Text = Text::new("ganho", "won");
const LOST: Text = Text::new("perdido", "lost");

/// The table's classes, which style every row and cell (hover, the name links, the value column on the right).
pub const TABLE_CLASS: &str = "min-w-full text-sm tabular-nums [&_td]:whitespace-nowrap [&_td]:px-2 [&_td]:py-1.5 \
     [&_tbody_tr:hover]:bg-slate-50 [&_tbody_a]:font-medium [&_tbody_a]:text-indigo-700 [&_tbody_a:hover]:underline \
     [&_td:nth-child(7)]:text-right";

/// A column of the header: sortable by `key`, or plain.
enum Header {
    Sort(SortKey),
    Plain(Text),
}

const HEADERS: [Header; 9] = [
    Header::Sort(SortKey::Name),
    Header::Plain(PHONE),
    Header::Plain(EMAIL),
    Header::Sort(SortKey::Stage),
    Header::Plain(OWNER),
    Header::Plain(SOURCE),
    Header::Sort(SortKey::Value),
    Header::Sort(SortKey::Created),
    Header::Sort(SortKey::Activity),
];

/// The header row: each sortable column is a link to the table sorted by it (again: the other way round), the
/// current one marked with `aria-sort` and an arrow.
#[component]
pub fn SortHeaders(tenant: String, query: LeadTableQuery) -> impl IntoView {
    let cells = HEADERS
        .iter()
        .map(|header| match header {
            Header::Plain(label) => view! { <th scope="col" class="px-2 py-2 text-left font-semibold">{t(*label)}</th> }.into_any(),
            Header::Sort(key) => {
                let key = *key;
                let current = query.sort == key;
                let aria = current.then_some(if query.descending { "descending" } else { "ascending" });
                let arrow = match (current, query.descending) {
                    (false, _) => "",
                    (true, true) => " ↓",
                    (true, false) => " ↑",
                };
                let align = if key == SortKey::Value { "text-right" } else { "text-left" };
                let href = format!("/{tenant}/crm/leads{}", query.sorted_by(key).query_string());
                view! {
                    <th scope="col" aria-sort=aria class=format!("px-2 py-2 font-semibold {align}")>
                        <a href=href data-testid=format!("sort-{}", key.code())
                            class="rounded hover:text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">
                            {t(key.label())}{arrow}
                        </a>
                    </th>
                }
                .into_any()
            }
        })
        .collect_view();
    view! {
        <thead class="border-b border-slate-200 bg-slate-50 text-xs text-slate-600">
            <tr class="whitespace-nowrap">{cells}</tr>
        </thead>
    }
}

/// The rows. Each name opens the lead on its board (the drawer, `?lead=`).
#[component]
pub fn LeadRowsBody(tenant: String, rows: Vec<LeadRow>) -> impl IntoView {
    let html = rows_html(&tenant, &rows, use_locale().get_untracked());
    view! { <tbody class="divide-y divide-slate-100" data-testid="leads-rows" inner_html=html></tbody> }
}

/// The `<tr>`s of `rows`, escaped, in one allocation of about the right size.
pub fn rows_html(tenant: &str, rows: &[LeadRow], locale: Locale) -> String {
    let mut out = String::with_capacity(rows.len() * 720);
    for row in rows {
        out.push_str("<tr data-testid=\"lead-row\"><td><a href=\"/");
        escape(tenant, &mut out);
        let _ = write!(out, "/crm?funil={}&amp;lead={}\">", row.pipeline_id, row.id);
        escape(&row.name, &mut out);
        out.push_str("</a></td>");
        // Every lead has a phone: the row carries it exactly when the viewer may read the private fields.
        let readable = row.phone.is_some();
        private_cell(row.phone.as_deref().map(format_phone).as_deref(), readable, locale, &mut out);
        private_cell(row.email.as_deref(), readable, locale, &mut out);
        out.push_str("<td>");
        escape(&row.stage, &mut out);
        match row.outcome.as_deref() {
            Some("won") => outcome(WON, "text-emerald-700", locale, &mut out),
            Some("lost") => outcome(LOST, "text-rose-700", locale, &mut out),
            _ => {}
        }
        out.push_str("</td><td>");
        match &row.owner_name {
            Some(name) => escape(name, &mut out),
            None => {
                out.push_str("<span class=\"text-amber-700\">");
                out.push_str(UNASSIGNED.get(locale));
                out.push_str("</span>");
            }
        }
        out.push_str("</td><td>");
        out.push_str(row.source.label().get(locale));
        out.push_str("</td><td>");
        match row.value_cents {
            Some(cents) => escape(&format_brl(cents), &mut out),
            None => out.push('—'),
        }
        out.push_str("</td><td>");
        push_date(row.created_at, false, &mut out);
        out.push_str("</td><td>");
        push_date(row.last_activity_at, true, &mut out);
        out.push_str("</td></tr>");
    }
    out
}

/// A private field: its value when the viewer reads the lead's details (`readable`), "—" when the lead has none,
/// "restrito" when it is not the viewer's to read.
fn private_cell(value: Option<&str>, readable: bool, locale: Locale, out: &mut String) {
    out.push_str("<td>");
    match (value, readable) {
        (Some(value), _) => escape(value, out),
        (None, true) => out.push('—'),
        (None, false) => {
            let _ = write!(
                out,
                "<span class=\"text-slate-400\" title=\"{}\">{}</span>",
                PRIVATE_HINT.get(locale),
                PRIVATE.get(locale)
            );
        }
    }
    out.push_str("</td>");
}

fn outcome(label: Text, class: &str, locale: Locale, out: &mut String) {
    let _ = write!(out, " <span class=\"text-xs font-semibold {class}\">· {}</span>", label.get(locale));
}

/// dd/mm/aaaa (and hh:mm), as Brasília reads it (UTC−3; no daylight saving time since 2019).
fn push_date(instant: DateTime<Utc>, with_time: bool, out: &mut String) {
    let Some(offset) = FixedOffset::east_opt(-3 * 3600) else { return };
    let local = instant.with_timezone(&offset);
    let _ = write!(out, "{:02}/{:02}/{}", local.day(), local.month(), local.year());
    if with_time {
        let _ = write!(out, " {:02}:{:02}", local.hour(), local.minute());
    }
}

/// Writes `text` with the five characters that matter in HTML text and attribute values escaped.
fn escape(text: &str, out: &mut String) {
    let mut start = 0;
    for (index, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[start..index]);
        out.push_str(entity);
        start = index + 1;
    }
    out.push_str(&text[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::types::Source;
    use chrono::TimeZone;
    use uuid::Uuid;

    fn row(name: &str, phone: Option<&str>) -> LeadRow {
        let at = Utc.with_ymd_and_hms(2026, 12, 1, 2, 30, 0).single().expect("a time");
        LeadRow {
            id: Uuid::nil(),
            pipeline_id: Uuid::nil(),
            name: name.into(),
            stage: "Novo".into(),
            outcome: None,
            owner_name: None,
            source: Source::WebForm,
            value_cents: Some(123_456),
            created_at: at,
            last_activity_at: at,
            phone: phone.map(str::to_string),
            email: None,
        }
    }

    #[test]
    fn names_are_escaped_and_dates_money_are_written_as_brazilians_read_them() {
        let html = rows_html("famath", &[row("<b>Ana</b> & \"Zé\"", Some("+5511987654321"))], Locale::PtBr);
        assert!(html.contains("&lt;b&gt;Ana&lt;/b&gt; &amp; &quot;Zé&quot;"), "{html}");
        assert!(!html.contains("<b>"));
        assert!(html.contains("R$ 1.234,56"));
        assert!(html.contains("30/11/2026</td>"), "created the evening before, in Brasília: {html}");
        assert!(html.contains("30/11/2026 23:30"));
        assert!(html.contains("<td>(11) 98765-4321</td>"), "the phone as Brazilians write it: {html}");
        assert!(html.contains("Sem responsável"));
    }

    #[test]
    fn a_lead_not_the_viewers_shows_its_private_fields_as_restricted() {
        let html = rows_html("famath", &[row("Ana", None)], Locale::PtBr);
        assert_eq!(html.matches(">restrito</span>").count(), 2, "{html}");
    }
}
