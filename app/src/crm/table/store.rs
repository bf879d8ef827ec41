//! The leads table's SQL (server only): one statement for the page's rows, one for the counts per stage, both
//! built with only the conditions that are set, so the planner sees plain conditions: the default view (every
//! lead, newest first) is a walk down `crm_leads_table_created` that stops after 100 rows, and its counts
//! index-only scans of `crm_leads_column`. Offset paging: a page deep in the list costs its offset in index
//! entries, which is small beside the counts at any size a tenant's CRM has (measured: `server/benches/leads.sh`).

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

use super::query::{LeadTableQuery, OwnerFilter, PAGE_SIZE, SortKey};
use super::types::{LeadRow, StageCount};
use crate::crm::leads::Actor;
use crate::crm::types::{Pipeline, Product, Source};

/// Appends the query's conditions on `crm_leads l` (the statement ends in a `where` clause). The stage is left to
/// the caller: the counts per stage ignore it. Search: the name for any lead; the phone and the e-mail only for
/// leads whose private fields `actor` reads, so a consultant cannot find another's lead by its phone.
fn push_filters(sql: &mut QueryBuilder<'_, Postgres>, query: &LeadTableQuery, actor: Actor) {
    if let Some(pipeline) = query.pipeline {
        sql.push(" and l.pipeline_id = ").push_bind(pipeline);
    }
    match query.owner {
        OwnerFilter::Anyone => {}
        OwnerFilter::Nobody => {
            sql.push(" and l.owner_id is null");
        }
        OwnerFilter::Person(id) => {
            sql.push(" and l.owner_id = ").push_bind(id);
        }
    }
    if let Some(source) = query.source {
        sql.push(" and l.source = ").push_bind(source.code());
    }
    let search = query.search.trim();
    if search.is_empty() {
        return;
    }
    let lowered = search.to_lowercase();
    sql.push(" and (strpos(lower(l.name), ").push_bind(lowered.clone()).push(") > 0");
    sql.push(" or (");
    // Mirrors `Actor::works`: staff and owner read every lead's private fields, a consultant their own.
    if !actor.manages() {
        sql.push("l.owner_id = ").push_bind(actor.user_id).push(" and ");
    }
    sql.push("(strpos(lower(l.email), ").push_bind(lowered).push(") > 0");
    if let Some(digits) = query.phone_digits() {
        sql.push(" or strpos(l.phone, ").push_bind(digits).push(") > 0");
    }
    sql.push(")))");
}

/// `order by` for the sort: each ends on the id, so pages never overlap or skip a lead.
fn order_by(query: &LeadTableQuery) -> &'static str {
    match (query.sort, query.descending) {
        (SortKey::Created, true) => " order by l.created_at desc, l.id desc",
        (SortKey::Created, false) => " order by l.created_at, l.id",
        (SortKey::Activity, true) => " order by l.last_activity_at desc, l.id desc",
        (SortKey::Activity, false) => " order by l.last_activity_at, l.id",
        // As people read names (ICU's root collation: "Ágata" beside "Ana", not after "Zélia"; case and accents
        // second), from `crm_leads_table_name`.
        (SortKey::Name, true) => " order by l.name collate \"und-x-icu\" desc, l.id desc",
        (SortKey::Name, false) => " order by l.name collate \"und-x-icu\", l.id",
        // Leads without a value last either way.
        (SortKey::Value, true) => " order by l.value_cents desc nulls last, l.id desc",
        (SortKey::Value, false) => " order by l.value_cents nulls last, l.id",
        // Board order: pipeline, then the stage's place in it.
        (SortKey::Stage, true) => " order by l.pipeline_id desc, s.position desc, l.created_at desc, l.id desc",
        (SortKey::Stage, false) => " order by l.pipeline_id, s.position, l.created_at desc, l.id desc",
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    pipeline_id: Uuid,
    name: String,
    stage: String,
    outcome: Option<String>,
    owner_id: Option<Uuid>,
    owner_name: Option<String>,
    source: String,
    value_cents: Option<i64>,
    created_at: DateTime<Utc>,
    last_activity_at: DateTime<Utc>,
    phone: String,
    email: Option<String>,
}

