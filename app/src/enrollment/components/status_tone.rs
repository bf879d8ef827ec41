use crate::enrollment::types::ApplicationStatus;
use crate::ui::Tone;

/// The badge colour of an application's status, the same for the student and staff.
pub fn status_tone(status: ApplicationStatus) -> Tone {
    use ApplicationStatus::*;
    match status {
        Draft => Tone::Neutral,
        Submitted | UnderReview => Tone::Info,
        ChangesRequested | AwaitingPayment => Tone::Warning,
        Approved | Enrolled => Tone::Success,
        Rejected | Cancelled | Withdrawn | PaymentExpired => Tone::Danger,
    }
}
