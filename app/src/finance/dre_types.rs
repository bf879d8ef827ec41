//! The DRE (Demonstração do Resultado do Exercício) as the page, the CSV and the tests read it: its lines, the
//! Brazilian structure with subtotals, the query in the address and the report the server answers.
//!
//! Amounts are signed cents as the rollups keep them (income positive, expenses negative), so every subtotal is the
//! running sum of the lines above it: receita líquida = bruta + deduções, lucro bruto = líquida + custos, and so on.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::i18n::{Locale, Text};

/// A line of the DRE a leaf category feeds (`finance_categories.dre_line`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DreLine {
    ReceitaBruta,
    Deducoes,
    Custos,
    Administrativas,
    Comerciais,
    Pessoal,
    Ocupacao,
    OutrasOperacionais,
    ReceitasFinanceiras,
    DespesasFinanceiras,
    IrCsll,
}

impl DreLine {
    pub const ALL: [Self; 11] = [
        Self::ReceitaBruta,
        Self::Deducoes,
        Self::Custos,
        Self::Administrativas,
        Self::Comerciais,
        Self::Pessoal,
        Self::Ocupacao,
        Self::OutrasOperacionais,
        Self::ReceitasFinanceiras,
        Self::DespesasFinanceiras,
        Self::IrCsll,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::ReceitaBruta => "receita_bruta",
            Self::Deducoes => "deducoes",
            Self::Custos => "custos",
            Self::Administrativas => "administrativas",
            Self::Comerciais => "comerciais",
            Self::Pessoal => "pessoal",
            Self::Ocupacao => "ocupacao",
            Self::OutrasOperacionais => "outras_operacionais",
            Self::ReceitasFinanceiras => "receitas_financeiras",
            Self::DespesasFinanceiras => "despesas_financeiras",
            Self::IrCsll => "ir_csll",
        }
    }

    /// Every code stored for this line: part 1 wrote taxes on sales as `impostos`.
    pub fn codes(self) -> &'static [&'static str] {
        match self {
            Self::Deducoes => &["deducoes", "impostos"],
            Self::ReceitaBruta => &["receita_bruta"],
            Self::Custos => &["custos"],
            Self::Administrativas => &["administrativas"],
            Self::Comerciais => &["comerciais"],
            Self::Pessoal => &["pessoal"],
            Self::Ocupacao => &["ocupacao"],
            Self::OutrasOperacionais => &["outras_operacionais"],
            Self::ReceitasFinanceiras => &["receitas_financeiras"],
            Self::DespesasFinanceiras => &["despesas_financeiras"],
            Self::IrCsll => &["ir_csll"],
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|line| line.codes().contains(&code))
    }

    pub fn label(self) -> Text {
        match self {
            Self::ReceitaBruta => Text::new("Receita bruta", "Gross revenue"),
            Self::Deducoes => Text::new("(−) Deduções e impostos sobre vendas", "(−) Deductions and sales taxes"),
            Self::Custos => Text::new("(−) Custos (CMV/CSP)", "(−) Cost of goods and services"),
            Self::Administrativas => Text::new("Administrativas", "Administrative"),
            Self::Comerciais => Text::new("Comerciais", "Selling"),
            Self::Pessoal => Text::new("Com pessoal", "Personnel"),
            Self::Ocupacao => Text::new("Ocupação (aluguel, energia, água)", "Occupancy (rent, utilities)"),
            Self::OutrasOperacionais => Text::new("Outras despesas operacionais", "Other operating expenses"),
            Self::ReceitasFinanceiras => Text::new("Receitas financeiras", "Financial income"),
            Self::DespesasFinanceiras => Text::new("Despesas financeiras", "Financial expenses"),
            Self::IrCsll => Text::new("(−) IR/CSLL", "(−) Income taxes (IR/CSLL)"),
        }
    }
}

/// A heading that sums the lines under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DreGroup {
    DespesasOperacionais,
    ResultadoFinanceiro,
}

impl DreGroup {
    pub fn lines(self) -> &'static [DreLine] {
        match self {
            Self::DespesasOperacionais => &[
                DreLine::Administrativas,
                DreLine::Comerciais,
                DreLine::Pessoal,
                DreLine::Ocupacao,
                DreLine::OutrasOperacionais,
            ],
            Self::ResultadoFinanceiro => &[DreLine::ReceitasFinanceiras, DreLine::DespesasFinanceiras],
        }
    }

    pub fn label(self) -> Text {
        match self {
            Self::DespesasOperacionais => Text::new("(−) Despesas operacionais", "(−) Operating expenses"),
            Self::ResultadoFinanceiro => Text::new("(±) Resultado financeiro", "(±) Financial result"),
        }
    }
}

