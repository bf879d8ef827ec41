//! The data behind `DataTable` and its pure logic (sorting, paging, the range counter), kept apart from the
//! view so it is unit-tested without a browser.

use std::cmp::Ordering;

use super::Tone;
use crate::i18n::{Locale, Text, format_brl};

/// One column: `key` names it (and its sort button's `data-testid="sort-<key>"`), `label` is the header in
/// both languages. Numeric columns are right-aligned with tabular figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub key: String,
    pub label: Text,
    pub numeric: bool,
    pub sortable: bool,
}

impl Column {
    /// A sortable, left-aligned text column.
    pub fn text(key: impl Into<String>, label: Text) -> Self {
        Self { key: key.into(), label, numeric: false, sortable: true }
    }

    /// A sortable, right-aligned number column (amounts, counts).
    pub fn number(key: impl Into<String>, label: Text) -> Self {
        Self { key: key.into(), label, numeric: true, sortable: true }
    }

    /// The same column without a sort button (e.g. actions, free text).
    #[must_use]
    pub fn not_sortable(self) -> Self {
        Self { sortable: false, ..self }
    }
}

/// What a cell is sorted by. Numbers sort by value (`R$ 9,00` before `R$ 10,00`); text sorts ignoring case and
/// accents, so "Álvaro" sits next to "Alice" and "Érica" next to "Eduardo". In a mixed column numbers come first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortKey {
    Text(String),
    Number(i64),
}

/// One cell: what it shows and what it sorts by; optionally a link (the row's way to its own page, reachable by
/// Tab) or a badge (a status) of a tone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub display: String,
    pub sort: SortKey,
    pub href: Option<String>,
    pub badge: Option<Tone>,
}

impl Cell {
    /// Text that sorts by itself.
    pub fn text(text: impl Into<String>) -> Self {
        let display = text.into();
        Self { sort: SortKey::Text(display.clone()), display, href: None, badge: None }
    }

    /// A formatted number that sorts by `value` (e.g. `Cell::number("1.234", 1234)`).
    pub fn number(display: impl Into<String>, value: i64) -> Self {
        Self { display: display.into(), sort: SortKey::Number(value), href: None, badge: None }
    }

    /// An amount in BRL cents, shown as `R$ 1.234,56` and sorted by value.
    pub fn brl(cents: i64) -> Self {
        Self::number(format_brl(cents), cents)
    }

    /// The same cell as a link to `href`.
    #[must_use]
    pub fn link(self, href: impl Into<String>) -> Self {
        Self { href: Some(href.into()), ..self }
    }

    /// The same cell shown as a badge of `tone`.
    #[must_use]
    pub fn badge(self, tone: Tone) -> Self {
        Self { badge: Some(tone), ..self }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortDirection {
    #[default]
    Ascending,
    Descending,
}

impl SortDirection {
    pub fn flipped(self) -> Self {
        match self {
            Self::Ascending => Self::Descending,
            Self::Descending => Self::Ascending,
        }
    }

    /// The `aria-sort` value.
    pub fn aria(self) -> &'static str {
        match self {
            Self::Ascending => "ascending",
            Self::Descending => "descending",
        }
    }
}

/// Which column (by position in `columns`) the table is sorted by, and which way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortState {
    pub column: usize,
    pub direction: SortDirection,
}

impl SortState {
    pub fn ascending(column: usize) -> Self {
        Self { column, direction: SortDirection::Ascending }
    }

    pub fn descending(column: usize) -> Self {
        Self { column, direction: SortDirection::Descending }
    }
}

/// Activating a header: the sorted column flips direction; another column starts ascending.
pub fn next_sort(current: Option<SortState>, column: usize) -> SortState {
    match current {
        Some(state) if state.column == column => SortState { column, direction: state.direction.flipped() },
        _ => SortState::ascending(column),
    }
}

/// A comparable form of a sort key: the text folded once per sort, not once per comparison. The derived order
/// puts numbers before text.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Folded {
    Number(i64),
    Text(String),
}

/// Lower case without accents: enough for pt-BR names and words to sort the way people expect.
pub fn fold_for_sort(text: &str) -> String {
    text.trim().chars().flat_map(|c| fold_char(c).to_lowercase()).collect()
}

fn fold_char(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ã' | 'ä' | 'å' | 'Á' | 'À' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' | 'Ó' | 'Ò' | 'Ô' | 'Õ' | 'Ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        other => other,
    }
}

