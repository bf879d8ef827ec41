//! The lead service: every write to a lead goes through here, whoever asks (a board page, the public form, the
//! WhatsApp agent and the round-robin later), each in the caller's `TenantTx`. Each write bumps the lead's
//! `version`, appends to its timeline and publishes `changed {id, version}` on its board's topic in the same
//! transaction, so watchers hear of it exactly when it commits, and learn nothing but the id.
//!
//! Who may do what: staff and owner work every lead. A consultant works (moves, edits, notes) only the leads
//! assigned to them, and may take an unassigned lead for themselves; they cannot move, edit or reassign another
//! consultant's lead, nor give a lead away. Reading follows the same line: a consultant reads the private fields
//! (phone, e-mail, CPF, down payment, income, notes, timeline) of their own leads only.
//!
//! Distribution: a new lead without an owner goes through `distribution::assign_new` (rotation, returning phone,
//! queue) before it is announced; a write that frees a consultant's capacity (won, lost, reassigned) hands the
//! queue out (`distribution::drain_queue`) before it publishes anything, the order the rotation lock asks for.

use serde_json::json;
use uuid::Uuid;

use super::distribution::{self, Assignment, Reason};
use super::positions;
use super::types::{Product, Source};
use crate::i18n::Text;
use crate::platform::{
    AppError,
    auth::{Role, Viewer},
    fields::Phone,
    live::{self, Event, Topic},
    tenancy::TenantTx,
};

/// Who acts on a lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Uuid,
    pub role: Role,
}

impl Actor {
    pub fn of(viewer: &Viewer) -> Self {
        Self { user_id: viewer.user_id, role: viewer.role }
    }

    /// Staff and owner: every lead is theirs to work.
    pub fn manages(self) -> bool {
        matches!(self.role, Role::Owner | Role::Staff)
    }

    /// May move, edit and annotate a lead owned by `owner`, and read its private fields.
    pub fn works(self, owner: Option<Uuid>) -> bool {
        self.manages() || (self.role == Role::Consultant && owner == Some(self.user_id))
    }
}

/// A new lead, its fields already parsed.
#[derive(Debug, Clone)]
pub struct NewLead {
    pub name: String,
    pub phone: Phone,
    pub email: Option<String>,
    pub product: Product,
    pub value_cents: Option<i64>,
    pub down_payment_cents: Option<i64>,
    pub monthly_income_cents: Option<i64>,
    pub source: Source,
    pub owner_id: Option<Uuid>,
}

/// What `create` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    New(Uuid),
    /// The phone already had an open lead in the tenant: that lead got the contact (and any field it lacked).
    Attached(Uuid),
}

impl Created {
    pub fn id(self) -> Uuid {
        match self {
            Self::New(id) | Self::Attached(id) => id,
        }
    }
}

