//! Enrollment, part 2: paying the enrollment fee. The student picks PIX or boleto (in installments where the class
//! allows); `service::open_charge` makes the charge at Asaas so that it is never made twice (an intent committed
//! first, then the call, then the result), and the payment page shows it (QR code, copia-e-cola, boleto line) until
//! it is paid.

pub mod api;
pub mod types;

#[cfg(feature = "ssr")]
pub mod reaction;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod store;
