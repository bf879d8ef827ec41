//! The demo tenants' CRM: both pipelines with their stages and about sixty believable leads spread over the
//! stages, the consultant, the staff and nobody (to be taken), the three sources and two months of ages, some of
//! them stale, so the board looks alive on the first `make run`.
//!
//! A handful of statements (one batch insert for every lead) because it runs at every test's seed. Nothing is
//! published: nobody watches a board that is being created.

use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use super::{positions::GAP, types::Product};
use crate::platform::tenancy::TenantTx;

/// (name, outcome, stale after days)
type StageSpec = (&'static str, Option<&'static str>, Option<i32>);

const REAL_ESTATE: &[StageSpec] = &[
    ("Novos", None, Some(2)),
    ("Em qualificação", None, Some(3)),
    ("Em atendimento", None, Some(5)),
    ("Análise de crédito", None, Some(7)),
    ("Proposta enviada", None, Some(7)),
    ("Ganhos", Some("won"), None),
    ("Perdidos", Some("lost"), None),
];

const VEHICLE: &[StageSpec] = &[
    ("Novos", None, Some(1)),
    ("Em qualificação", None, Some(2)),
    ("Simulação enviada", None, Some(3)),
    ("Documentação", None, Some(5)),
    ("Ganhos", Some("won"), None),
    ("Perdidos", Some("lost"), None),
];

const FIRST: &[&str] = &[
    "Maria",
    "José",
    "Ana",
    "João",
    "Francisca",
    "Antônio",
    "Juliana",
    "Carlos",
    "Fernanda",
    "Paulo",
    "Aline",
    "Lucas",
    "Camila",
    "Rafael",
    "Patrícia",
    "Marcos",
    "Letícia",
    "Gabriel",
    "Bruna",
    "Thiago",
    "Vanessa",
    "Rodrigo",
    "Priscila",
    "Felipe",
    "Tatiane",
    "Eduardo",
    "Renata",
    "Gustavo",
    "Sabrina",
];
const LAST: &[&str] = &[
    "Silva",
    "Santos",
    "Oliveira",
    "Souza",
    "Rodrigues",
    "Ferreira",
    "Alves",
    "Pereira",
    "Lima",
    "Gomes",
    "Costa",
    "Ribeiro",
    "Martins",
    "Carvalho",
    "Almeida",
    "Lopes",
    "Soares",
    "Fernandes",
    "Vieira",
    "Barbosa",
    "Rocha",
    "Dias",
    "Nascimento",
    "Andrade",
    "Moreira",
    "Nunes",
    "Marques",
    "Machado",
    "Mendes",
];
const DDDS: &[u8] = &[83, 83, 84, 81, 11, 21, 31, 85];
const SOURCES: &[&str] = &["whatsapp", "whatsapp", "web_form", "manual", "whatsapp", "web_form"];

/// How many leads each pipeline gets, and the value range of its product (reais).
fn spread(product: Product) -> (usize, i64, i64) {
    match product {
        Product::RealEstate => (32, 180_000, 950_000),
        Product::Vehicle => (28, 38_000, 190_000),
    }
}

