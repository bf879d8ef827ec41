//! The backoffice's catalog: document kinds, courses, enrollment periods and classes. Owner and staff, with the
//! enrollment module on; every write audited.

use leptos::prelude::*;
use uuid::Uuid;

use crate::enrollment::types::{Catalog, ClassForm, CourseForm, PeriodForm};
use crate::platform::AppError;

#[cfg(feature = "ssr")]
mod rules {
    use crate::i18n::Text;
    use crate::platform::{
        AppError,
        auth::{self, Access, Role},
        tenancy::Module,
    };

    pub const NAME: Text = Text::new("Informe um nome de 2 a 120 caracteres.", "Enter a name of 2 to 120 characters.");
    pub const MODALITY: Text = Text::new("Escolha a modalidade.", "Choose the modality.");
    pub const DURATION: Text =
        Text::new("Informe a duração em meses (1 a 120).", "Enter the duration in months (1 to 120).");
    pub const DESCRIPTION: Text = Text::new("Use no máximo 4.000 caracteres.", "Use at most 4,000 characters.");
    pub const TERM: Text = Text::new("Use o formato 2027.1 ou 2027.2.", "Use the format 2027.1 or 2027.2.");
    pub const DATE: Text = Text::new("Informe uma data válida.", "Enter a valid date.");
    pub const DATES_ORDER: Text = Text::new(
        "O encerramento deve ser igual ou posterior à abertura.",
        "The closing date must not precede the opening.",
    );
    pub const COURSE: Text = Text::new("Escolha o curso.", "Choose the course.");
    pub const SHIFT: Text = Text::new("Escolha o turno.", "Choose the shift.");
    pub const CAPACITY: Text = Text::new("Informe as vagas (1 a 10.000).", "Enter the seats (1 to 10,000).");
    pub const CAPACITY_BELOW_RESERVED: Text = Text::new(
        "Há mais inscrições aprovadas do que estas vagas. Aumente o número.",
        "More applications are approved than these seats. Raise the number.",
    );
    pub const INSTALLMENTS: Text = Text::new("Informe de 1 a 24 parcelas.", "Enter 1 to 24 installments.");
    pub const DOCUMENT: Text = Text::new("Escolha documentos da lista.", "Choose documents from the list.");
    pub const KIND_TAKEN: Text = Text::new("Este documento já está na lista.", "This document is already listed.");
    pub const COURSE_TAKEN: Text = Text::new("Já existe um curso com este nome.", "A course with this name exists.");
    pub const TERM_TAKEN: Text =
        Text::new("Já existe um período para este semestre.", "This term already has a period.");
    pub const OFFERING_TAKEN: Text = Text::new(
        "Este curso já tem uma turma neste semestre e turno.",
        "This course already has a class in this term and shift.",
    );
    pub const NO_PERIOD: Text =
        Text::new("Cadastre antes o período deste semestre.", "Create this term's period first.");

    pub async fn staff() -> Result<Access, AppError> {
        auth::require(Role::BACKOFFICE).await?.module(Module::Enrollment)
    }

    /// A database refusal a person can fix, by constraint name; anything else is unexpected.
    pub fn refusal(context: &str, error: sqlx::Error, known: &[(&str, &str, Text)]) -> AppError {
        let constraint = error.as_database_error().and_then(|db| db.constraint()).map(str::to_owned);
        match constraint.and_then(|name| known.iter().find(|(known, _, _)| *known == name)) {
            Some((_, field, message)) => AppError::invalid(field, *message),
            None => AppError::from_db(context, error),
        }
    }

    pub fn number(
        input: &str,
        field: &str,
        range: std::ops::RangeInclusive<i32>,
        message: Text,
    ) -> Result<i32, AppError> {
        input.trim().parse::<i32>().ok().filter(|n| range.contains(n)).ok_or_else(|| AppError::invalid(field, message))
    }

    pub fn date(input: &str, field: &str) -> Result<chrono::NaiveDate, AppError> {
        chrono::NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d").map_err(|_| AppError::invalid(field, DATE))
    }
}

#[server(endpoint = "enrollment/catalog")]
pub async fn load_catalog() -> Result<Catalog, AppError> {
    let mut access = rules::staff().await?;
    let catalog = crate::enrollment::store::catalog::load(&mut access.tx).await?;
    access.tx.commit().await?;
    Ok(catalog)
}

#[server(endpoint = "enrollment/document_kinds/add")]
pub async fn add_document_kind(name: String) -> Result<Uuid, AppError> {
    use crate::platform::audit;
    let mut access = rules::staff().await?;
    let name = name.trim();
    if !(2..=80).contains(&name.chars().count()) {
        return Err(AppError::invalid("name", rules::NAME));
    }
    let id = crate::enrollment::store::catalog::insert_document_kind(&mut access.tx, name).await.map_err(|error| {
        rules::refusal("document kind", error, &[("enrollment_document_kinds_name_key", "name", rules::KIND_TAKEN)])
    })?;
    let actor = Some(access.viewer.user_id);
    audit::record(&mut access.tx, actor, "enrollment.document_kind.created", name, serde_json::json!({})).await?;
    access.tx.commit().await?;
    Ok(id)
}

