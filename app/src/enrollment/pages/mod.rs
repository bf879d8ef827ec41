mod application;
mod applications;
mod classes;
mod courses;
mod overview;
mod periods;
mod public_catalog;
mod student_documents;
mod student_sign_up;
mod student_status;
mod verify_email;
mod wizard;

pub use application::ApplicationPage;
pub use applications::ApplicationsPage;
pub use classes::ClassesPage;
pub use courses::CoursesPage;
pub use overview::EnrollmentOverviewPage;
pub use periods::PeriodsPage;
pub use public_catalog::PublicCatalogPage;
pub use student_documents::StudentDocumentsPage;
pub use student_sign_up::StudentSignUpPage;
pub use student_status::StudentStatusPage;
pub use verify_email::VerifyEmailPage;
pub use wizard::{ContractStepPage, GuardianStepPage, NewApplicationPage, PersonalStepPage, ReviewStepPage};

crate::lazy_page!(
    /// The enrollment backoffice's home, in its own chunk.
    pub EnrollmentOverviewRoute => EnrollmentOverviewPage
);
crate::lazy_page!(pub ApplicationsRoute => ApplicationsPage);
crate::lazy_page!(pub ApplicationRoute => ApplicationPage);
crate::lazy_page!(pub CoursesRoute => CoursesPage);
crate::lazy_page!(pub ClassesRoute => ClassesPage);
crate::lazy_page!(pub PeriodsRoute => PeriodsPage);
crate::lazy_page!(pub StudentDocumentsRoute => StudentDocumentsPage);
crate::lazy_page!(pub StudentStatusRoute => StudentStatusPage);
crate::lazy_page!(
    /// The public catalog: its own chunk, the first page a prospective student opens.
    pub PublicCatalogRoute => PublicCatalogPage
);
crate::lazy_page!(pub StudentSignUpRoute => StudentSignUpPage);
crate::lazy_page!(pub VerifyEmailRoute => VerifyEmailPage);
crate::lazy_page!(pub NewApplicationRoute => NewApplicationPage);
crate::lazy_page!(pub PersonalStepRoute => PersonalStepPage);
crate::lazy_page!(pub GuardianStepRoute => GuardianStepPage);
crate::lazy_page!(pub ContractStepRoute => ContractStepPage);
crate::lazy_page!(pub ReviewStepRoute => ReviewStepPage);
