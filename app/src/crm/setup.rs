//! The owner's CRM setup (`/:tenant/crm/etapas`): each pipeline's stages, and the site that may embed the public
//! form. Server functions for the owner only (anyone else 403); the rules live in the `stages` service.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::types::Pipeline;
use crate::platform::AppError;

#[cfg(feature = "ssr")]
use crate::platform::auth::Access;

/// Which way a stage moves on the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shift {
    Left,
    Right,
}

/// A stage as the setup page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageSetup {
    pub id: Uuid,
    pub name: String,
    pub outcome: Option<String>,
    pub stale_after_days: Option<i32>,
    /// Open leads in the stage (an archive is refused while there are any).
    pub open_leads: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineSetup {
    pub pipeline: Pipeline,
    /// Board order, archived ones left out.
    pub stages: Vec<StageSetup>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setup {
    pub pipelines: Vec<PipelineSetup>,
}

/// A stage's settings as typed: `outcome` is `won`, `lost` or empty; `stale_after_days` digits or empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageForm {
    pub name: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub stale_after_days: String,
}

/// The owner of a tenant with the CRM on, and a transaction for the tenant.
#[cfg(feature = "ssr")]
pub(crate) async fn require_owner() -> Result<(Access, super::leads::Actor), AppError> {
    use crate::platform::{auth::Role, tenancy::Module};
    let access = crate::platform::auth::require(&[Role::Owner]).await?.module(Module::Crm)?;
    let actor = super::leads::Actor::of(&access.viewer);
    Ok((access, actor))
}

#[server(endpoint = "crm/setup")]
pub async fn load_setup() -> Result<Setup, AppError> {
    let (mut access, _) = require_owner().await?;
    let pipelines = super::store::pipelines(access.tx.conn()).await?;
    let mut setups = Vec::with_capacity(pipelines.len());
    for pipeline in pipelines {
        let stages = super::store::stage_setup(access.tx.conn(), pipeline.id).await?;
        setups.push(PipelineSetup { pipeline, stages });
    }
    access.tx.commit().await?;
    Ok(Setup { pipelines: setups })
}

#[server(endpoint = "crm/stages/add")]
pub async fn add_stage(pipeline: Uuid, name: String) -> Result<Uuid, AppError> {
    let (mut access, actor) = require_owner().await?;
    let id = super::stages::add(&mut access.tx, actor, pipeline, &name).await?;
    access.tx.commit().await?;
    Ok(id)
}

#[server(endpoint = "crm/stages/save")]
pub async fn save_stage(id: Uuid, form: StageForm) -> Result<(), AppError> {
    let (mut access, actor) = require_owner().await?;
    let stale_after_days = match form.stale_after_days.trim() {
        "" => None,
        days => Some(days.parse::<i32>().map_err(|_| AppError::invalid("stale_after_days", STALE_DIGITS))?),
    };
    let outcome = Some(form.outcome.trim()).filter(|outcome| !outcome.is_empty()).map(str::to_string);
    let edit = super::stages::StageEdit { name: form.name, outcome, stale_after_days };
    super::stages::save(&mut access.tx, actor, id, &edit).await?;
    access.tx.commit().await?;
    Ok(())
}

#[server(endpoint = "crm/stages/shift")]
pub async fn shift_stage(id: Uuid, shift: Shift) -> Result<(), AppError> {
    let (mut access, actor) = require_owner().await?;
    super::stages::shift(&mut access.tx, actor, id, shift).await?;
    access.tx.commit().await?;
    Ok(())
}

#[server(endpoint = "crm/stages/archive")]
pub async fn archive_stage(id: Uuid) -> Result<(), AppError> {
    let (mut access, actor) = require_owner().await?;
    super::stages::archive(&mut access.tx, actor, id).await?;
    access.tx.commit().await?;
    Ok(())
}

#[cfg(feature = "ssr")]
const STALE_DIGITS: crate::i18n::Text = crate::i18n::Text::new("Informe um número de dias.", "Enter a number of days.");