impl Row {
    /// The wire row, its private fields kept only for those who may read them.
    fn wire(self, actor: Actor) -> LeadRow {
        let private = actor.works(self.owner_id);
        LeadRow {
            id: self.id,
            pipeline_id: self.pipeline_id,
            name: self.name,
            stage: self.stage,
            outcome: self.outcome,
            owner_name: self.owner_name,
            source: Source::from_code(&self.source).unwrap_or(Source::Manual),
            value_cents: self.value_cents,
            created_at: self.created_at,
            last_activity_at: self.last_activity_at,
            phone: private.then_some(self.phone),
            email: if private { self.email } else { None },
        }
    }
}

/// One page of the leads the query keeps, in its order. The page is chosen from `crm_leads` alone and only its
/// rows are joined to their stage and owner: joined first, the planner misjudges how many rows the join keeps
/// (row-level security filters both sides) and sorts every lead of the tenant instead of walking the index.
pub async fn rows(conn: &mut PgConnection, query: &LeadTableQuery, actor: Actor) -> Result<Vec<LeadRow>, sqlx::Error> {
    let mut sql = QueryBuilder::new(
        "select l.id, l.pipeline_id, l.name, s.name as stage, s.outcome, l.owner_id, u.name as owner_name, l.source,
                l.value_cents, l.created_at, l.last_activity_at, l.phone, l.email
           from (select l.id, l.pipeline_id, l.stage_id, l.name, l.owner_id, l.source, l.value_cents, l.created_at,
                        l.last_activity_at, l.phone, l.email
                   from crm_leads l",
    );
    // The stage order needs the stage's place before the page is cut.
    if query.sort == SortKey::Stage {
        sql.push(" join crm_stages s on s.id = l.stage_id");
    }
    sql.push(" where true");
    push_filters(&mut sql, query, actor);
    if let Some(stage) = query.stage {
        sql.push(" and l.stage_id = ").push_bind(stage);
    }
    sql.push(order_by(query));
    sql.push(" limit ").push_bind(PAGE_SIZE).push(" offset ").push_bind(query.offset());
    sql.push(") l join crm_stages s on s.id = l.stage_id left join users u on u.id = l.owner_id");
    sql.push(order_by(query));
    let rows: Vec<Row> = sql.build_query_as().fetch_all(conn).await?;
    Ok(rows.into_iter().map(|row| row.wire(actor)).collect())
}

#[derive(sqlx::FromRow)]
struct CountRow {
    id: Uuid,
    pipeline_id: Uuid,
    product: String,
    pipeline: String,
    name: String,
    archived: bool,
    count: i64,
}

/// The tenant's pipelines that are not archived, and every stage of theirs (board order) with how many leads
/// every filter but the stage keeps; archived stages only while they hold a lead the filters keep. One statement
/// for both, since every pipeline has stages. Counted stage by stage: each count is then a scan of that stage's
/// entries in `crm_leads_column` (index only, with no filter), where one count grouped by stage read every lead's
/// row and checked row-level security on each (measured: 1 ms against 6 ms at 5,000 leads).
pub async fn stage_counts(
    conn: &mut PgConnection,
    query: &LeadTableQuery,
    actor: Actor,
) -> Result<(Vec<Pipeline>, Vec<StageCount>), sqlx::Error> {
    let mut sql = QueryBuilder::new(
        "select s.id, s.pipeline_id, p.product, p.name as pipeline, s.name, s.archived,
                (select count(*) from crm_leads l where l.stage_id = s.id",
    );
    push_filters(&mut sql, query, actor);
    sql.push(
        ") as count
           from crm_stages s join crm_pipelines p on p.id = s.pipeline_id
          where not p.archived
          order by array_position(array['real_estate', 'vehicle'], p.product), s.position",
    );
    let rows: Vec<CountRow> = sql.build_query_as().fetch_all(conn).await?;
    let mut pipelines: Vec<Pipeline> = Vec::with_capacity(2);
    let mut stages = Vec::with_capacity(rows.len());
    for row in rows {
        if pipelines.last().is_none_or(|pipeline| pipeline.id != row.pipeline_id)
            && let Some(product) = Product::from_code(&row.product)
        {
            pipelines.push(Pipeline { id: row.pipeline_id, product, name: row.pipeline });
        }
        if !row.archived || row.count > 0 {
            stages.push(StageCount { id: row.id, pipeline_id: row.pipeline_id, name: row.name, count: row.count });
        }
    }
    Ok((pipelines, stages))
}
