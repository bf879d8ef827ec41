//! The board's leads as CSV (`GET /{tenant}/crm/leads.csv?funil=…&consultor=…&busca=…&meus=1`): the same pipeline
//! and filters as the board, every field (private ones too: staff and owner only, the route checks), labels in
//! Portuguese, the shared CSV shape (`platform::csv`). Each export is audited before it is sent: it carries personal
//! data (LGPD).

use std::collections::BTreeMap;

use uuid::Uuid;

use super::{
    store::{self, ExportRow},
    types::{BoardFilter, Source},
};
use crate::platform::{
    AppError, audit,
    csv::{BOM, decimal, push_line},
    tenancy::TenantTx,
};

const HEADER: [&str; 13] = [
    "Nome",
    "Telefone",
    "E-mail",
    "CPF",
    "Funil",
    "Etapa",
    "Responsável",
    "Valor",
    "Entrada",
    "Renda mensal",
    "Origem",
    "Score",
    "Criado em",
];

/// The CSV of the leads `filter` keeps, exported by `actor` (staff or owner); audited in `tx` (commit before
/// sending it).
pub async fn leads_csv(tx: &mut TenantTx, actor: Uuid, filter: &BoardFilter) -> Result<String, AppError> {
    let pipelines = store::pipelines(tx.conn()).await?;
    let pipeline = filter.pick(&pipelines).ok_or(AppError::NotFound)?;
    let rows = store::export_rows(tx.conn(), pipeline.id, filter, actor).await?;
    let mut filters = BTreeMap::new();
    filters.insert("funil", serde_json::json!(pipeline.id));
    if let Some(consultant) = filter.consultant {
        filters.insert("consultor", serde_json::json!(consultant));
    }
    if !filter.text.trim().is_empty() {
        filters.insert("busca", serde_json::json!(filter.text.trim()));
    }
    if filter.mine {
        filters.insert("meus", serde_json::json!(true));
    }
    let details = serde_json::json!({ "filters": filters, "rows": rows.len() });
    audit::record(tx, Some(actor), "crm.leads.exported", "leads", details).await?;
    Ok(to_csv(&pipeline.name, &rows))
}

fn to_csv(pipeline: &str, rows: &[ExportRow]) -> String {
    let amount = |cents: Option<i64>| cents.map(decimal).unwrap_or_default();
    let mut out = String::from(BOM);
    push_line(&mut out, HEADER.iter().map(|title| (*title).to_string()));
    for row in rows {
        push_line(
            &mut out,
            [
                row.name.clone(),
                row.phone.clone(),
                row.email.clone().unwrap_or_default(),
                row.cpf.clone().unwrap_or_default(),
                pipeline.to_string(),
                row.stage.clone(),
                row.owner.clone().unwrap_or_default(),
                amount(row.value_cents),
                amount(row.down_payment_cents),
                amount(row.monthly_income_cents),
                Source::from_code(&row.source)
                    .map_or_else(|| row.source.clone(), |source| source.label().pt.to_string()),
                row.score.map(|score| score.to_string()).unwrap_or_default(),
                row.created.clone(),
            ]
            .into_iter(),
        );
    }
    out
}
