//! The SQL of enrollment (ssr-only). Rules live in the services (`applications`, `seats`) and server functions,
//! not here.

pub(crate) mod applications;
pub(crate) mod catalog;
pub(crate) mod documents;
pub(crate) mod listing;
pub(crate) mod open_classes;
pub(crate) mod status;
pub(crate) mod students;
pub(crate) mod wizard;
