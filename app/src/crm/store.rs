//! The CRM's reads (server only). Row types stay here; the wire types are in `types`. Writes go through the
//! `leads` service, which owns the rules.

use sqlx::PgConnection;
use uuid::Uuid;

use super::setup::StageSetup;
use super::types::{BoardFilter, LeadCard, LeadDetails, Note, Person, Pipeline, Product, Source, Stage, TimelineEntry};

#[derive(sqlx::FromRow)]
struct PipelineRow {
    id: Uuid,
    product: String,
    name: String,
}

impl PipelineRow {
    fn wire(self) -> Option<Pipeline> {
        Some(Pipeline { id: self.id, product: Product::from_code(&self.product)?, name: self.name })
    }
}

/// The tenant's pipelines that are not archived, in product order.
pub async fn pipelines(conn: &mut PgConnection) -> Result<Vec<Pipeline>, sqlx::Error> {
    let rows: Vec<PipelineRow> = sqlx::query_as(
        "select id, product, name from crm_pipelines where not archived
          order by array_position(array['real_estate', 'vehicle'], product)",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().filter_map(PipelineRow::wire).collect())
}

#[derive(sqlx::FromRow)]
struct StageRow {
    id: Uuid,
    name: String,
    outcome: Option<String>,
    stale_after_days: Option<i32>,
}

/// A pipeline's columns, in board order (archived ones are off the board).
pub async fn stages(conn: &mut PgConnection, pipeline: Uuid) -> Result<Vec<Stage>, sqlx::Error> {
    let rows: Vec<StageRow> = sqlx::query_as(
        "select id, name, outcome, stale_after_days from crm_stages
          where pipeline_id = $1 and not archived order by position",
    )
    .bind(pipeline)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Stage { id: row.id, name: row.name, outcome: row.outcome, stale_after_days: row.stale_after_days })
        .collect())
}

#[derive(sqlx::FromRow)]
struct StageSetupRow {
    id: Uuid,
    name: String,
    outcome: Option<String>,
    stale_after_days: Option<i32>,
    open_leads: i64,
}

/// A pipeline's stages for the owner's setup, in board order, with how many open leads each holds.
pub async fn stage_setup(conn: &mut PgConnection, pipeline: Uuid) -> Result<Vec<StageSetup>, sqlx::Error> {
    let rows: Vec<StageSetupRow> = sqlx::query_as(
        "select s.id, s.name, s.outcome, s.stale_after_days,
                (select count(*) from crm_leads l where l.stage_id = s.id and l.closed_at is null) as open_leads
           from crm_stages s where s.pipeline_id = $1 and not s.archived order by s.position",
    )
    .bind(pipeline)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| StageSetup {
            id: row.id,
            name: row.name,
            outcome: row.outcome,
            stale_after_days: row.stale_after_days,
            open_leads: row.open_leads,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct CardRow {
    id: Uuid,
    stage_id: Uuid,
    name: String,
    value_cents: Option<i64>,
    score: Option<i16>,
    score_by_ai: bool,
    owner_id: Option<Uuid>,
    owner_name: Option<String>,
    age_days: i32,
    stale: bool,
    position: i64,
    version: i64,
}

impl From<CardRow> for LeadCard {
    fn from(row: CardRow) -> Self {
        Self {
            id: row.id,
            stage_id: row.stage_id,
            name: row.name,
            value_cents: row.value_cents,
            score: row.score,
            score_by_ai: row.score_by_ai,
            owner_id: row.owner_id,
            owner_name: row.owner_name,
            age_days: row.age_days,
            stale: row.stale,
            position: row.position,
            version: row.version,
        }
    }
}

/// The shared fields of a card, as every watcher may see them.
const CARD: &str = "select l.id, l.stage_id, l.name, l.value_cents, l.score,
        coalesce(l.score_source = 'ai', false) as score_by_ai, l.owner_id, u.name as owner_name,
        (current_date - l.created_at::date)::int as age_days,
        coalesce(s.stale_after_days is not null
                 and l.last_activity_at < now() - make_interval(days => s.stale_after_days), false) as stale,
        l.position, l.version
   from crm_leads l join crm_stages s on s.id = l.stage_id left join users u on u.id = l.owner_id";

/// The cards of `pipeline` that match `filter` (`mine` is the viewer's own leads), in board order.
pub async fn cards(
    conn: &mut PgConnection,
    pipeline: Uuid,
    filter: &BoardFilter,
    viewer: Uuid,
) -> Result<Vec<LeadCard>, sqlx::Error> {
    let rows: Vec<CardRow> = sqlx::query_as(&format!("{CARD} {FILTERED}"))
        .bind(pipeline)
        .bind(filter.owner(viewer))
        .bind(filter.text.trim())
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(LeadCard::from).collect())
}

/// The board's filter over `crm_leads l` joined with `crm_stages s`, in board order: `$1` the pipeline, `$2` the
/// owner (or null), `$3` the text (or empty). The board and the CSV export keep the same leads.
const FILTERED: &str = "where l.pipeline_id = $1 and not s.archived
            and ($2::uuid is null or l.owner_id = $2)
            and ($3 = '' or position(lower($3) in lower(l.name)) > 0)
          order by s.position, l.position, l.id";

/// A lead as the CSV export writes it: every field, shared and private (staff and owner only).
#[derive(sqlx::FromRow)]
pub struct ExportRow {
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub cpf: Option<String>,
    pub stage: String,
    pub owner: Option<String>,
    pub value_cents: Option<i64>,
    pub down_payment_cents: Option<i64>,
    pub monthly_income_cents: Option<i64>,
    pub source: String,
    pub score: Option<i16>,
    /// dd/mm/aaaa, Brasília.
    pub created: String,
}

/// The leads of `pipeline` that `filter` keeps (as the board shows them), with their private fields.
pub async fn export_rows(
    conn: &mut PgConnection,
    pipeline: Uuid,
    filter: &BoardFilter,
    viewer: Uuid,
) -> Result<Vec<ExportRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select l.name, l.phone, l.email, l.cpf, s.name as stage, u.name as owner, l.value_cents,
                l.down_payment_cents, l.monthly_income_cents, l.source, l.score,
                to_char(l.created_at at time zone 'America/Sao_Paulo', 'DD/MM/YYYY') as created
           from crm_leads l join crm_stages s on s.id = l.stage_id left join users u on u.id = l.owner_id
         {FILTERED}"
    ))
    .bind(pipeline)
    .bind(filter.owner(viewer))
    .bind(filter.text.trim())
    .fetch_all(conn)
    .await
}

