//! `/:tenant/financeiro/dre/lancamentos?linha=…&base=…&de=…&ate=…`: the transactions behind one DRE cell, with
//! their total (always the cell's value) and a way back to the statement.

use chrono::Datelike;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::shared::FinanceTabs;
use crate::finance::{
    dre_api::load_dre_cell,
    dre_types::{Basis, DreCell, DreCellDetail, month_param},
};
use crate::i18n::{Text, format_brl, format_date, t, ts};
use crate::platform::{auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{Cell, Column, DataTable, EmptyState, ErrorAlert, FOCUS_RING, PageHeader, SkeletonRows, StatCard};

const TITLE: Text = Text::new("Lançamentos do DRE", "Income statement entries");
const BAD_CELL: Text = Text::new("Endereço incompleto", "Incomplete address");
const BAD_CELL_TEXT: Text =
    Text::new("Volte ao DRE e clique num valor.", "Go back to the income statement and click a value.");
const BACK: Text = Text::new("← Voltar ao DRE", "← Back to the income statement");
const TOTAL: Text = Text::new("Total da célula", "Cell total");
const COUNT: Text = Text::new("Lançamentos", "Entries");
const DATE: Text = Text::new("Data", "Date");
const DESCRIPTION: Text = Text::new("Descrição", "Description");
const CATEGORY: Text = Text::new("Categoria", "Category");
const ACCOUNT: Text = Text::new("Conta", "Account");
const AMOUNT: Text = Text::new("Valor", "Amount");
const NONE: Text = Text::new("Nenhum lançamento nesta célula.", "No entries in this cell.");

#[component]
pub fn DreCellPage() -> impl IntoView {
    view! {
        <Allowed roles=Role::BACKOFFICE module=Module::Finance>
            <DreCellView />
        </Allowed>
    }
}

#[component]
fn DreCellView() -> impl IntoView {
    let tenant = use_params_map().read_untracked().get("tenant").unwrap_or_default();
    let address = use_query_map();
    let cell = Memo::new(move |_| address.with(|map| DreCell::from_url(|key| map.get(key))));
    let detail = Resource::new(
        move || cell.get(),
        |cell| async move {
            match cell {
                Some(cell) => load_dre_cell(cell).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <PageHeader title=ts(TITLE) />
        <FinanceTabs current="/dre" />
        <Transition fallback=|| view! { <SkeletonRows rows=6 columns=5 /> }>
            {move || {
                let tenant = tenant.clone();
                detail.get().map(|answer| match answer {
                    Ok(Some(detail)) => view! { <Detail tenant detail /> }.into_any(),
                    Ok(None) => view! { <EmptyState title=ts(BAD_CELL) description=ts(BAD_CELL_TEXT) /> }.into_any(),
                    Err(error) => view! { <ErrorAlert error /> }.into_any(),
                })
            }}
        </Transition>
    }
}

#[component]
fn Detail(tenant: String, detail: DreCellDetail) -> impl IntoView {
    let cell = detail.cell.clone();
    let back = format!(
        "/{tenant}/financeiro/dre?base={}&de={}&ate={}",
        cell.basis.param(),
        month_param(cell.from),
        month_param(cell.to)
    );
    let period = if cell.from == cell.to {
        month_label(cell.from)
    } else {
        format!("{} – {}", month_label(cell.from), month_label(cell.to))
    };
    let columns = vec![
        Column::text("date", DATE),
        Column::text("description", DESCRIPTION),
        Column::text("category", CATEGORY),
        Column::text("account", ACCOUNT),
        Column::number("amount", AMOUNT),
    ];
    let cash = cell.basis == Basis::Cash;
    let rows: Vec<Vec<Cell>> = detail
        .rows
        .iter()
        .map(|row| {
            let date = if cash { row.paid_on.unwrap_or(row.due_date) } else { row.competence_date };
            vec![
                Cell::number(format_date(date), i64::from(date.num_days_from_ce())),
                Cell::text(row.description.clone()),
                Cell::text(row.category.clone()),
                Cell::text(row.account.clone()),
                Cell::brl(row.kind.signed(row.amount_cents)),
            ]
        })
        .collect();
    view! {
        <a href=back data-testid="dre-back" class=format!("mb-3 inline-block rounded text-sm font-medium text-indigo-700 hover:underline {FOCUS_RING}")>
            {t(BACK)}
        </a>
        <p class="mb-3 text-sm text-slate-700" data-testid="dre-cell-title">
            <strong>{t(cell.line.label())}</strong>" · "{period}" · "{t(cell.basis.label())}
        </p>
        <div class="mb-4 grid gap-3 sm:grid-cols-2">
            <div data-testid="dre-cell-total"><StatCard label=ts(TOTAL) value=format_brl(detail.total) /></div>
            <div data-testid="dre-cell-count"><StatCard label=ts(COUNT) value=detail.count.to_string() /></div>
        </div>
        <DataTable columns rows page_size=50 empty=ts(NONE) caption=ts(TITLE) test_id="dre-cell-rows" />
    }
}

fn month_label(month: chrono::NaiveDate) -> String {
    format!("{:02}/{}", month.month(), month.year())
}
