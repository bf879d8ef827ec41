//! Telling a consultant that a lead is now theirs.
//!
//! Now: a live event on the consultant's own topic (`user:<id>`, only they may watch it), which the board turns
//! into a toast ("Novo lead atribuído a você: …") and its badge. It leaves at commit, like every live event.
//!
//! Later (the hook): e-mail or WhatsApp notices go here too, as a job enqueued in this same transaction
//! (`platform::jobs::enqueue`, keyed by the lead and the consultant), so an outside call never runs inside the
//! assignment's transaction and a rolled-back assignment notifies nobody.

use uuid::Uuid;

use crate::platform::{
    live::{self, Event, Topic},
    tenancy::TenantTx,
};

/// Tells `consultant` that `lead` was assigned to them (by the rotation or by hand).
pub async fn assigned(tx: &mut TenantTx, lead: Uuid, consultant: Uuid) -> Result<(), sqlx::Error> {
    let name: String =
        sqlx::query_scalar("select name from crm_leads where id = $1").bind(lead).fetch_one(tx.conn()).await?;
    live::publish(tx, Topic::User(consultant), &Event::Assigned { id: lead, name }).await?;
    Ok(())
}
