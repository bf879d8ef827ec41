//! Enrollment: courses, classes, enrollment periods, applications, document review and payments.

pub mod pages;