/// The order to show `rows` in, as indexes into `rows`. Stable: rows that compare equal keep their given order
/// (in both directions). A row without a cell in the sorted column sorts before every row that has one.
pub fn sorted_order(rows: &[Vec<Cell>], sort: Option<SortState>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let Some(SortState { column, direction }) = sort else {
        return order;
    };
    let keys: Vec<Option<Folded>> = rows
        .iter()
        .map(|row| {
            row.get(column).map(|cell| match &cell.sort {
                SortKey::Number(value) => Folded::Number(*value),
                SortKey::Text(text) => Folded::Text(fold_for_sort(text)),
            })
        })
        .collect();
    order.sort_by(|&a, &b| {
        let ordering = keys.get(a).cmp(&keys.get(b));
        match direction {
            SortDirection::Ascending => ordering,
            SortDirection::Descending => ordering.reverse(),
        }
    });
    order
}

/// The slice of rows one page shows: rows `start..end` of `total`, on page `page` (0-based) of `page_count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageWindow {
    pub page: usize,
    pub page_count: usize,
    pub start: usize,
    pub end: usize,
    pub total: usize,
}

impl PageWindow {
    pub fn has_previous(self) -> bool {
        self.page > 0
    }

    pub fn has_next(self) -> bool {
        self.page + 1 < self.page_count
    }

    /// "1–10 de 42" / "1–10 of 42" (thousands grouped the way the locale writes them).
    pub fn range_label(self, locale: Locale) -> String {
        const OF: Text = Text::new("de", "of");
        let first = if self.total == 0 { 0 } else { self.start + 1 };
        format!(
            "{}–{} {} {}",
            group_thousands(first, locale),
            group_thousands(self.end, locale),
            OF.get(locale),
            group_thousands(self.total, locale)
        )
    }
}

/// The page to show when `requested` may be out of range (e.g. the rows shrank): clamped to the last page.
/// There is always at least one (possibly empty) page; a page size of 0 is treated as 1.
pub fn page_window(total: usize, page_size: usize, requested: usize) -> PageWindow {
    let size = page_size.max(1);
    let page_count = total.div_ceil(size).max(1);
    let page = requested.min(page_count - 1);
    let start = page.saturating_mul(size).min(total);
    let end = start.saturating_add(size).min(total);
    PageWindow { page, page_count, start, end, total }
}