/// A result line: the running sum of every line above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DreSubtotal {
    ReceitaLiquida,
    LucroBruto,
    ResultadoOperacional,
    ResultadoAntesIr,
    LucroLiquido,
}

impl DreSubtotal {
    pub fn label(self) -> Text {
        match self {
            Self::ReceitaLiquida => Text::new("= Receita líquida", "= Net revenue"),
            Self::LucroBruto => Text::new("= Lucro bruto", "= Gross profit"),
            Self::ResultadoOperacional => Text::new("= Resultado operacional", "= Operating result"),
            Self::ResultadoAntesIr => Text::new("= Resultado antes de IR/CSLL", "= Result before income taxes"),
            Self::LucroLiquido => Text::new("= Lucro líquido", "= Net income"),
        }
    }
}

/// One row of the statement, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DreItem {
    Line(DreLine),
    Group(DreGroup),
    Subtotal(DreSubtotal),
}

impl DreItem {
    /// The statement, top to bottom.
    pub const STRUCTURE: [Self; 18] = [
        Self::Line(DreLine::ReceitaBruta),
        Self::Line(DreLine::Deducoes),
        Self::Subtotal(DreSubtotal::ReceitaLiquida),
        Self::Line(DreLine::Custos),
        Self::Subtotal(DreSubtotal::LucroBruto),
        Self::Group(DreGroup::DespesasOperacionais),
        Self::Line(DreLine::Administrativas),
        Self::Line(DreLine::Comerciais),
        Self::Line(DreLine::Pessoal),
        Self::Line(DreLine::Ocupacao),
        Self::Line(DreLine::OutrasOperacionais),
        Self::Subtotal(DreSubtotal::ResultadoOperacional),
        Self::Group(DreGroup::ResultadoFinanceiro),
        Self::Line(DreLine::ReceitasFinanceiras),
        Self::Line(DreLine::DespesasFinanceiras),
        Self::Subtotal(DreSubtotal::ResultadoAntesIr),
        Self::Line(DreLine::IrCsll),
        Self::Subtotal(DreSubtotal::LucroLiquido),
    ];

    pub fn label(self) -> Text {
        match self {
            Self::Line(line) => line.label(),
            Self::Group(group) => group.label(),
            Self::Subtotal(subtotal) => subtotal.label(),
        }
    }

    /// A stable key for tests and the drill-down address (`receita_bruta`, `receita_liquida`, …).
    pub fn key(self) -> &'static str {
        match self {
            Self::Line(line) => line.code(),
            Self::Group(DreGroup::DespesasOperacionais) => "despesas_operacionais",
            Self::Group(DreGroup::ResultadoFinanceiro) => "resultado_financeiro",
            Self::Subtotal(DreSubtotal::ReceitaLiquida) => "receita_liquida",
            Self::Subtotal(DreSubtotal::LucroBruto) => "lucro_bruto",
            Self::Subtotal(DreSubtotal::ResultadoOperacional) => "resultado_operacional",
            Self::Subtotal(DreSubtotal::ResultadoAntesIr) => "resultado_antes_ir",
            Self::Subtotal(DreSubtotal::LucroLiquido) => "lucro_liquido",
        }
    }
}

/// Which date counts: competence (when it belongs) or cash (when it was paid).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    #[default]
    Competence,
    Cash,
}

impl Basis {
    /// The rollups' `basis` column.
    pub fn code(self) -> &'static str {
        match self {
            Self::Competence => "competence",
            Self::Cash => "cash",
        }
    }

    /// The address's `base=` value.
    pub fn param(self) -> &'static str {
        match self {
            Self::Competence => "competencia",
            Self::Cash => "caixa",
        }
    }

    pub fn from_param(param: &str) -> Option<Self> {
        [Self::Competence, Self::Cash].into_iter().find(|basis| basis.param() == param)
    }

    pub fn label(self) -> Text {
        match self {
            Self::Competence => Text::new("Competência", "Accrual"),
            Self::Cash => Text::new("Caixa", "Cash"),
        }
    }
}

/// One column per month, quarter or year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    #[default]
    Month,
    Quarter,
    Year,
}