/// Creates a lead at the top of its product's first open stage, or attaches to the open lead with that phone.
/// `actor` is `None` for the public form and other system sources. A lead without an owner is then placed by the
/// distribution: a new one (linked to its phone's last won or lost lead, if any) and an open one the phone came
/// back to alike.
pub async fn create(tx: &mut TenantTx, actor: Option<Uuid>, lead: &NewLead) -> Result<Created, AppError> {
    let first: Option<(Uuid, Uuid)> = sqlx::query_as(
        "select p.id, s.id from crm_pipelines p join crm_stages s on s.pipeline_id = p.id
          where p.product = $1 and not p.archived and not s.archived and s.outcome is null
          order by s.position limit 1",
    )
    .bind(lead.product.code())
    .fetch_optional(tx.conn())
    .await?;
    let Some((pipeline, stage)) = first else { return Err(AppError::conflict(NO_PIPELINE)) };
    let top: Option<i64> = sqlx::query_scalar("select min(position) from crm_leads where stage_id = $1")
        .bind(stage)
        .fetch_one(tx.conn())
        .await?;
    let position = positions::between(None, top).ok_or_else(|| AppError::unexpected("crm position", "exhausted"))?;
    let previous: Option<Uuid> = sqlx::query_scalar(
        "select id from crm_leads where phone = $1 and closed_at is not null order by closed_at desc, id desc limit 1",
    )
    .bind(lead.phone.e164())
    .fetch_optional(tx.conn())
    .await?;
    let inserted: Option<(Uuid, i64)> = sqlx::query_as(
        "insert into crm_leads (tenant_id, pipeline_id, stage_id, name, phone, email, value_cents,
                                down_payment_cents, monthly_income_cents, source, owner_id, position,
                                previous_lead_id, assigned_at)
         values (current_tenant_id(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
                 case when $10::uuid is not null then now() end)
         on conflict (tenant_id, phone) where closed_at is null do nothing
         returning id, version",
    )
    .bind(pipeline)
    .bind(stage)
    .bind(lead.name.trim())
    .bind(lead.phone.e164())
    .bind(&lead.email)
    .bind(lead.value_cents)
    .bind(lead.down_payment_cents)
    .bind(lead.monthly_income_cents)
    .bind(lead.source.code())
    .bind(lead.owner_id)
    .bind(position)
    .bind(previous)
    .fetch_optional(tx.conn())
    .await?;
    if let Some((id, version)) = inserted {
        let detail = json!({ "source": lead.source.code(), "previous_lead_id": previous });
        record(tx, id, "created", actor, detail).await?;
        if lead.owner_id.is_some() || !distribute(tx, id).await? {
            announce(tx, pipeline, id, version).await?;
        }
        return Ok(Created::New(id));
    }
    let attached: (Uuid, Uuid, i64) = sqlx::query_as(
        "update crm_leads set email = coalesce(email, $2), value_cents = coalesce(value_cents, $3),
                down_payment_cents = coalesce(down_payment_cents, $4),
                monthly_income_cents = coalesce(monthly_income_cents, $5),
                version = version + 1, last_activity_at = now(), updated_at = now()
          where phone = $1 and closed_at is null
          returning id, pipeline_id, version",
    )
    .bind(lead.phone.e164())
    .bind(&lead.email)
    .bind(lead.value_cents)
    .bind(lead.down_payment_cents)
    .bind(lead.monthly_income_cents)
    .fetch_one(tx.conn())
    .await?;
    let (id, pipeline, version) = attached;
    record(tx, id, "attached", actor, json!({ "source": lead.source.code() })).await?;
    if !distribute(tx, id).await? {
        announce(tx, pipeline, id, version).await?;
    }
    Ok(Created::Attached(id))
}

/// Lets the distribution place the lead; answers whether it changed hands (and so was announced already).
async fn distribute(tx: &mut TenantTx, id: Uuid) -> Result<bool, AppError> {
    Ok(matches!(distribution::assign_new(tx, id).await?, Assignment::Assigned { .. }))
}

/// A move: to `stage_id`, just below the card `after` (or at the top), based on the lead at `version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Move {
    pub stage_id: Uuid,
    pub after: Option<Uuid>,
    pub version: i64,
}

/// Moves a lead; answers its new version. Refused with a conflict when someone changed the lead since `version`
/// or the stage is archived, forbidden when the actor may not work this lead.
pub async fn move_lead(tx: &mut TenantTx, actor: Actor, id: Uuid, to: Move) -> Result<i64, AppError> {
    let lead = lock(tx, id).await?;
    if !actor.works(lead.owner_id) {
        return Err(AppError::Forbidden);
    }
    if lead.version != to.version {
        return Err(AppError::conflict(MOVED_ON));
    }
    let stage: Option<(Option<String>, bool)> =
        sqlx::query_as("select outcome, archived from crm_stages where id = $1 and pipeline_id = $2")
            .bind(to.stage_id)
            .bind(lead.pipeline_id)
            .fetch_optional(tx.conn())
            .await?;
    let Some((outcome, archived)) = stage else { return Err(AppError::invalid("stage_id", NO_STAGE)) };
    if archived {
        return Err(AppError::conflict(ARCHIVED));
    }
    let position = place(tx, to.stage_id, id, to.after).await?;
    let version: i64 = sqlx::query_scalar(
        "update crm_leads set stage_id = $2, position = $3, version = version + 1, updated_at = now(),
                last_activity_at = now(),
                closed_at = case when $4 then coalesce(closed_at, now()) end,
                queued_at = case when $4 then null else queued_at end
          where id = $1 returning version",
    )
    .bind(id)
    .bind(to.stage_id)
    .bind(position)
    .bind(outcome.is_some())
    .fetch_one(tx.conn())
    .await
    .map_err(phone_reopened)?;
    if lead.stage_id != to.stage_id {
        record(tx, id, "moved", Some(actor.user_id), json!({ "from": lead.stage_id, "to": to.stage_id })).await?;
    }
    // Won or lost: its consultant has room for one more.
    if outcome.is_some() && lead.owner_id.is_some() {
        distribution::drain_queue(tx).await?;
    }
    announce(tx, lead.pipeline_id, id, version).await?;
    Ok(version)
}