pub async fn card(conn: &mut PgConnection, id: Uuid) -> Result<Option<LeadCard>, sqlx::Error> {
    let row: Option<CardRow> = sqlx::query_as(&format!("{CARD} where l.id = $1")).bind(id).fetch_optional(conn).await?;
    Ok(row.map(LeadCard::from))
}

/// Who may own leads: the active consultants, staff and owners, by name.
pub async fn people(conn: &mut PgConnection) -> Result<Vec<Person>, sqlx::Error> {
    let rows: Vec<(Uuid, String)> = sqlx::query_as(
        "select id, name from users where active and role in ('owner', 'staff', 'consultant')
          order by role = 'consultant' desc, name",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id, name)| Person { id, name }).collect())
}

/// The lead's product and source (shared), read beside its card.
pub async fn product_and_source(conn: &mut PgConnection, id: Uuid) -> Result<Option<(Product, Source)>, sqlx::Error> {
    let row: Option<(String, String)> = sqlx::query_as(
        "select p.product, l.source from crm_leads l join crm_pipelines p on p.id = l.pipeline_id where l.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|(product, source)| Some((Product::from_code(&product)?, Source::from_code(&source)?))))
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    phone: String,
    email: Option<String>,
    cpf: Option<String>,
    down_payment_cents: Option<i64>,
    monthly_income_cents: Option<i64>,
    qualification: String,
}

/// Instants as the drawer shows them: Brasília, dd/mm/aaaa hh:mm.
const AT: &str = "to_char(created_at at time zone 'America/Sao_Paulo', 'DD/MM/YYYY HH24:MI')";

/// The private fields, the notes (newest first) and the timeline (newest first). Callers decide who may read them.
pub async fn details(conn: &mut PgConnection, id: Uuid) -> Result<Option<LeadDetails>, sqlx::Error> {
    let row: Option<DetailRow> = sqlx::query_as(
        "select phone, email, cpf, down_payment_cents, monthly_income_cents, qualification from crm_leads
          where id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let notes: Vec<(Option<String>, String, String)> = sqlx::query_as(&format!(
        "select (select name from users where id = author_id), body, {AT} from crm_notes
          where lead_id = $1 order by created_at desc, id desc"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let timeline: Vec<(String, Option<String>, Option<String>, String)> = sqlx::query_as(&format!(
        "select kind, detail->>'reason', (select name from users where id = actor_id), {AT} from crm_lead_events
          where lead_id = $1 order by created_at desc, id desc"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(LeadDetails {
        phone: row.phone,
        email: row.email,
        cpf: row.cpf,
        down_payment_cents: row.down_payment_cents,
        monthly_income_cents: row.monthly_income_cents,
        qualification: row.qualification,
        notes: notes.into_iter().map(|(author, body, at)| Note { author, body, at }).collect(),
        timeline: timeline
            .into_iter()
            .map(|(kind, reason, actor, at)| TimelineEntry { kind, reason, actor, at })
            .collect(),
    }))
}
