mod classes;
mod courses;
mod overview;
mod periods;
mod public_catalog;

pub use classes::ClassesPage;
pub use courses::CoursesPage;
pub use overview::EnrollmentOverviewPage;
pub use periods::PeriodsPage;
pub use public_catalog::PublicCatalogPage;

crate::lazy_page!(
    /// The enrollment backoffice's home, in its own chunk.
    pub EnrollmentOverviewRoute => EnrollmentOverviewPage
);
crate::lazy_page!(pub CoursesRoute => CoursesPage);
crate::lazy_page!(pub ClassesRoute => ClassesPage);
crate::lazy_page!(pub PeriodsRoute => PeriodsPage);
crate::lazy_page!(
    /// The public catalog: its own chunk, the first page a prospective student opens.
    pub PublicCatalogRoute => PublicCatalogPage
);
