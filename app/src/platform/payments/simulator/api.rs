//! Server functions of the test payments page (owner and staff). They exist only while payments go to the fake:
//! with the real Asaas configured every one of them answers not found, like the page.

use leptos::prelude::*;

use super::types::TestPayments;
use crate::platform::AppError;

#[cfg(feature = "ssr")]
mod ssr {
    use std::sync::Arc;

    use crate::i18n::Text;
    use crate::platform::{
        AppError,
        auth::{self, Access, Role},
        context,
        integrations::{
            payment_gateway::{GatewayAccount, GatewayError, PaymentSimulator},
            settings,
        },
    };

    pub const NOT_CONNECTED: Text = Text::new(
        "Esta organização ainda não tem uma conta Asaas configurada.",
        "This organization has no Asaas account set up yet.",
    );

    pub struct Simulating {
        pub access: Access,
        pub simulator: Arc<dyn PaymentSimulator>,
        pub account: GatewayAccount,
    }

    pub async fn simulating() -> Result<Simulating, AppError> {
        let context = context::server_context()?;
        let mut access = auth::require(Role::BACKOFFICE).await?;
        let simulator = context.payment_simulator.clone().ok_or(AppError::NotFound)?;
        let account =
            settings::asaas_account(&mut access.tx).await?.ok_or_else(|| AppError::conflict(NOT_CONNECTED))?;
        Ok(Simulating { access, simulator, account })
    }

    pub fn gateway(error: GatewayError) -> AppError {
        match error {
            GatewayError::Rejected { message } => AppError::Conflict { message },
            other => AppError::unexpected("test payment", other),
        }
    }
}

#[server(endpoint = "payments/test/list")]
pub async fn list_test_payments() -> Result<TestPayments, AppError> {
    use super::types::TestCharge;
    let ssr::Simulating { mut access, simulator, account } = ssr::simulating().await?;
    let charges = simulator.list_charges(&account).await.map_err(ssr::gateway)?;
    let charge_ids: Vec<&str> = charges.iter().map(|charge| charge.id.as_str()).collect();
    // Only the statuses of these charges, keyed by the provider's id.
    let ours: std::collections::HashMap<String, String> =
        sqlx::query_as("select provider_charge_id, status from payments where provider_charge_id = any($1)")
            .bind(&charge_ids)
            .fetch_all(access.tx.conn())
            .await?
            .into_iter()
            .collect();
    access.tx.commit().await?;
    let mut charges: Vec<TestCharge> = charges
        .into_iter()
        .map(|charge| TestCharge {
            our_status: ours.get(&charge.id).cloned(),
            id: charge.id,
            billing: charge.billing.as_str().to_string(),
            value_cents: charge.value_cents,
            due_date: charge.due_date,
            provider_status: charge.status.as_str().to_string(),
        })
        .collect();
    charges.reverse();
    Ok(TestPayments { charges })
}

/// Whether the test payments page exists (payments go to the fake), for the link on the settings page.
#[server(endpoint = "payments/test/enabled")]
pub async fn test_payments_enabled() -> Result<bool, AppError> {
    let context = crate::platform::context::server_context()?;
    crate::platform::auth::require(crate::platform::auth::Role::BACKOFFICE).await?;
    Ok(context.payment_simulator.is_some())
}

/// Creates a test charge for a made-up payer (a valid test CPF), due in three days.
#[server(endpoint = "payments/test/create")]
pub async fn create_test_charge(billing: String) -> Result<(), AppError> {
    use crate::platform::integrations::payment_gateway::{BillingType, NewCharge, NewCustomer};
    let context = crate::platform::context::server_context()?;
    let ssr::Simulating { access, account, .. } = ssr::simulating().await?;
    let (billing, value_cents) = match billing.as_str() {
        "BOLETO" => (BillingType::Boleto, 89_000),
        _ => (BillingType::Pix, 15_000),
    };
    access.tx.commit().await?;
    let payer = NewCustomer {
        name: "Pagador de Teste".into(),
        cpf: "52998224725".into(),
        email: Some("pagador.teste@example.com".into()),
        phone: None,
    };
    let customer = context.payments.find_or_create_customer(&account, payer).await.map_err(ssr::gateway)?;
    let charge = NewCharge {
        customer_id: customer.id,
        billing,
        value_cents,
        due_date: chrono::Utc::now().date_naive() + chrono::Days::new(3),
        description: "Cobrança de teste".into(),
        installments: 1,
        external_reference: format!("teste-{}", uuid::Uuid::now_v7()),
    };
    context.payments.create_charge(&account, charge).await.map_err(ssr::gateway)?;
    Ok(())
}

/// Marks a test charge paid, overdue or refunded at the fake; the fake then sends us the webhook.
#[server(endpoint = "payments/test/simulate")]
pub async fn simulate_test_payment(charge_id: String, outcome: String) -> Result<(), AppError> {
    use crate::platform::integrations::payment_gateway::Simulation;
    let ssr::Simulating { access, simulator, account } = ssr::simulating().await?;
    access.tx.commit().await?;
    let simulation = match outcome.as_str() {
        "paid" => Simulation::Paid,
        "overdue" => Simulation::Overdue,
        "refunded" => Simulation::Refunded,
        _ => return Err(AppError::invalid("outcome", crate::i18n::Text::new("Escolha inválida.", "Invalid choice."))),
    };
    simulator.simulate(&account, &charge_id, simulation).await.map_err(ssr::gateway)?;
    Ok(())
}
