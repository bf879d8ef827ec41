//! The fake's memory: one account per API key, each with its customers, payments and webhooks.

use std::{
    collections::HashMap,
    sync::{
        Mutex, MutexGuard, PoisonError,
        atomic::{AtomicUsize, Ordering},
    },
};

use app::platform::integrations::payment_gateway::BillingType;
use chrono::{NaiveDate, Utc};

use super::{Delivery, FakeMode};
use crate::integrations::asaas::wire::{AsaasCustomer, AsaasPayment, AsaasWebhook};

#[derive(Debug, Default)]
pub(super) struct Account {
    pub customers: Vec<AsaasCustomer>,
    /// Newest last.
    pub payments: Vec<AsaasPayment>,
    pub webhooks: Vec<AsaasWebhook>,
}

#[derive(Debug)]
pub(super) struct Shared {
    /// `http://127.0.0.1:port`, for the invoice and boleto links the fake hands out.
    pub origin: String,
    accounts: Mutex<HashMap<String, Account>>,
    mode: Mutex<FakeMode>,
    /// How long every API call waits before it is answered (a slow Asaas).
    delay: Mutex<std::time::Duration>,
    requests: AtomicUsize,
    deliveries: Mutex<Vec<Delivery>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    pub fn new(origin: String) -> Self {
        Self {
            origin,
            accounts: Mutex::default(),
            mode: Mutex::new(FakeMode::Healthy),
            delay: Mutex::default(),
            requests: AtomicUsize::new(0),
            deliveries: Mutex::default(),
        }
    }

    /// Runs `work` on the account of `api_key` (created on first use: any key is a valid, empty account).
    pub fn account<T>(&self, api_key: &str, work: impl FnOnce(&mut Account) -> T) -> T {
        work(lock(&self.accounts).entry(api_key.to_string()).or_default())
    }

    /// The API key of the account holding `payment_id`.
    pub fn owner_of(&self, payment_id: &str) -> Option<String> {
        lock(&self.accounts)
            .iter()
            .find(|(_, account)| account.payments.iter().any(|p| p.id == payment_id))
            .map(|(key, _)| key.clone())
    }

    pub fn mode(&self) -> FakeMode {
        *lock(&self.mode)
    }

    pub fn set_mode(&self, mode: FakeMode) {
        *lock(&self.mode) = mode;
    }

    pub fn delay(&self) -> std::time::Duration {
        *lock(&self.delay)
    }

    pub fn set_delay(&self, delay: std::time::Duration) {
        *lock(&self.delay) = delay;
    }

    pub fn count_request(&self) {
        self.requests.fetch_add(1, Ordering::SeqCst);
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    pub fn log_delivery(&self, delivery: Delivery) {
        lock(&self.deliveries).push(delivery);
    }

    pub fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.deliveries).clone()
    }

    pub fn new_payment(&self, customer: String, billing: BillingType, value: i64, due: NaiveDate) -> AsaasPayment {
        let id = random_id("pay_");
        let code = id.trim_start_matches("pay_");
        AsaasPayment {
            object: "payment".into(),
            date_created: Some(today()),
            customer,
            bank_slip_url: (billing == BillingType::Boleto).then(|| format!("{}/b/pdf/{code}", self.origin)),
            invoice_url: Some(format!("{}/i/{code}", self.origin)),
            billing_type: billing,
            value,
            due_date: due,
            status: app::platform::integrations::payment_gateway::ChargeStatus::Pending,
            description: None,
            external_reference: None,
            payment_date: None,
            client_payment_date: None,
            confirmed_date: None,
            deleted: false,
            installment: None,
            installment_number: None,
            net_value: Some((value - FEE_CENTS).max(0)),
            id,
        }
    }
}

/// What the fake keeps of every charge (Asaas' fee for a PIX or boleto received is of this order).
pub(super) const FEE_CENTS: i64 = 199;

/// Today in Brasília (UTC−3, no daylight saving since 2019), the calendar Asaas uses.
pub(super) fn today() -> NaiveDate {
    (Utc::now() - chrono::Duration::hours(3)).date_naive()
}

/// `pay_` + 12 lowercase letters and digits, like Asaas' ids.
pub(super) fn random_id(prefix: &str) -> String {
    let mut id = prefix.to_string();
    id.extend((0..12).map(|_| fastrand::alphanumeric().to_ascii_lowercase()));
    id
}

/// A PIX "copia e cola" in the EMV format banks read, with a valid CRC, pointing at a fake location.
pub(super) fn pix_payload(payment_id: &str, cents: i64) -> String {
    fn field(id: &str, value: &str) -> String {
        format!("{id}{:02}{value}", value.len())
    }
    let account = field("00", "br.gov.bcb.pix") + &field("25", &format!("pix.fake.asaas.local/qr/v2/{payment_id}"));
    let amount = crate::integrations::asaas::decimal::cents_to_reais(cents);
    let mut text = field("00", "01")
        + &field("01", "12")
        + &field("26", &account)
        + &field("52", "0000")
        + &field("53", "986")
        + &field("54", &amount)
        + &field("58", "BR")
        + &field("59", "ATRIUM FAKE")
        + &field("60", "SAO PAULO")
        + &field("62", &field("05", "***"))
        + "6304";
    text.push_str(&format!("{:04X}", crc16_ccitt(text.as_bytes())));
    text
}

/// CRC-16/CCITT-FALSE, the PIX payload's checksum.
fn crc16_ccitt(bytes: &[u8]) -> u16 {
    bytes.iter().fold(0xFFFF_u16, |mut crc, byte| {
        crc ^= u16::from(*byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x1021 } else { crc << 1 };
        }
        crc
    })
}

/// A 1×1 PNG: a real image, so an `<img>` of it renders (should a payload ever not fit a QR code).
pub(super) const QR_PNG_BASE64: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crc_matches_the_reference_check_value() {
        assert_eq!(crc16_ccitt(b"123456789"), 0x29B1);
    }

    #[test]
    fn pix_payloads_carry_the_amount_and_end_with_a_crc() {
        let payload = pix_payload("pay_abc", 1_234_567);
        assert!(payload.starts_with("000201"), "{payload}");
        assert!(payload.contains("540812345.67"), "{payload}");
        assert_eq!(&payload[payload.len() - 8..payload.len() - 4], "6304");
    }
}
