//! The jobs page.
