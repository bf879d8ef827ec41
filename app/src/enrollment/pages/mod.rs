mod overview;

pub use overview::EnrollmentOverviewPage;