pub async fn seed(tx: &mut TenantTx) -> Result<(), sqlx::Error> {
    let people: Vec<(Uuid, String)> =
        sqlx::query_as("select id, role from users where role in ('consultant', 'staff') order by role")
            .fetch_all(tx.conn())
            .await?;
    let consultant = people.iter().find(|(_, role)| role == "consultant").map(|(id, _)| *id);
    let staff = people.iter().find(|(_, role)| role == "staff").map(|(id, _)| *id);
    let mut offset = 0;
    for (product, name, stages) in [
        (Product::RealEstate, "Financiamento imobiliário", REAL_ESTATE),
        (Product::Vehicle, "Financiamento de veículos", VEHICLE),
    ] {
        let pipeline: Uuid = sqlx::query_scalar(
            "insert into crm_pipelines (tenant_id, product, name) values (current_tenant_id(), $1, $2) returning id",
        )
        .bind(product.code())
        .bind(name)
        .fetch_one(tx.conn())
        .await?;
        let mut stage_ids = Vec::with_capacity(stages.len());
        for (position, (stage, outcome, stale)) in stages.iter().enumerate() {
            let id: Uuid = sqlx::query_scalar(
                "insert into crm_stages (tenant_id, pipeline_id, name, position, outcome, stale_after_days)
                 values (current_tenant_id(), $1, $2, $3, $4, $5) returning id",
            )
            .bind(pipeline)
            .bind(stage)
            .bind(position as i32)
            .bind(outcome)
            .bind(stale)
            .fetch_one(tx.conn())
            .await?;
            stage_ids.push((id, outcome.is_some()));
        }
        let leads = demo_leads(product, offset, &stage_ids, [consultant, consultant, staff, None]);
        offset += leads.len();
        insert(tx, pipeline, &leads).await?;
    }
    sqlx::query(
        "insert into crm_lead_events (tenant_id, lead_id, kind, detail, created_at)
         select tenant_id, id, 'created', jsonb_build_object('source', source), created_at from crm_leads",
    )
    .execute(tx.conn())
    .await?;
    // The consultant has room for the rotation (their demo leads leave them well under it) and is off the manual
    // toggle: signing in and opening the board makes them present, and new leads from the form go to them.
    if let Some(consultant) = consultant {
        sqlx::query("insert into crm_consultant_settings (user_id, capacity) values ($1, $2)")
            .bind(consultant)
            .bind(DEMO_CAPACITY)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

/// The demo consultant's capacity: above the open leads the demo gives them.
const DEMO_CAPACITY: i32 = 40;

struct DemoLead {
    stage: Uuid,
    closed: bool,
    name: String,
    phone: String,
    value_cents: i64,
    down_payment_cents: i64,
    income_cents: i64,
    source: &'static str,
    score: Option<(i16, &'static str)>,
    owner: Option<Uuid>,
    position: i64,
    age_days: i32,
    idle_days: i32,
}

/// Leads for one pipeline: more in the early stages than the late ones, deterministic so tests can count.
fn demo_leads(product: Product, offset: usize, stages: &[(Uuid, bool)], owners: [Option<Uuid>; 4]) -> Vec<DemoLead> {
    let (count, low, high) = spread(product);
    // Weights per stage index: the funnel narrows.
    let weights: Vec<usize> = (0..stages.len()).map(|index| (stages.len() - index).max(2)).collect();
    let total: usize = weights.iter().sum();
    let mut per_stage = vec![0i64; stages.len()];
    (0..count)
        .map(|index| {
            let n = offset + index;
            let mut pick = (index * 7 + 3) % total;
            let stage_index = weights
                .iter()
                .position(|weight| {
                    let here = pick < *weight;
                    pick = pick.saturating_sub(*weight);
                    here
                })
                .unwrap_or(0);
            per_stage[stage_index] += 1;
            let (stage, closed) = stages[stage_index];
            let value_reais = low + ((n as i64 * 7_919) % (high - low)) / 1_000 * 1_000;
            let age_days = ((n * 13) % 58) as i32 + stage_index as i32;
            // Every fifth lead has sat idle for a week or more: stale in any stage with a limit.
            let idle_days = if n.is_multiple_of(5) { 8 + (n % 4) as i32 } else { (n % 2) as i32 };
            DemoLead {
                stage,
                closed,
                name: format!("{} {}", FIRST[(n * 7) % FIRST.len()], LAST[(n * 11 + n / 3) % LAST.len()]),
                phone: format!("+55{}9{:08}", DDDS[n % DDDS.len()], 81_230_000 + n * 1_237),
                value_cents: value_reais * 100,
                down_payment_cents: value_reais * (10 + (n % 4) as i64 * 5),
                income_cents: (4_000 + (n as i64 * 1_733) % 21_000) * 100,
                source: SOURCES[n % SOURCES.len()],
                score: match n % 3 {
                    0 => None,
                    1 => Some((35 + (n * 17 % 60) as i16, "ai")),
                    _ => Some((20 + (n * 23 % 70) as i16, "rules")),
                },
                owner: owners[n % owners.len()].filter(|_| stage_index > 0 || n.is_multiple_of(2)),
                position: per_stage[stage_index] * GAP,
                age_days,
                idle_days: idle_days.min(age_days),
            }
        })
        .collect()
}

async fn insert(tx: &mut TenantTx, pipeline: Uuid, leads: &[DemoLead]) -> Result<(), sqlx::Error> {
    let mut query: QueryBuilder<Postgres> = QueryBuilder::new(
        "insert into crm_leads (tenant_id, pipeline_id, stage_id, name, phone, value_cents, down_payment_cents,
                                monthly_income_cents, source, score, score_source, owner_id, position,
                                qualification, closed_at, created_at, last_activity_at) ",
    );
    query.push_values(leads, |mut row, lead| {
        row.push("current_tenant_id()")
            .push_bind(pipeline)
            .push_bind(lead.stage)
            .push_bind(&lead.name)
            .push_bind(&lead.phone)
            .push_bind(lead.value_cents)
            .push_bind(lead.down_payment_cents)
            .push_bind(lead.income_cents)
            .push_bind(lead.source)
            .push_bind(lead.score.map(|(score, _)| score))
            .push_bind(lead.score.map(|(_, by)| by))
            .push_bind(lead.owner)
            .push_bind(lead.position)
            .push_bind(if lead.score.is_some_and(|(score, _)| score >= 60) { "qualified" } else { "pending" })
            .push("case when ")
            .push_bind_unseparated(lead.closed)
            .push_unseparated(" then now() - make_interval(days => ")
            .push_bind_unseparated(lead.idle_days)
            .push_unseparated(") end")
            .push("now() - make_interval(days => ")
            .push_bind_unseparated(lead.age_days)
            .push_unseparated(", hours => 3)")
            .push("now() - make_interval(days => ")
            .push_bind_unseparated(lead.idle_days)
            .push_unseparated(")");
    });
    query.build().execute(tx.conn()).await?;
    Ok(())
}
