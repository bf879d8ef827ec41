mod overview;

pub use overview::EnrollmentOverviewPage;

crate::lazy_page!(
    /// The enrollment backoffice's home, in its own chunk.
    pub EnrollmentOverviewRoute => EnrollmentOverviewPage
);
