//! The frames pages render in: the public frame (landing, sign-up, sign-in) and the tenant frame, whose
//! navigation depends on the person's role and the modules their tenant has on. `Allowed` guards each page.

mod frame;
mod guard;
pub mod page_viewer;
mod public_frame;
mod tenant_layout;

pub use guard::{Allowed, ForbiddenPanel};
pub use page_viewer::PageViewer;
pub use public_frame::PublicFrame;
pub use tenant_layout::{TenantLayout, use_viewer};
