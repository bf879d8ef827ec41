//! Finance, part 2: the DRE. Its subtotals on a ledger whose numbers are known, on both bases; each cell's
//! drill-down adds up to the cell; the plan's history cap; the CSV's bytes; who may export it; the server-rendered
//! page.

use app::finance::{
    dre::{self, csv},
    dre_types::{Basis, DreCell, DreItem, DreLine, DreQuery, DreReport, PeriodKind},
    ledger::{self, Entry},
    store,
    types::{AccountKind, EntryKind},
};
use app::platform::tenancy::{Plan, TenantTx};
use chrono::NaiveDate;
use reqwest::StatusCode;
use server::test_support::{TestDatabase, create_tenant};
use uuid::Uuid;

use crate::browser::{Browser, DEMO_PASSWORD};
use crate::enrollment_documents::fetch;
use crate::finance::seeded;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A tenant with one bank account and a category per DRE line (taxes on sales under part 1's `impostos` code),
/// plus one category that feeds no line.
async fn books(tx: &mut TenantTx) -> (Uuid, Vec<(&'static str, Uuid, EntryKind)>) {
    let tenant = tx.tenant_id();
    let account = store::NewAccount {
        name: "Banco",
        kind: AccountKind::Bank,
        opening_balance_cents: 0,
        opening_date: day(2026, 1, 1),
        card_days: None,
    };
    let bank = store::insert_account(tx.conn(), tenant, &account).await.unwrap();
    let mut categories = Vec::new();
    for (name, kind, line) in [
        ("Vendas", EntryKind::Income, Some("receita_bruta")),
        ("Simples", EntryKind::Expense, Some("impostos")),
        ("Custo", EntryKind::Expense, Some("custos")),
        ("Salários", EntryKind::Expense, Some("pessoal")),
        ("Aluguel", EntryKind::Expense, Some("ocupacao")),
        ("Juros", EntryKind::Income, Some("receitas_financeiras")),
        ("Tarifas", EntryKind::Expense, Some("despesas_financeiras")),
        ("IRPJ", EntryKind::Expense, Some("ir_csll")),
        ("Sem linha", EntryKind::Expense, None),
    ] {
        let id = store::insert_category(tx.conn(), tenant, None, name, kind, line).await.unwrap();
        categories.push((name, id, kind));
    }
    (bank, categories)
}

/// (category, reais, competence, paid on)
type Booking = (&'static str, i64, NaiveDate, Option<NaiveDate>);

fn ledger_entries() -> Vec<Booking> {
    let (jan, feb, mar) = (day(2026, 1, 10), day(2026, 2, 10), day(2026, 3, 10));
    vec![
        ("Vendas", 10_000, jan, Some(jan)),
        ("Vendas", 2_000, jan, Some(feb)), // competence January, cash February
        ("Vendas", 12_000, feb, Some(feb)),
        ("Vendas", 9_000, mar, None), // pending: competence only
        ("Simples", 600, jan, Some(day(2026, 2, 20))),
        ("Simples", 840, feb, Some(day(2026, 3, 20))),
        ("Custo", 3_000, jan, Some(jan)),
        ("Salários", 4_000, jan, Some(jan)),
        ("Salários", 4_000, feb, Some(feb)),
        ("Aluguel", 1_500, jan, Some(jan)),
        ("Aluguel", 1_500, feb, Some(feb)),
        ("Juros", 50, feb, Some(feb)),
        ("Tarifas", 30, jan, Some(jan)),
        ("IRPJ", 400, mar, Some(mar)),
        ("Sem linha", 77, jan, Some(jan)),
    ]
}

async fn book(tx: &mut TenantTx, bank: Uuid, categories: &[(&'static str, Uuid, EntryKind)]) {
    for (name, reais, competence, paid) in ledger_entries() {
        let (_, category_id, kind) = *categories.iter().find(|(n, ..)| *n == name).unwrap();
        let entry = Entry {
            account_id: bank,
            category_id,
            kind,
            amount_cents: reais * 100,
            competence_date: competence,
            due_date: paid.unwrap_or(competence),
            paid_on: paid,
            description: format!("{name} {competence}"),
            counterpart: None,
            external_id: None,
            batch_id: None,
        };
        ledger::create(tx, None, &entry).await.unwrap();
    }
}

/// A row's cells and total, in reais.
fn row(report: &DreReport, key: &str) -> (Vec<i64>, i64) {
    let row = report.rows.iter().find(|row| row.item.key() == key).unwrap_or_else(|| panic!("no row {key}"));
    (row.cells.iter().map(|cents| cents / 100).collect(), row.total / 100)
}

fn query(basis: Basis, period: PeriodKind) -> DreQuery {
    DreQuery { period, basis, from: Some(day(2026, 1, 1)), to: Some(day(2026, 3, 1)), vertical: false }
}

#[tokio::test]
async fn dre_subtotals_on_a_known_ledger_on_both_bases_and_each_cell_drills_to_its_transactions() {
    let database = TestDatabase::create().await;
    let pool = database.app_pool().await;
    let tenant = create_tenant(&pool, "alfa").await;
    let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
    let (bank, categories) = books(&mut tx).await;
    book(&mut tx, bank, &categories).await;
    tx.commit().await.unwrap();
    let today = day(2026, 3, 15);

    let mut tx = TenantTx::begin(&pool, tenant).await.unwrap();
    let competence =
        dre::report(&mut tx, Plan::Enterprise, today, &query(Basis::Competence, PeriodKind::Month)).await.unwrap();
    assert_eq!(competence.columns.len(), 3);
    // January: 12,000 − 600 = 11,400 net; − 3,000 = 8,400 gross; − 5,500 = 2,900 operating; − 30 = 2,870; no IR.
    assert_eq!(row(&competence, "receita_bruta"), (vec![12_000, 12_000, 9_000], 33_000));
    assert_eq!(row(&competence, "deducoes"), (vec![-600, -840, 0], -1_440));
    assert_eq!(row(&competence, "receita_liquida"), (vec![11_400, 11_160, 9_000], 31_560));
    assert_eq!(row(&competence, "lucro_bruto"), (vec![8_400, 11_160, 9_000], 28_560));
    assert_eq!(row(&competence, "despesas_operacionais"), (vec![-5_500, -5_500, 0], -11_000));
    assert_eq!(row(&competence, "resultado_operacional"), (vec![2_900, 5_660, 9_000], 17_560));
    assert_eq!(row(&competence, "resultado_financeiro"), (vec![-30, 50, 0], 20));
    assert_eq!(row(&competence, "resultado_antes_ir"), (vec![2_870, 5_710, 9_000], 17_580));
    assert_eq!(row(&competence, "lucro_liquido"), (vec![2_870, 5_710, 8_600], 17_180));
    // The category that feeds no line stays out of the result and is named.
    assert_eq!(competence.unmapped.len(), 1);
    assert_eq!((competence.unmapped[0].category.as_str(), competence.unmapped[0].total), ("Sem linha", -7_700));

    // Cash: the January sale paid in February moves, taxes count when paid, the pending sale is not there.
    let cash = dre::report(&mut tx, Plan::Enterprise, today, &query(Basis::Cash, PeriodKind::Month)).await.unwrap();
    assert_eq!(row(&cash, "receita_bruta"), (vec![10_000, 14_000, 0], 24_000));
    assert_eq!(row(&cash, "deducoes"), (vec![0, -600, -840], -1_440));
    assert_eq!(row(&cash, "lucro_liquido"), (vec![1_470, 7_950, -1_240], 8_180));

    // One quarter column is the sum of the months.
    let quarter =
        dre::report(&mut tx, Plan::Enterprise, today, &query(Basis::Competence, PeriodKind::Quarter)).await.unwrap();
    assert_eq!(row(&quarter, "lucro_liquido"), (vec![17_180], 17_180));

    // Every line's cell (and total) drills to transactions adding up to exactly the cell.
    for report in [&competence, &cash] {
        for statement_row in &report.rows {
            let DreItem::Line(line) = statement_row.item else { continue };
            let spans = report.columns.iter().map(|column| (column.from, column.to)).zip(&statement_row.cells);
            let whole = [(day(2026, 1, 1), day(2026, 3, 1))];
            for ((from, to), cents) in spans.chain(whole.iter().copied().zip([&statement_row.total])) {
                let cell = DreCell { line, basis: report.query.basis, from, to };
                let detail = dre::cell(&mut tx, Plan::Enterprise, today, &cell).await.unwrap();
                assert_eq!(detail.total, *cents, "{line:?} {from}..{to} {:?}", report.query.basis);
                let listed: i64 = detail.rows.iter().map(|row| row.kind.signed(row.amount_cents)).sum();
                assert_eq!(listed, *cents, "the listed rows are the cell's");
                assert_eq!(detail.count, i64::try_from(detail.rows.len()).unwrap());
            }
        }
    }

    // The CSV: BOM, `;`, decimal comma, Portuguese labels, the vertical analysis of the total.
    let text = csv(&competence);
    assert!(text.starts_with("\u{FEFF}Linha;01/2026;02/2026;03/2026;Total;AV %\r\n"), "{text}");
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 1 + DreItem::STRUCTURE.len());
    assert!(lines.contains(&"Receita bruta;12000,00;12000,00;9000,00;33000,00;104,6"), "{text}");
    assert!(lines.contains(&"= Receita líquida;11400,00;11160,00;9000,00;31560,00;100,0"), "{text}");
    assert!(lines.contains(&"(−) Deduções e impostos sobre vendas;-600,00;-840,00;0,00;-1440,00;-4,6"), "{text}");
    assert!(lines.contains(&"= Lucro líquido;2870,00;5710,00;8600,00;17180,00;54,4"), "{text}");

    // A starter plan shows twelve months: asking for more starts at the cap, and says so.
    let later = day(2027, 1, 15);
    let asked = DreQuery { from: Some(day(2025, 6, 1)), to: Some(day(2027, 1, 1)), ..DreQuery::default() };
    let starter = dre::report(&mut tx, Plan::Starter, later, &asked).await.unwrap();
    assert_eq!(starter.capped, Some((day(2026, 2, 1), 12)));
    assert_eq!(starter.columns.first().map(|column| column.from), Some(day(2026, 2, 1)));
    assert_eq!(row(&starter, "receita_bruta").1, 21_000, "January is beyond a starter's history");
    let hidden =
        DreCell { line: DreLine::ReceitaBruta, basis: Basis::Competence, from: day(2026, 1, 1), to: day(2026, 1, 1) };
    let detail = dre::cell(&mut tx, Plan::Starter, later, &hidden).await.unwrap();
    assert_ne!(detail.cell.from, day(2026, 1, 1), "the drill-down obeys the cap too");
}

async fn signed_in(server: &server::test_support::TestServer, tenant: &str, email: &str) -> Browser {
    let mut browser = Browser::new(server);
    let (status, body) = browser.sign_in(tenant, email, DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{email}: {body}");
    browser
}

#[tokio::test]
async fn the_dre_page_renders_on_the_server_drills_down_and_exports_an_audited_csv() {
    let server = seeded().await;
    let owner = signed_in(&server, "famath", "dona@famath.example").await;

    let page = fetch(&owner, "/famath/financeiro/dre?periodo=trimestre&base=caixa&av=1").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    for text in ["Receita bruta", "= Receita líquida", "= Lucro líquido", "data-testid=\"dre-table\"", "tri/"] {
        assert!(html.contains(text), "the server-rendered DRE shows {text}");
    }
    let link = html.split("href=\"/famath/financeiro/dre/lancamentos?").nth(1).expect("a cell links to its entries");
    let link = link.split('"').next().unwrap().replace("&amp;", "&");
    assert!(link.contains("base=caixa"), "{link}");
    let drill = fetch(&owner, &format!("/famath/financeiro/dre/lancamentos?{link}")).await.text().await.unwrap();
    assert!(drill.contains("data-testid=\"dre-cell-total\""), "the drill-down renders on the server");

    let response = fetch(&owner, "/famath/financeiro/dre.csv?periodo=mes&base=competencia").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 with a BOM");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let first = text.lines().next().unwrap();
    assert!(first.starts_with("Linha;") && first.ends_with(";Total;AV %"), "{first}");
    assert_eq!(first.split(';').count(), 12 + 3, "twelve months by default");
    let revenue = text.lines().find(|line| line.starts_with("Receita bruta;")).unwrap();
    assert!(revenue.split(';').skip(1).take(13).all(|field| field.contains(',') && !field.contains('.')), "{revenue}");

    let admin = sqlx::PgPool::connect(&server.database.superuser_url).await.unwrap();
    let exported: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'finance.dre.exported'")
        .fetch_one(&admin)
        .await
        .unwrap();
    assert_eq!(exported, 1, "the export is audited");

    // Without finance access: refused; another tenant's owner: not found.
    for (tenant, email, status) in [
        ("famath", "secretaria@famath.example", StatusCode::FORBIDDEN),
        ("credvale", "dono@credvale.example", StatusCode::NOT_FOUND),
    ] {
        let browser = signed_in(&server, tenant, email).await;
        let response = fetch(&browser, "/famath/financeiro/dre.csv").await;
        assert_eq!(response.status(), status, "{email}");
    }
    server.stop().await.unwrap();
}
