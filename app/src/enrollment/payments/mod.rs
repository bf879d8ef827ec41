//! Enrollment, part 2: paying the enrollment fee. The student picks PIX or boleto (in installments where the class
//! allows); `service::open_charge` makes the charge at Asaas so that it is never made twice (an intent committed
//! first, then the call, then the result), and the payment page shows it (QR code, copia-e-cola, boleto line) until
//! it is paid. After the payment: `reaction` (what each status does to the application), `books` (tuition in the
//! ledger), `window` (the seat is held only so long) and `receivables` (open charges in finance's forecast).

pub mod api;
pub mod types;

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
