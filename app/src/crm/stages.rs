//! The stage setup service (owner only): add, rename, reorder, archive a pipeline's stages, mark them won or lost
//! and set their "stale after N days". Each write is audited and published on the board's topic in the caller's
//! transaction, so every watcher's board redraws when it commits.
//!
//! Rules that keep the board honest:
//! - A stage that holds open leads is not archived (the owner is told how many to move first): a lead must never
//!   sit where nobody can see or move it. Closed leads (won/lost) may stay in an archived stage, off the board.
//! - A stage's outcome (won, lost or none) changes only while it is empty: marking a stage won would otherwise
//!   close its leads behind their consultants' backs, and unmarking it would reopen phones that may have a new
//!   open lead since.
//! - A pipeline keeps at least one open stage (not won/lost, not archived): new leads land in the first one.

use serde_json::json;
use uuid::Uuid;

use super::{leads::Actor, setup::Shift};
use crate::i18n::Text;
use crate::platform::{
    AppError, audit,
    auth::Role,
    context::request_locale,
    live::{self, Event, Topic},
    tenancy::TenantTx,
};

/// A stage's editable settings, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageEdit {
    pub name: String,
    /// `won`, `lost` or none.
    pub outcome: Option<String>,
    pub stale_after_days: Option<i32>,
}

/// Adds a stage named `name` to `pipeline`, right after its last open stage (before the won and lost ones).
pub async fn add(tx: &mut TenantTx, actor: Actor, pipeline: Uuid, name: &str) -> Result<Uuid, AppError> {
    owner_only(actor)?;
    let name = stage_name(name)?;
    lock_pipeline(tx, pipeline).await?;
    let last_open: Option<i32> = sqlx::query_scalar(
        "select max(position) from crm_stages where pipeline_id = $1 and not archived and outcome is null",
    )
    .bind(pipeline)
    .fetch_one(tx.conn())
    .await?;
    let position = last_open.map_or(0, |position| position + 1);
    sqlx::query("update crm_stages set position = position + 1 where pipeline_id = $1 and position >= $2")
        .bind(pipeline)
        .bind(position)
        .execute(tx.conn())
        .await?;
    let id: Uuid = sqlx::query_scalar(
        "insert into crm_stages (tenant_id, pipeline_id, name, position) values (current_tenant_id(), $1, $2, $3)
         returning id",
    )
    .bind(pipeline)
    .bind(&name)
    .bind(position)
    .fetch_one(tx.conn())
    .await?;
    changed(tx, actor, pipeline, id, "crm.stage_added", json!({ "name": name })).await?;
    Ok(id)
}

/// Renames a stage, sets its outcome and its "stale after N days".
pub async fn save(tx: &mut TenantTx, actor: Actor, id: Uuid, edit: &StageEdit) -> Result<(), AppError> {
    owner_only(actor)?;
    let name = stage_name(&edit.name)?;
    if edit.outcome.as_deref().is_some_and(|outcome| !matches!(outcome, "won" | "lost")) {
        return Err(AppError::invalid("outcome", UNKNOWN_OUTCOME));
    }
    if edit.stale_after_days.is_some_and(|days| !(1..=365).contains(&days)) {
        return Err(AppError::invalid("stale_after_days", STALE_RANGE));
    }
    let stage = lock_stage(tx, id).await?;
    if stage.outcome != edit.outcome {
        let leads = leads_in(tx, id, false).await?;
        if leads > 0 {
            return Err(counted(OUTCOME_NOT_EMPTY, leads));
        }
        if stage.outcome.is_none() && open_stages(tx, stage.pipeline_id).await? <= 1 {
            return Err(AppError::conflict(LAST_OPEN_STAGE));
        }
    }
    sqlx::query("update crm_stages set name = $2, outcome = $3, stale_after_days = $4 where id = $1")
        .bind(id)
        .bind(&name)
        .bind(&edit.outcome)
        .bind(edit.stale_after_days)
        .execute(tx.conn())
        .await?;
    let details = json!({ "name": name, "outcome": edit.outcome, "stale_after_days": edit.stale_after_days });
    changed(tx, actor, stage.pipeline_id, id, "crm.stage_saved", details).await
}

/// Swaps a stage with its neighbour on the board (archived stages do not count); at either end, nothing moves.
pub async fn shift(tx: &mut TenantTx, actor: Actor, id: Uuid, shift: Shift) -> Result<(), AppError> {
    owner_only(actor)?;
    let stage = lock_stage(tx, id).await?;
    let neighbour: Option<(Uuid, i32)> = sqlx::query_as(match shift {
        Shift::Left => {
            "select id, position from crm_stages where pipeline_id = $1 and not archived and position < $2
              order by position desc limit 1"
        }
        Shift::Right => {
            "select id, position from crm_stages where pipeline_id = $1 and not archived and position > $2
              order by position limit 1"
        }
    })
    .bind(stage.pipeline_id)
    .bind(stage.position)
    .fetch_optional(tx.conn())
    .await?;
    let Some((other, other_position)) = neighbour else { return Ok(()) };
    sqlx::query("update crm_stages set position = case when id = $1 then $4 else $3 end where id in ($1, $2)")
        .bind(id)
        .bind(other)
        .bind(stage.position)
        .bind(other_position)
        .execute(tx.conn())
        .await?;
    changed(tx, actor, stage.pipeline_id, id, "crm.stage_moved", json!({ "name": stage.name, "to": shift })).await
}

