//! Rows of `student_profiles`: a student's CPF, phone, address and whether their e-mail is verified.

use uuid::Uuid;

use crate::platform::tenancy::TenantTx;

pub async fn insert_profile(tx: &mut TenantTx, user_id: Uuid, cpf: &str, phone: &str) -> Result<(), sqlx::Error> {
    let tenant_id = tx.tenant_id();
    sqlx::query("insert into student_profiles (tenant_id, user_id, cpf, phone) values ($1, $2, $3, $4)")
        .bind(tenant_id)
        .bind(user_id)
        .bind(cpf)
        .bind(phone)
        .execute(tx.conn())
        .await
        .map(|_| ())
}

/// Marks the e-mail of `user_id` verified (the first time only: a second link keeps the first date).
pub async fn mark_email_verified(tx: &mut TenantTx, user_id: Uuid) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "update student_profiles set email_verified_at = coalesce(email_verified_at, now()), updated_at = now()
          where user_id = $1",
    )
    .bind(user_id)
    .execute(tx.conn())
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Whether `user_id` is a student whose e-mail is verified.
pub async fn email_verified(tx: &mut TenantTx, user_id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "select exists (select from student_profiles where user_id = $1 and email_verified_at is not null)",
    )
    .bind(user_id)
    .fetch_one(tx.conn())
    .await
}
