//! The design system: small components every module builds its pages from. Calm neutrals, one indigo accent,
//! visible keyboard focus everywhere.

mod badge;
mod button;
mod card;
mod empty_state;
mod gallery;
mod kanban_column;
mod page_header;

pub use badge::{Badge, Tone};
pub use button::{Button, ButtonKind};
pub use card::{Card, StatCard};
pub use empty_state::EmptyState;
pub use gallery::GalleryPage;
pub use kanban_column::KanbanColumn;
pub use page_header::PageHeader;

/// The focus ring shared by every interactive element.
pub const FOCUS_RING: &str = "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";