/// Takes a stage off the board. Refused while it holds open leads (the message says how many), and for the
/// pipeline's last open stage.
pub async fn archive(tx: &mut TenantTx, actor: Actor, id: Uuid) -> Result<(), AppError> {
    owner_only(actor)?;
    let stage = lock_stage(tx, id).await?;
    let open = leads_in(tx, id, true).await?;
    if open > 0 {
        return Err(counted(ARCHIVE_NOT_EMPTY, open));
    }
    if stage.outcome.is_none() && open_stages(tx, stage.pipeline_id).await? <= 1 {
        return Err(AppError::conflict(LAST_OPEN_STAGE));
    }
    sqlx::query("update crm_stages set archived = true where id = $1").bind(id).execute(tx.conn()).await?;
    changed(tx, actor, stage.pipeline_id, id, "crm.stage_archived", json!({ "name": stage.name })).await
}

fn owner_only(actor: Actor) -> Result<(), AppError> {
    if actor.role == Role::Owner { Ok(()) } else { Err(AppError::Forbidden) }
}

fn stage_name(input: &str) -> Result<String, AppError> {
    let name = input.trim();
    match name.chars().count() {
        1..=60 => Ok(name.to_string()),
        _ => Err(AppError::invalid("name", NAME_LENGTH)),
    }
}

/// Serializes the setup of one pipeline (two owners reordering at once) behind its row lock.
async fn lock_pipeline(tx: &mut TenantTx, pipeline: Uuid) -> Result<(), AppError> {
    let found: Option<Uuid> =
        sqlx::query_scalar("select id from crm_pipelines where id = $1 and not archived for update")
            .bind(pipeline)
            .fetch_optional(tx.conn())
            .await?;
    found.map(|_| ()).ok_or(AppError::NotFound)
}

struct Locked {
    pipeline_id: Uuid,
    name: String,
    position: i32,
    outcome: Option<String>,
}

/// A stage on the board (not archived), its pipeline locked first.
async fn lock_stage(tx: &mut TenantTx, id: Uuid) -> Result<Locked, AppError> {
    let pipeline: Option<Uuid> =
        sqlx::query_scalar("select pipeline_id from crm_stages where id = $1 and not archived")
            .bind(id)
            .fetch_optional(tx.conn())
            .await?;
    lock_pipeline(tx, pipeline.ok_or(AppError::NotFound)?).await?;
    let row: Option<(Uuid, String, i32, Option<String>)> = sqlx::query_as(
        "select pipeline_id, name, position, outcome from crm_stages where id = $1 and not archived for update",
    )
    .bind(id)
    .fetch_optional(tx.conn())
    .await?;
    let (pipeline_id, name, position, outcome) = row.ok_or(AppError::NotFound)?;
    Ok(Locked { pipeline_id, name, position, outcome })
}

/// The leads in a stage: all of them, or only the open ones.
async fn leads_in(tx: &mut TenantTx, stage: Uuid, open_only: bool) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("select count(*) from crm_leads where stage_id = $1 and (not $2 or closed_at is null)")
        .bind(stage)
        .bind(open_only)
        .fetch_one(tx.conn())
        .await?)
}

async fn open_stages(tx: &mut TenantTx, pipeline: Uuid) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "select count(*) from crm_stages where pipeline_id = $1 and not archived and outcome is null",
    )
    .bind(pipeline)
    .fetch_one(tx.conn())
    .await?)
}

/// Audits the change and tells the board's watchers to redraw (a stage has no version: `0`).
async fn changed(
    tx: &mut TenantTx,
    actor: Actor,
    pipeline: Uuid,
    stage: Uuid,
    action: &str,
    details: serde_json::Value,
) -> Result<(), AppError> {
    audit::record(tx, Some(actor.user_id), action, &stage.to_string(), details).await?;
    live::publish(tx, Topic::Board(pipeline), &Event::Changed { id: stage, version: 0 }).await?;
    Ok(())
}

/// A conflict whose message names a count (`{n}`).
fn counted(message: Text, count: i64) -> AppError {
    AppError::Conflict { message: message.get(request_locale()).replace("{n}", &count.to_string()) }
}

const NAME_LENGTH: Text = Text::new("Dê um nome à etapa (até 60 caracteres).", "Name the stage (up to 60 characters).");
const UNKNOWN_OUTCOME: Text = Text::new("Escolha ganho, perdido ou nenhum.", "Choose won, lost or none.");
const STALE_RANGE: Text =
    Text::new("Informe de 1 a 365 dias, ou deixe em branco.", "Enter 1 to 365 days, or leave it empty.");
const OUTCOME_NOT_EMPTY: Text = Text::new(
    "Esta etapa tem {n} lead(s). Mova-os para outra etapa antes de mudar o resultado.",
    "This stage holds {n} lead(s). Move them to another stage before changing its outcome.",
);
const ARCHIVE_NOT_EMPTY: Text = Text::new(
    "Esta etapa tem {n} lead(s) em aberto. Mova-os para outra etapa antes de arquivar.",
    "This stage holds {n} open lead(s). Move them to another stage before archiving it.",
);
const LAST_OPEN_STAGE: Text = Text::new(
    "O funil precisa de ao menos uma etapa em aberto (sem ganho ou perdido) para receber os novos leads.",
    "The pipeline needs at least one open stage (neither won nor lost) to receive new leads.",
);
