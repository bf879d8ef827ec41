//! Every kind of job this process knows how to run, and the periodic tasks that enqueue work on a schedule.
//! The in-process worker and `server worker` both build their registry here, so they run the same things.

use crate::http::AppState;

use super::Registry;

pub fn registry(_state: &AppState) -> Registry {
    Registry::new()
}
