//! The frames pages render in: the public frame (landing, sign-up, sign-in) and the tenant frame, whose
//! navigation depends on the person's role and the modules their tenant has on. `Allowed` guards each page.

mod frame;
mod guard;
mod public_frame;
mod tenant_layout;

pub use guard::{Allowed, ForbiddenPanel};
pub use public_frame::PublicFrame;
pub use tenant_layout::{TenantLayout, use_viewer};