impl PeriodKind {
    pub const ALL: [Self; 3] = [Self::Month, Self::Quarter, Self::Year];

    pub fn param(self) -> &'static str {
        match self {
            Self::Month => "mes",
            Self::Quarter => "trimestre",
            Self::Year => "ano",
        }
    }

    pub fn from_param(param: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.param() == param)
    }

    pub fn label(self) -> Text {
        match self {
            Self::Month => Text::new("Mês", "Month"),
            Self::Quarter => Text::new("Trimestre", "Quarter"),
            Self::Year => Text::new("Ano", "Year"),
        }
    }

    /// The first month of the period holding `month`.
    pub fn start_of(self, month: NaiveDate) -> NaiveDate {
        let month0 = match self {
            Self::Month => month.month0(),
            Self::Quarter => month.month0() / 3 * 3,
            Self::Year => 0,
        };
        NaiveDate::from_ymd_opt(month.year(), month0 + 1, 1).unwrap_or(month)
    }

    /// How many months a whole period spans.
    pub fn months(self) -> u32 {
        match self {
            Self::Month => 1,
            Self::Quarter => 3,
            Self::Year => 12,
        }
    }

    /// "03/2026", "1º tri/2026" ("Q1 2026"), "2026".
    pub fn column_label(self, start: NaiveDate, locale: Locale) -> String {
        match (self, locale) {
            (Self::Month, _) => format!("{:02}/{}", start.month(), start.year()),
            (Self::Quarter, Locale::PtBr) => format!("{}º tri/{}", start.month0() / 3 + 1, start.year()),
            (Self::Quarter, Locale::En) => format!("Q{} {}", start.month0() / 3 + 1, start.year()),
            (Self::Year, _) => start.year().to_string(),
        }
    }
}

/// What the DRE page's address asks for: `?periodo=mes&base=caixa&de=2026-01&ate=2026-12&av=1`. Empty months
/// mean the last twelve; the server answers the range it actually shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DreQuery {
    #[serde(default)]
    pub period: PeriodKind,
    #[serde(default)]
    pub basis: Basis,
    /// First month shown (its first day).
    #[serde(default)]
    pub from: Option<NaiveDate>,
    /// Last month shown (its first day).
    #[serde(default)]
    pub to: Option<NaiveDate>,
    /// Show each cell's share of receita líquida.
    #[serde(default)]
    pub vertical: bool,
}

impl DreQuery {
    /// Reads the address's parameters (anything unreadable falls back to the default).
    pub fn from_url(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            period: get("periodo").as_deref().and_then(PeriodKind::from_param).unwrap_or_default(),
            basis: get("base").as_deref().and_then(Basis::from_param).unwrap_or_default(),
            from: get("de").as_deref().and_then(parse_month),
            to: get("ate").as_deref().and_then(parse_month),
            vertical: get("av").is_some_and(|value| value == "1"),
        }
    }

    /// The address's parameters for this query.
    pub fn url_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![("periodo", self.period.param().to_string()), ("base", self.basis.param().to_string())];
        if let Some(from) = self.from {
            pairs.push(("de", month_param(from)));
        }
        if let Some(to) = self.to {
            pairs.push(("ate", month_param(to)));
        }
        if self.vertical {
            pairs.push(("av", "1".into()));
        }
        pairs
    }
}

/// `2026-03` (what a `<input type="month">` sends) → 1 March 2026.
pub fn parse_month(text: &str) -> Option<NaiveDate> {
    let (year, month) = text.trim().split_once('-')?;
    let month = month.get(..2).unwrap_or(month);
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)
        .filter(|date| (1990..=2100).contains(&date.year()))
}

/// 1 March 2026 → `2026-03`.
pub fn month_param(month: NaiveDate) -> String {
    format!("{}-{:02}", month.year(), month.month())
}

