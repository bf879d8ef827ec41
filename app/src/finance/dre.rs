//! The DRE service: the income statement read from the monthly rollups (never a scan of every transaction), the
//! transactions behind one of its cells, its CSV, and the owner's mapping of categories to lines. The plan's
//! history cap (`platform::plans`) limits how far back it shows; nothing is deleted.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use uuid::Uuid;

use super::{
    dre_types::{
        Basis, CategoryLine, DreCell, DreCellDetail, DreColumn, DreItem, DreLine, DreQuery, DreReport, DreRow,
        Unmapped, month_end, share_permille,
    },
    fields::month_of,
    store,
    types::EntryKind,
};
use crate::platform::{AppError, audit, csv::decimal, plans, tenancy::Plan, tenancy::TenantTx};

/// The widest range one statement shows (five years of months).
const MAX_MONTHS: u32 = 60;

/// The first month the plan shows, counting back from `this_month` (`None`: no cap).
fn earliest_month(plan: Plan, this_month: NaiveDate) -> Option<(NaiveDate, i64)> {
    let cap = plans::limits(plan).dre_history_months?;
    let back = u32::try_from(cap.saturating_sub(1)).unwrap_or(0);
    Some((this_month.checked_sub_months(Months::new(back)).unwrap_or(this_month), cap))
}

/// The query with its months resolved (default: the last twelve up to this month), at most `MAX_MONTHS` wide and
/// clamped to the plan's history; the cap is answered when it cut the request.
pub fn resolve(plan: Plan, today: NaiveDate, query: &DreQuery) -> (DreQuery, Option<(NaiveDate, i64)>) {
    let this_month = month_of(today);
    let mut to = query.to.map_or(this_month, month_of);
    let mut from = query.from.map_or_else(|| to.checked_sub_months(Months::new(11)).unwrap_or(to), month_of);
    if from > to {
        std::mem::swap(&mut from, &mut to);
    }
    from = from.max(to.checked_sub_months(Months::new(MAX_MONTHS - 1)).unwrap_or(from));
    let mut capped = None;
    if let Some((earliest, cap)) = earliest_month(plan, this_month)
        && from < earliest
    {
        capped = Some((earliest, cap));
        from = earliest;
        to = to.max(earliest);
    }
    (DreQuery { from: Some(from), to: Some(to), ..query.clone() }, capped)
}

/// The columns of `from..=to` (first days of months): whole periods, the first and last cut to the range.
pub fn columns(query: &DreQuery) -> Vec<DreColumn> {
    let (Some(from), Some(to)) = (query.from, query.to) else { return Vec::new() };
    let mut columns = Vec::new();
    let mut start = query.period.start_of(from);
    while start <= to {
        let next = start.checked_add_months(Months::new(query.period.months())).unwrap_or(to);
        let last = next.checked_sub_months(Months::new(1)).unwrap_or(start);
        columns.push(DreColumn { from: start.max(from), to: last.min(to) });
        if next <= start {
            break;
        }
        start = next;
    }
    columns
}

/// The statement's rows from signed monthly amounts per line: each line's cells, group headings summing their
/// lines, and each subtotal the running sum of every line above it.
pub fn rows_of(columns: &[DreColumn], amounts: &[(DreLine, NaiveDate, i64)]) -> Vec<DreRow> {
    let cells_of = |line: DreLine| -> Vec<i64> {
        columns
            .iter()
            .map(|column| {
                amounts
                    .iter()
                    .filter(|(of, month, _)| *of == line && (column.from..=column.to).contains(month))
                    .map(|(_, _, cents)| cents)
                    .sum()
            })
            .collect()
    };
    let mut running = vec![0_i64; columns.len()];
    DreItem::STRUCTURE
        .into_iter()
        .map(|item| {
            let cells = match item {
                DreItem::Line(line) => {
                    let cells = cells_of(line);
                    running.iter_mut().zip(&cells).for_each(|(sum, cell)| *sum += cell);
                    cells
                }
                DreItem::Group(group) => group.lines().iter().fold(vec![0; columns.len()], |mut sum, line| {
                    sum.iter_mut().zip(cells_of(*line)).for_each(|(sum, cell)| *sum += cell);
                    sum
                }),
                DreItem::Subtotal(_) => running.clone(),
            };
            DreRow { item, total: cells.iter().sum(), cells }
        })
        .collect()
}

