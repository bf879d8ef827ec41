//! The design system: small components every module builds its pages from. Calm neutrals, one indigo accent,
//! visible keyboard focus everywhere.

mod badge;
mod button;
mod card;
mod crash_notice;
mod data_table;
mod empty_state;
mod field;
mod form;
mod gallery;
mod kanban_column;
mod modal;
mod page_header;
mod select_field;
mod skeleton;
mod table_model;
mod text_field;
mod toast;

pub use badge::{Badge, Tone};
pub use button::{Button, ButtonKind};
pub use card::{Card, StatCard};
pub use crash_notice::show_crash_notice;
pub use data_table::{DataTable, TableScroll};
pub use empty_state::EmptyState;
pub use form::{ActionResult, ErrorAlert, FormAlert, UNCACHEABLE_HEADER, field_error, form_error, go_to};
pub use gallery::GalleryPage;
pub use kanban_column::KanbanColumn;
pub use modal::Modal;
pub use page_header::PageHeader;
pub use select_field::SelectField;
pub use skeleton::{Skeleton, SkeletonRows};
pub use table_model::{
    Cell, Column, PageWindow, SortDirection, SortKey, SortState, compare_keys, fold_for_sort, group_thousands,
    next_sort, page_window, sorted_order,
};
pub use text_field::TextField;
pub use toast::{ToastKind, ToastMessage, Toaster, Toasts, provide_toaster, toast_outcome, use_toaster};

/// The focus ring shared by every interactive element.
pub const FOCUS_RING: &str = "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";
