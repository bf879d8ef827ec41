//! The staff's applications list as CSV, for a spreadsheet: the same filters as the page, every matching row (not
//! one page), `;`-separated (what a pt-BR Excel expects), UTF-8 with a BOM (so Excel reads the accents), dates
//! dd/mm/aaaa in Brasília, labels in Portuguese (no page, so no language switch). Each export is audited: it carries personal data (LGPD).

use uuid::Uuid;

use super::{
    review_types::{ApplicationListRow, ApplicationQuery, brasilia_day},
    store::listing,
};
use crate::i18n::format_date;
use crate::platform::{
    AppError, audit,
    csv::{BOM, push_line},
    tenancy::TenantTx,
};

const HEADER: [&str; 9] =
    ["Estudante", "E-mail", "CPF", "Curso", "Período", "Turno", "Situação", "Enviada em", "Última mudança"];

/// The CSV of the applications matching `query` (its page ignored), exported by `staff`; audited in `tx`.
pub async fn applications_csv(tx: &mut TenantTx, staff: Uuid, query: &ApplicationQuery) -> Result<String, AppError> {
    let rows = listing::rows(tx, query, 1, None).await?;
    let details = serde_json::json!({
        "filters": query.url_pairs().into_iter().collect::<std::collections::BTreeMap<_, _>>(),
        "rows": rows.len(),
    });
    audit::record(tx, Some(staff), "enrollment.applications.exported", "applications", details).await?;
    Ok(to_csv(&rows))
}

fn to_csv(rows: &[ApplicationListRow]) -> String {
    let mut out = String::from(BOM);
    push_line(&mut out, HEADER.iter().map(|title| (*title).to_string()));
    for row in rows {
        push_line(
            &mut out,
            [
                row.student.clone(),
                row.email.clone(),
                row.cpf.clone().unwrap_or_default(),
                row.course.clone(),
                row.term.clone(),
                row.shift.label().pt.to_string(),
                row.status.label().pt.to_string(),
                row.submitted_at.map(|at| format_date(brasilia_day(at))).unwrap_or_default(),
                format_date(brasilia_day(row.status_changed_at)),
            ]
            .into_iter(),
        );
    }
    out
}