/// The DRE for `query` on `today`, from the rollups.
pub async fn report(
    tx: &mut TenantTx,
    plan: Plan,
    today: NaiveDate,
    query: &DreQuery,
) -> Result<DreReport, sqlx::Error> {
    let (query, capped) = resolve(plan, today, query);
    let columns = columns(&query);
    let rows: Vec<(String, Option<String>, NaiveDate, i64)> = sqlx::query_as(
        "select c.name, c.dre_line, r.month, sum(r.amount_cents)::bigint
           from finance_rollups r
           join finance_categories c on c.tenant_id = r.tenant_id and c.id = r.category_id
          where r.basis = $1 and r.month between $2 and $3
          group by c.id, c.name, c.dre_line, r.month",
    )
    .bind(query.basis.code())
    .bind(query.from)
    .bind(query.to)
    .fetch_all(tx.conn())
    .await?;
    let mut amounts = Vec::with_capacity(rows.len());
    let mut unmapped: BTreeMap<String, i64> = BTreeMap::new();
    for (category, line, month, cents) in rows {
        match line.as_deref().and_then(DreLine::from_code) {
            Some(line) => amounts.push((line, month, cents)),
            None => *unmapped.entry(category).or_default() += cents,
        }
    }
    let unmapped = unmapped
        .into_iter()
        .filter(|(_, total)| *total != 0)
        .map(|(category, total)| Unmapped { category, total })
        .collect();
    Ok(DreReport { rows: rows_of(&columns, &amounts), columns, query, capped, unmapped })
}

/// How many transactions a drill-down lists (its total always covers every one).
pub const CELL_LIMIT: i64 = 500;

/// The transactions behind one cell: the line's categories, dated in the cell's months on its basis (cash:
/// paid in them). The cell's months are clamped to the plan's history as the statement is.
pub async fn cell(
    tx: &mut TenantTx,
    plan: Plan,
    today: NaiveDate,
    cell: &DreCell,
) -> Result<DreCellDetail, sqlx::Error> {
    let (range, _) =
        resolve(plan, today, &DreQuery { from: Some(cell.from), to: Some(cell.to), ..DreQuery::default() });
    let (from, to) = (range.from.unwrap_or(cell.from), range.to.unwrap_or(cell.to));
    let span = (from, month_end(to));
    let codes = cell.line.codes();
    let rows = store::transactions_behind(tx.conn(), codes, cell.basis == Basis::Cash, span, CELL_LIMIT).await?;
    let (total, count) = store::total_behind(tx.conn(), codes, cell.basis == Basis::Cash, span).await?;
    Ok(DreCellDetail { cell: DreCell { from, to, ..cell.clone() }, rows, total, count })
}

/// The statement as CSV for a Brazilian spreadsheet: `;`-separated, amounts with a decimal comma and no thousands
/// separator, UTF-8 with a BOM, labels in Portuguese, a last column with the vertical analysis of the total.
pub fn csv(report: &DreReport) -> String {
    let mut out = String::from(crate::platform::csv::BOM);
    let mut header = vec!["Linha".to_string()];
    header.extend(
        report.columns.iter().map(|column| report.query.period.column_label(column.from, crate::i18n::Locale::PtBr)),
    );
    header.extend(["Total".to_string(), "AV %".to_string()]);
    out.push_str(&header.join(";"));
    out.push_str("\r\n");
    let net = report.net_revenue().map_or(0, |row| row.total);
    for row in &report.rows {
        let mut fields = vec![row.item.label().pt.to_string()];
        fields.extend(row.cells.iter().map(|cents| decimal(*cents)));
        fields.push(decimal(row.total));
        fields.push(share_permille(row.total, net).map(permille_field).unwrap_or_default());
        out.push_str(&fields.join(";"));
        out.push_str("\r\n");
    }
    out
}

/// `123` permille → `12,3`.
fn permille_field(permille: i64) -> String {
    let sign = if permille < 0 { "-" } else { "" };
    let abs = permille.unsigned_abs();
    format!("{sign}{},{}", abs / 10, abs % 10)
}

/// The CSV of `query`, exported by `actor`: audited in `tx` (commit before sending it).
pub async fn export(
    tx: &mut TenantTx,
    actor: Uuid,
    plan: Plan,
    today: NaiveDate,
    query: &DreQuery,
) -> Result<String, AppError> {
    let report = report(tx, plan, today, query).await?;
    let details = serde_json::json!({
        "query": report.query.url_pairs().into_iter().collect::<BTreeMap<_, _>>(),
        "columns": report.columns.len(),
    });
    audit::record(tx, Some(actor), "finance.dre.exported", "dre", details).await?;
    Ok(csv(&report))
}

