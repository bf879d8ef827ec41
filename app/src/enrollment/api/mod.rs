//! Server functions of enrollment. Each starts with `auth::require` and calls the module's services and store.

pub mod catalog;
pub mod documents;
pub mod public;
pub mod review;
pub mod status;
pub mod students;
pub mod wizard;