/// The last day of `month`'s month.
pub fn month_end(month: NaiveDate) -> NaiveDate {
    month
        .checked_add_months(Months::new(1))
        .and_then(|next| next.with_day(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(month)
}

/// A column: the months it sums (first days, both ends inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DreColumn {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// One row: a value per column and the total of the range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DreRow {
    pub item: DreItem,
    pub cells: Vec<i64>,
    pub total: i64,
}

/// A category with movement in the range that feeds no DRE line (the owner maps it below the table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unmapped {
    pub category: String,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DreReport {
    /// The query as shown: its months resolved and clamped to the plan's history.
    pub query: DreQuery,
    pub columns: Vec<DreColumn>,
    pub rows: Vec<DreRow>,
    /// Set when the request reached before the plan's history: the first month the plan shows, and how many.
    pub capped: Option<(NaiveDate, i64)>,
    pub unmapped: Vec<Unmapped>,
}

impl DreReport {
    /// The receita líquida row's values (the base of the vertical analysis).
    pub fn net_revenue(&self) -> Option<&DreRow> {
        self.rows.iter().find(|row| row.item == DreItem::Subtotal(DreSubtotal::ReceitaLiquida))
    }
}

/// `cents` as a share of `base` in tenths of a percent (`None` when the base is not positive).
pub fn share_permille(cents: i64, base: i64) -> Option<i64> {
    (base > 0).then(|| {
        let scaled = i128::from(cents) * 1000;
        let base = i128::from(base);
        // Rounded half away from zero.
        let rounded = (scaled * 2 + scaled.signum() * base) / (base * 2);
        i64::try_from(rounded).unwrap_or(i64::MAX)
    })
}

/// 123 permille → `12,3 %` (integers only: no float printer in the browser bundle).
pub fn format_permille(permille: i64) -> String {
    let sign = if permille < 0 { "-" } else { "" };
    let abs = permille.unsigned_abs();
    format!("{sign}{},{} %", abs / 10, abs % 10)
}

/// A drill-down: the transactions behind one cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DreCell {
    pub line: DreLine,
    pub basis: Basis,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl DreCell {
    pub fn from_url(get: impl Fn(&str) -> Option<String>) -> Option<Self> {
        Some(Self {
            line: DreLine::from_code(&get("linha")?)?,
            basis: get("base").as_deref().and_then(Basis::from_param).unwrap_or_default(),
            from: parse_month(&get("de")?)?,
            to: parse_month(&get("ate")?)?,
        })
    }

    /// `/{tenant}/financeiro/dre/lancamentos?linha=…&base=…&de=…&ate=…`.
    pub fn href(&self, tenant: &str) -> String {
        format!(
            "/{tenant}/financeiro/dre/lancamentos?linha={}&base={}&de={}&ate={}",
            self.line.code(),
            self.basis.param(),
            month_param(self.from),
            month_param(self.to)
        )
    }
}

/// The transactions behind a cell (the newest `rows`), and the total of all of them, signed as the cell is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DreCellDetail {
    pub cell: DreCell,
    pub rows: Vec<super::types::Transaction>,
    pub total: i64,
    pub count: i64,
}

/// A leaf category and the DRE line it feeds, for the owner's mapping editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryLine {
    pub id: uuid::Uuid,
    pub name: String,
    pub kind: super::types::EntryKind,
    pub line: Option<DreLine>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_appears_once_in_the_structure() {
        for line in DreLine::ALL {
            let count = DreItem::STRUCTURE.iter().filter(|item| **item == DreItem::Line(line)).count();
            assert_eq!(count, 1, "{line:?}");
            assert_eq!(DreLine::from_code(line.code()), Some(line));
        }
        assert_eq!(DreLine::from_code("impostos"), Some(DreLine::Deducoes));
        assert_eq!(DreLine::from_code("x"), None);
    }

    #[test]
    fn shares_round_and_print_without_floats() {
        assert_eq!(share_permille(1234, 10_000), Some(123));
        assert_eq!(share_permille(-1235, 10_000), Some(-124));
        assert_eq!(share_permille(5, 0), None);
        assert_eq!(format_permille(123), "12,3 %");
        assert_eq!(format_permille(-5), "-0,5 %");
    }

    #[test]
    fn queries_round_trip_through_the_address() {
        let query = DreQuery {
            period: PeriodKind::Quarter,
            basis: Basis::Cash,
            from: NaiveDate::from_ymd_opt(2026, 1, 1),
            to: NaiveDate::from_ymd_opt(2026, 12, 1),
            vertical: true,
        };
        let pairs = query.url_pairs();
        let back = DreQuery::from_url(|key| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()));
        assert_eq!(back, query);
        assert_eq!(month_end(NaiveDate::from_ymd_opt(2028, 2, 1).unwrap_or_default()).day(), 29);
        assert_eq!(PeriodKind::Quarter.start_of(NaiveDate::from_ymd_opt(2026, 8, 1).unwrap_or_default()).month(), 7);
    }
}