/// The categories an owner maps (those with no children), with the line each feeds.
pub async fn category_lines(tx: &mut TenantTx) -> Result<Vec<CategoryLine>, sqlx::Error> {
    let rows: Vec<(Uuid, String, String, Option<String>)> = sqlx::query_as(
        "select c.id, c.name, c.kind, c.dre_line from finance_categories c
          where not exists (select from finance_categories k where k.tenant_id = c.tenant_id and k.parent_id = c.id)
          order by c.kind desc, c.name",
    )
    .fetch_all(tx.conn())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, kind, line)| CategoryLine {
            id,
            name,
            kind: EntryKind::from_code(&kind).unwrap_or(EntryKind::Expense),
            line: line.as_deref().and_then(DreLine::from_code),
        })
        .collect())
}

/// Points a category (one without children) at a DRE line; audited. Past months follow at once: the statement
/// reads the mapping when it is drawn.
pub async fn set_line(tx: &mut TenantTx, actor: Option<Uuid>, category: Uuid, line: DreLine) -> Result<(), AppError> {
    let before: Option<(String, Option<String>)> = sqlx::query_as(
        "select c.name, c.dre_line from finance_categories c
          where c.id = $1
            and not exists (select from finance_categories k where k.tenant_id = c.tenant_id and k.parent_id = c.id)",
    )
    .bind(category)
    .fetch_optional(tx.conn())
    .await?;
    let Some((name, before)) = before else { return Err(AppError::NotFound) };
    sqlx::query("update finance_categories set dre_line = $2 where id = $1")
        .bind(category)
        .bind(line.code())
        .execute(tx.conn())
        .await?;
    let details = serde_json::json!({ "from": before, "to": line.code() });
    audit::record(tx, actor, "finance.category.dre_line", &name, details).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::dre_types::{DreSubtotal, PeriodKind};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn quarters_cut_to_the_range_and_the_cap_moves_the_start() {
        let query = DreQuery {
            period: PeriodKind::Quarter,
            from: Some(day(2026, 2, 1)),
            to: Some(day(2026, 7, 1)),
            ..DreQuery::default()
        };
        let cols = columns(&query);
        assert_eq!(
            cols,
            vec![
                DreColumn { from: day(2026, 2, 1), to: day(2026, 3, 1) },
                DreColumn { from: day(2026, 4, 1), to: day(2026, 6, 1) },
                DreColumn { from: day(2026, 7, 1), to: day(2026, 7, 1) },
            ]
        );
        let asked = DreQuery { from: Some(day(2020, 1, 1)), ..DreQuery::default() };
        let (shown, capped) = resolve(Plan::Starter, day(2026, 11, 30), &asked);
        assert_eq!(shown.from, Some(day(2025, 12, 1)));
        assert_eq!(capped, Some((day(2025, 12, 1), 12)));
        let (shown, capped) = resolve(Plan::Enterprise, day(2026, 11, 30), &asked);
        assert_eq!((shown.from, capped), (Some(day(2021, 12, 1)), None), "at most five years at once");
    }

    #[test]
    fn subtotals_are_running_sums_and_groups_sum_their_lines() {
        let cols = [DreColumn { from: day(2026, 1, 1), to: day(2026, 1, 1) }];
        let m = day(2026, 1, 1);
        let amounts = [
            (DreLine::ReceitaBruta, m, 100_000),
            (DreLine::Deducoes, m, -6_000),
            (DreLine::Custos, m, -20_000),
            (DreLine::Pessoal, m, -30_000),
            (DreLine::Ocupacao, m, -10_000),
            (DreLine::ReceitasFinanceiras, m, 1_000),
            (DreLine::DespesasFinanceiras, m, -3_000),
            (DreLine::IrCsll, m, -5_000),
        ];
        let rows = rows_of(&cols, &amounts);
        let value = |item| rows.iter().find(|row| row.item == item).map(|row| row.total);
        assert_eq!(value(DreItem::Subtotal(DreSubtotal::ReceitaLiquida)), Some(94_000));
        assert_eq!(value(DreItem::Subtotal(DreSubtotal::LucroBruto)), Some(74_000));
        assert_eq!(value(DreItem::Group(crate::finance::dre_types::DreGroup::DespesasOperacionais)), Some(-40_000));
        assert_eq!(value(DreItem::Subtotal(DreSubtotal::ResultadoOperacional)), Some(34_000));
        assert_eq!(value(DreItem::Subtotal(DreSubtotal::ResultadoAntesIr)), Some(32_000));
        assert_eq!(value(DreItem::Subtotal(DreSubtotal::LucroLiquido)), Some(27_000));
    }

    #[test]
    fn csv_shares_use_a_decimal_comma() {
        assert_eq!(permille_field(-1234), "-123,4");
    }
}