/// The drawer's edit, its fields already parsed. Answers the new version.
#[derive(Debug, Clone)]
pub struct Edit {
    pub name: String,
    pub phone: Phone,
    pub email: Option<String>,
    pub cpf: Option<String>,
    pub value_cents: Option<i64>,
    pub down_payment_cents: Option<i64>,
    pub monthly_income_cents: Option<i64>,
}

pub async fn edit(tx: &mut TenantTx, actor: Actor, id: Uuid, version: i64, edit: &Edit) -> Result<i64, AppError> {
    let lead = lock(tx, id).await?;
    if !actor.works(lead.owner_id) {
        return Err(AppError::Forbidden);
    }
    if lead.version != version {
        return Err(AppError::conflict(EDITED_ON));
    }
    let version: i64 = sqlx::query_scalar(
        "update crm_leads set name = $2, phone = $3, email = $4, cpf = $5, value_cents = $6,
                down_payment_cents = $7, monthly_income_cents = $8, version = version + 1,
                last_activity_at = now(), updated_at = now()
          where id = $1 returning version",
    )
    .bind(id)
    .bind(edit.name.trim())
    .bind(edit.phone.e164())
    .bind(&edit.email)
    .bind(&edit.cpf)
    .bind(edit.value_cents)
    .bind(edit.down_payment_cents)
    .bind(edit.monthly_income_cents)
    .fetch_one(tx.conn())
    .await
    .map_err(phone_taken)?;
    record(tx, id, "edited", Some(actor.user_id), json!({})).await?;
    announce(tx, lead.pipeline_id, id, version).await?;
    Ok(version)
}

/// Adds a note (1 to 4,000 characters); it counts as activity, so the card's stale mark clears.
pub async fn add_note(tx: &mut TenantTx, actor: Actor, id: Uuid, body: &str) -> Result<i64, AppError> {
    let body = body.trim();
    if body.is_empty() || body.chars().count() > 4000 {
        return Err(AppError::invalid("body", NOTE_LENGTH));
    }
    let lead = lock(tx, id).await?;
    if !actor.works(lead.owner_id) {
        return Err(AppError::Forbidden);
    }
    sqlx::query("insert into crm_notes (tenant_id, lead_id, author_id, body) values (current_tenant_id(), $1, $2, $3)")
        .bind(id)
        .bind(actor.user_id)
        .bind(body)
        .execute(tx.conn())
        .await?;
    record(tx, id, "note", Some(actor.user_id), json!({})).await?;
    touch(tx, id, lead.pipeline_id).await
}

/// Gives the lead to `owner` (or to nobody). Staff and owner assign freely to anyone who may own leads (capacity
/// does not bind them); a consultant may only take an unassigned lead for themselves. Audited, on the timeline
/// with reason `manual`; the new owner is told, and the one who lost it frees room for the queue.
pub async fn assign(tx: &mut TenantTx, actor: Actor, id: Uuid, owner: Option<Uuid>) -> Result<i64, AppError> {
    let lead = lock(tx, id).await?;
    let taking = lead.owner_id.is_none() && owner == Some(actor.user_id);
    if !actor.manages() && !taking {
        return Err(AppError::Forbidden);
    }
    if let Some(owner) = owner {
        let may_own: bool = sqlx::query_scalar(
            "select exists (select 1 from users where id = $1 and active and role in ('owner', 'staff', 'consultant'))",
        )
        .bind(owner)
        .fetch_one(tx.conn())
        .await?;
        if !may_own {
            return Err(AppError::invalid("owner_id", NO_OWNER));
        }
    }
    if lead.owner_id == owner {
        return Ok(lead.version);
    }
    sqlx::query(
        "update crm_leads set owner_id = $2, queued_at = null, assigned_at = case when $2::uuid is null then null else now() end
          where id = $1",
    )
    .bind(id)
    .bind(owner)
    .execute(tx.conn())
    .await?;
    let detail = json!({ "from": lead.owner_id, "to": owner, "reason": Reason::Manual.code() });
    record(tx, id, "assigned", Some(actor.user_id), detail.clone()).await?;
    let audited = json!({ "lead_id": id, "from": lead.owner_id, "to": owner });
    crate::platform::audit::record(tx, Some(actor.user_id), "crm.lead_assigned", "crm", audited).await?;
    if lead.owner_id.is_some() {
        distribution::drain_queue(tx).await?;
    }
    if let Some(owner) = owner.filter(|owner| *owner != actor.user_id) {
        distribution::notify::assigned(tx, id, owner).await?;
    }
    touch(tx, id, lead.pipeline_id).await
}