#[server(endpoint = "enrollment/courses/save")]
pub async fn save_course(form: CourseForm) -> Result<Uuid, AppError> {
    use crate::enrollment::{store::catalog as store, types::Modality};
    use crate::platform::audit;
    let mut access = rules::staff().await?;
    let name = form.name.trim();
    if !(2..=120).contains(&name.chars().count()) {
        return Err(AppError::invalid("name", rules::NAME));
    }
    let modality = Modality::from_code(&form.modality).ok_or_else(|| AppError::invalid("modality", rules::MODALITY))?;
    let duration_months = rules::number(&form.duration_months, "duration_months", 1..=120, rules::DURATION)?;
    let description = form.description.trim();
    if description.chars().count() > 4000 {
        return Err(AppError::invalid("description", rules::DESCRIPTION));
    }
    let row =
        store::CourseRow { name, modality, duration_months, description, document_kind_ids: &form.document_kind_ids };
    let known = [
        ("courses_name_key", "name", rules::COURSE_TAKEN),
        ("course_required_documents_kind_fkey", "document_kind_ids", rules::DOCUMENT),
    ];
    let id = store::save_course(&mut access.tx, form.id, &row)
        .await
        .map_err(|error| rules::refusal("course", error, &known))?
        .ok_or(AppError::NotFound)?;
    let action = if form.id.is_some() { "enrollment.course.updated" } else { "enrollment.course.created" };
    let details = serde_json::json!({ "name": name, "modality": modality.code(), "duration_months": duration_months,
                                      "documents": form.document_kind_ids });
    audit::record(&mut access.tx, Some(access.viewer.user_id), action, &id.to_string(), details).await?;
    access.tx.commit().await?;
    Ok(id)
}

#[server(endpoint = "enrollment/periods/save")]
pub async fn save_period(form: PeriodForm) -> Result<Uuid, AppError> {
    use crate::platform::audit;
    let mut access = rules::staff().await?;
    let term = form.term.trim();
    let term_ok = term.len() == 6
        && term[..4].chars().all(|c| c.is_ascii_digit())
        && (term.ends_with(".1") || term.ends_with(".2"));
    if form.id.is_none() && !term_ok {
        return Err(AppError::invalid("term", rules::TERM));
    }
    let opens_on = rules::date(&form.opens_on, "opens_on")?;
    let closes_on = rules::date(&form.closes_on, "closes_on")?;
    if closes_on < opens_on {
        return Err(AppError::invalid("closes_on", rules::DATES_ORDER));
    }
    let id = crate::enrollment::store::catalog::save_period(&mut access.tx, form.id, term, opens_on, closes_on)
        .await
        .map_err(|error| {
            rules::refusal("period", error, &[("enrollment_periods_term_key", "term", rules::TERM_TAKEN)])
        })?
        .ok_or(AppError::NotFound)?;
    let action = if form.id.is_some() { "enrollment.period.updated" } else { "enrollment.period.created" };
    let details = serde_json::json!({ "term": term, "opens_on": opens_on, "closes_on": closes_on });
    audit::record(&mut access.tx, Some(access.viewer.user_id), action, &id.to_string(), details).await?;
    access.tx.commit().await?;
    Ok(id)
}

#[server(endpoint = "enrollment/classes/save")]
pub async fn save_class(form: ClassForm) -> Result<Uuid, AppError> {
    use crate::enrollment::{
        store::catalog as store,
        types::{Shift, parse_brl_cents},
    };
    use crate::platform::audit;
    let mut access = rules::staff().await?;
    let course_id =
        Uuid::parse_str(form.course_id.trim()).map_err(|_| AppError::invalid("course_id", rules::COURSE))?;
    let shift = Shift::from_code(&form.shift).ok_or_else(|| AppError::invalid("shift", rules::SHIFT))?;
    let capacity = rules::number(&form.capacity, "capacity", 1..=10_000, rules::CAPACITY)?;
    let enrollment_fee_cents =
        parse_brl_cents(&form.enrollment_fee).map_err(|message| AppError::invalid("enrollment_fee", message))?;
    let monthly_fee_cents =
        parse_brl_cents(&form.monthly_fee).map_err(|message| AppError::invalid("monthly_fee", message))?;
    let max_installments = rules::number(&form.max_installments, "max_installments", 1..=24, rules::INSTALLMENTS)?;
    let term = form.term.trim();
    let row =
        store::ClassRow { course_id, term, shift, capacity, enrollment_fee_cents, monthly_fee_cents, max_installments };
    let known = [
        ("classes_course_fkey", "course_id", rules::COURSE),
        ("classes_period_fkey", "term", rules::NO_PERIOD),
        ("classes_offering_key", "shift", rules::OFFERING_TAKEN),
        ("classes_seats_within_capacity", "capacity", rules::CAPACITY_BELOW_RESERVED),
    ];
    let id = store::save_class(&mut access.tx, form.id, &row)
        .await
        .map_err(|error| rules::refusal("class", error, &known))?
        .ok_or(AppError::NotFound)?;
    let action = if form.id.is_some() { "enrollment.class.updated" } else { "enrollment.class.created" };
    let details = serde_json::json!({
        "course_id": course_id, "term": term, "shift": shift.code(), "capacity": capacity,
        "enrollment_fee_cents": enrollment_fee_cents, "monthly_fee_cents": monthly_fee_cents,
        "max_installments": max_installments,
    });
    audit::record(&mut access.tx, Some(access.viewer.user_id), action, &id.to_string(), details).await?;
    access.tx.commit().await?;
    Ok(id)
}