/// `1234` → `1.234` (pt-BR) or `1,234` (en).
pub fn group_thousands(value: usize, locale: Locale) -> String {
    let separator = match locale {
        Locale::PtBr => '.',
        Locale::En => ',',
    };
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// Compares two cells' sort keys the way the table does (ascending); for callers that sort elsewhere.
pub fn compare_keys(a: &SortKey, b: &SortKey) -> Ordering {
    let fold = |key: &SortKey| match key {
        SortKey::Number(value) => Folded::Number(*value),
        SortKey::Text(text) => Folded::Text(fold_for_sort(text)),
    };
    fold(a).cmp(&fold(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(rows: &[Vec<Cell>], order: &[usize]) -> Vec<String> {
        order.iter().map(|&index| rows[index][0].display.clone()).collect()
    }

    fn people() -> Vec<Vec<Cell>> {
        [("Bruno", 300), ("álvaro", 100), ("Alice", 200), ("Érica", 100), ("eduardo", 50), ("Ana", 200)]
            .into_iter()
            .map(|(name, cents)| vec![Cell::text(name), Cell::brl(cents)])
            .collect()
    }

    #[test]
    fn no_sort_keeps_the_given_order() {
        let rows = people();
        assert_eq!(sorted_order(&rows, None), vec![0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn text_sorts_ignoring_case_and_accents() {
        let rows = people();
        let order = sorted_order(&rows, Some(SortState::ascending(0)));
        assert_eq!(names(&rows, &order), ["Alice", "álvaro", "Ana", "Bruno", "eduardo", "Érica"]);
        let order = sorted_order(&rows, Some(SortState::descending(0)));
        assert_eq!(names(&rows, &order), ["Érica", "eduardo", "Bruno", "Ana", "álvaro", "Alice"]);
    }

    #[test]
    fn numbers_sort_by_value_not_by_their_text() {
        let rows: Vec<Vec<Cell>> = [900, 10_000, -500, 100_000].into_iter().map(|c| vec![Cell::brl(c)]).collect();
        let order = sorted_order(&rows, Some(SortState::ascending(0)));
        assert_eq!(names(&rows, &order), ["-R$ 5,00", "R$ 9,00", "R$ 100,00", "R$ 1.000,00"]);
    }

    #[test]
    fn sorting_is_stable_in_both_directions() {
        let rows = people();
        // Amounts: álvaro 100 and Érica 100 tie, as do Alice 200 and Ana 200; ties keep the given order.
        let order = sorted_order(&rows, Some(SortState::ascending(1)));
        assert_eq!(names(&rows, &order), ["eduardo", "álvaro", "Érica", "Alice", "Ana", "Bruno"]);
        let order = sorted_order(&rows, Some(SortState::descending(1)));
        assert_eq!(names(&rows, &order), ["Bruno", "Alice", "Ana", "álvaro", "Érica", "eduardo"]);
        // Equal text (after folding) also keeps the given order.
        let rows = vec![vec![Cell::text("Joao")], vec![Cell::text("João")], vec![Cell::text("JOAO")]];
        assert_eq!(sorted_order(&rows, Some(SortState::ascending(0))), vec![0, 1, 2]);
        assert_eq!(sorted_order(&rows, Some(SortState::descending(0))), vec![0, 1, 2]);
    }

    #[test]
    fn missing_cells_and_mixed_keys_have_a_defined_place() {
        let rows = vec![vec![Cell::text("b")], vec![], vec![Cell::number("7", 7)], vec![Cell::text("a")]];
        assert_eq!(sorted_order(&rows, Some(SortState::ascending(0))), vec![1, 2, 3, 0]);
        assert_eq!(compare_keys(&SortKey::Number(1), &SortKey::Text("0".into())), Ordering::Less);
        assert_eq!(compare_keys(&SortKey::Text("Ângela".into()), &SortKey::Text("angela".into())), Ordering::Equal);
    }

    #[test]
    fn folding_removes_accents_and_case() {
        assert_eq!(fold_for_sort("  Ação Çedilha ÍÑÜ "), "acao cedilha inu");
    }

    #[test]
    fn headers_toggle_and_switch_columns() {
        assert_eq!(next_sort(None, 2), SortState::ascending(2));
        assert_eq!(next_sort(Some(SortState::ascending(2)), 2), SortState::descending(2));
        assert_eq!(next_sort(Some(SortState::descending(2)), 2), SortState::ascending(2));
        assert_eq!(next_sort(Some(SortState::descending(2)), 0), SortState::ascending(0));
    }

    #[test]
    fn pages_cover_every_row_once() {
        let first = page_window(42, 10, 0);
        assert_eq!((first.start, first.end, first.page_count), (0, 10, 5));
        assert!(!first.has_previous() && first.has_next());
        let last = page_window(42, 10, 4);
        assert_eq!((last.start, last.end), (40, 42));
        assert!(last.has_previous() && !last.has_next());
        let exact = page_window(40, 10, 3);
        assert_eq!((exact.start, exact.end, exact.page_count), (30, 40, 4));
        assert!(!exact.has_next());
    }

    #[test]
    fn the_page_is_clamped_when_rows_shrink() {
        // Was on page 5 of 42 rows; now only 12 rows remain: show the last page that exists.
        let window = page_window(12, 10, 4);
        assert_eq!((window.page, window.start, window.end), (1, 10, 12));
        let empty = page_window(0, 10, 3);
        assert_eq!((empty.page, empty.page_count, empty.start, empty.end), (0, 1, 0, 0));
        assert!(!empty.has_previous() && !empty.has_next());
        let zero_size = page_window(3, 0, 1);
        assert_eq!((zero_size.start, zero_size.end, zero_size.page_count), (1, 2, 3));
    }

    #[test]
    fn the_range_label_reads_like_the_locale() {
        assert_eq!(page_window(42, 10, 0).range_label(Locale::PtBr), "1–10 de 42");
        assert_eq!(page_window(42, 10, 4).range_label(Locale::En), "41–42 of 42");
        assert_eq!(page_window(0, 10, 0).range_label(Locale::PtBr), "0–0 de 0");
        assert_eq!(page_window(1_234, 25, 0).range_label(Locale::PtBr), "1–25 de 1.234");
        assert_eq!(page_window(1_234, 25, 0).range_label(Locale::En), "1–25 of 1,234");
    }
}