/// The distribution gives a lead to `to` for `reason` (`actor` none: the system): it leaves the queue, the
/// timeline says why, the board hears of it. Who may get it is the distribution's business.
pub(in crate::crm) async fn hand_over(
    tx: &mut TenantTx,
    id: Uuid,
    to: Uuid,
    actor: Option<Uuid>,
    reason: &str,
) -> Result<i64, AppError> {
    let row: Option<(Uuid, Option<Uuid>)> =
        sqlx::query_as("select pipeline_id, owner_id from crm_leads where id = $1 for update")
            .bind(id)
            .fetch_optional(tx.conn())
            .await?;
    let (pipeline, from) = row.ok_or(AppError::NotFound)?;
    sqlx::query("update crm_leads set owner_id = $2, queued_at = null, assigned_at = now() where id = $1")
        .bind(id)
        .bind(to)
        .execute(tx.conn())
        .await?;
    record(tx, id, "assigned", actor, json!({ "from": from, "to": to, "reason": reason })).await?;
    touch(tx, id, pipeline).await
}

/// Nobody could take the lead: it waits, unassigned, from now (on its timeline as `queued`).
pub(in crate::crm) async fn queue(tx: &mut TenantTx, id: Uuid) -> Result<(), AppError> {
    sqlx::query("update crm_leads set owner_id = null, queued_at = now() where id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    record(tx, id, "queued", None, json!({})).await
}

/// The lead as a write finds it, its row locked until the transaction ends.
struct Locked {
    pipeline_id: Uuid,
    stage_id: Uuid,
    owner_id: Option<Uuid>,
    version: i64,
}

async fn lock(tx: &mut TenantTx, id: Uuid) -> Result<Locked, AppError> {
    let row: Option<(Uuid, Uuid, Option<Uuid>, i64)> =
        sqlx::query_as("select pipeline_id, stage_id, owner_id, version from crm_leads where id = $1 for update")
            .bind(id)
            .fetch_optional(tx.conn())
            .await?;
    let (pipeline_id, stage_id, owner_id, version) = row.ok_or(AppError::NotFound)?;
    Ok(Locked { pipeline_id, stage_id, owner_id, version })
}

/// A position in `stage` just below `after` (or at the top), for the lead `moving`. Renumbers the column once
/// when its neighbours left no room.
async fn place(tx: &mut TenantTx, stage: Uuid, moving: Uuid, after: Option<Uuid>) -> Result<i64, AppError> {
    for _ in 0..2 {
        let above = match after {
            None => None,
            Some(after) => {
                let position: Option<i64> =
                    sqlx::query_scalar("select position from crm_leads where id = $1 and stage_id = $2 and id <> $3")
                        .bind(after)
                        .bind(stage)
                        .bind(moving)
                        .fetch_optional(tx.conn())
                        .await?;
                Some(position.ok_or_else(|| AppError::conflict(NEIGHBOUR_MOVED))?)
            }
        };
        let below: Option<i64> = sqlx::query_scalar(
            "select min(position) from crm_leads
              where stage_id = $1 and id <> $2 and ($3::bigint is null or position > $3)",
        )
        .bind(stage)
        .bind(moving)
        .bind(above)
        .fetch_one(tx.conn())
        .await?;
        if let Some(position) = positions::between(above, below) {
            return Ok(position);
        }
        renumber(tx, stage, moving).await?;
    }
    Err(AppError::unexpected("crm position", "no room after renumbering"))
}

/// Spreads one column's cards (all but `moving`) `GAP` apart, keeping their order. Versions stay: a renumbering
/// changes no card's place relative to another.
async fn renumber(tx: &mut TenantTx, stage: Uuid, moving: Uuid) -> Result<(), AppError> {
    sqlx::query(
        "update crm_leads l set position = n.rank * $3
           from (select id, row_number() over (order by position, id) as rank from crm_leads
                  where stage_id = $1 and id <> $2) n
          where l.id = n.id",
    )
    .bind(stage)
    .bind(moving)
    .bind(positions::GAP)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Counts activity on the lead (a note, an assignment): new version, fresh activity time, watchers told.
async fn touch(tx: &mut TenantTx, id: Uuid, pipeline: Uuid) -> Result<i64, AppError> {
    let version: i64 = sqlx::query_scalar(
        "update crm_leads set version = version + 1, last_activity_at = now(), updated_at = now()
          where id = $1 returning version",
    )
    .bind(id)
    .fetch_one(tx.conn())
    .await?;
    announce(tx, pipeline, id, version).await?;
    Ok(version)
}

async fn record(
    tx: &mut TenantTx,
    lead: Uuid,
    kind: &str,
    actor: Option<Uuid>,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    sqlx::query(
        "insert into crm_lead_events (tenant_id, lead_id, kind, actor_id, detail)
         values (current_tenant_id(), $1, $2, $3, $4)",
    )
    .bind(lead)
    .bind(kind)
    .bind(actor)
    .bind(detail)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Tells the board's watchers, at commit, that the card changed: its id and version only.
async fn announce(tx: &mut TenantTx, pipeline: Uuid, id: Uuid, version: i64) -> Result<(), AppError> {
    live::publish(tx, Topic::Board(pipeline), &Event::Changed { id, version }).await?;
    Ok(())
}

const OPEN_PHONE: &str = "crm_leads_open_phone_key";

fn is_open_phone(error: &sqlx::Error) -> bool {
    error.as_database_error().and_then(|db| db.constraint()) == Some(OPEN_PHONE)
}

fn phone_taken(error: sqlx::Error) -> AppError {
    if is_open_phone(&error) { AppError::invalid("phone", PHONE_TAKEN) } else { error.into() }
}

fn phone_reopened(error: sqlx::Error) -> AppError {
    if is_open_phone(&error) { AppError::conflict(PHONE_REOPENED) } else { error.into() }
}

const NO_PIPELINE: Text =
    Text::new("Não há funil ativo para este produto.", "There is no active pipeline for this product.");
const MOVED_ON: Text = Text::new(
    "Outra pessoa mexeu neste lead antes de você. O quadro foi atualizado.",
    "Someone else changed this lead first. The board was refreshed.",
);
const EDITED_ON: Text = Text::new(
    "Outra pessoa alterou este lead enquanto você editava. Confira os dados e salve de novo.",
    "Someone else changed this lead while you were editing. Check it and save again.",
);
const ARCHIVED: Text = Text::new("Esta etapa foi arquivada.", "This stage is archived.");
const NO_STAGE: Text = Text::new("Etapa inexistente neste funil.", "No such stage in this pipeline.");
const NEIGHBOUR_MOVED: Text = Text::new(
    "O quadro mudou enquanto você movia o card. Tente de novo.",
    "The board changed while you were moving the card. Try again.",
);
const NOTE_LENGTH: Text =
    Text::new("Escreva a nota (até 4.000 caracteres).", "Write the note (up to 4,000 characters).");
const NO_OWNER: Text = Text::new("Escolha uma pessoa ativa da equipe.", "Choose an active member of the team.");
const PHONE_TAKEN: Text =
    Text::new("Já existe um lead aberto com este telefone.", "There is already an open lead with this phone.");
const PHONE_REOPENED: Text = Text::new(
    "Este telefone já tem outro lead aberto; reabra aquele em vez deste.",
    "This phone already has another open lead; reopen that one instead.",
);
