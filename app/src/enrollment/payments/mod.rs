//! Enrollment, part 2: paying the enrollment fee. The student picks PIX or boleto (in installments where the class
//! allows); `service::open_charge` makes the charge at Asaas so that it is never made twice (an intent committed
//! first, then the call, then the result), and the payment page shows it (QR code, copia-e-cola, boleto line) until
//! it is paid. After the payment: `reaction` (what each status does to the application), `books` (tuition in the
//! ledger), `window` (the seat is held only so long) and `receivables` (open charges in finance's forecast).

pub mod api;
mod choose;
mod how_to_pay;
pub mod page;
pub mod types;

crate::lazy_page!(
    /// The student's payment page, in its own chunk (only students who pay download it).
    pub PaymentRoute => page::PaymentPage
);

#[cfg(feature = "ssr")]
pub mod books;
#[cfg(feature = "ssr")]
pub mod reaction;
#[cfg(feature = "ssr")]
pub mod receivables;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod staff;
#[cfg(feature = "ssr")]
mod store;
#[cfg(feature = "ssr")]
pub mod window;
