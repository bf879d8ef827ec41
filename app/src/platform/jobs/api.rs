//! Server functions of the jobs page.
