//! The staff's applications list: filters, search, counts per status and a page, in two index-backed queries.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{
    enrollment::{
        review_types::{ApplicationListRow, ApplicationQuery, PAGE_SIZE, StatusCount},
        types::{ApplicationStatus, Shift},
    },
    platform::tenancy::TenantTx,
};

/// The applications matching every filter but the status. `$1` course, `$2` class, `$3` term, `$4` name/e-mail
/// pattern, `$5` CPF prefix pattern.
const FILTERED: &str = "
    select a.id, a.tenant_id, a.status, a.status_changed_at, u.name as student, u.email, p.cpf, k.name as course, c.term, c.shift
      from applications a
      join users u on u.tenant_id = a.tenant_id and u.id = a.student_id
      join classes c on c.tenant_id = a.tenant_id and c.id = a.class_id
      join courses k on k.tenant_id = c.tenant_id and k.id = c.course_id
      left join student_profiles p on p.tenant_id = a.tenant_id and p.user_id = a.student_id
     where ($1::uuid is null or c.course_id = $1)
       and ($2::uuid is null or a.class_id = $2)
       and ($3::text is null or c.term = $3)
       and ($4::text is null or u.name ilike $4 or u.email ilike $4)
       and ($5::text is null or p.cpf like $5)";

/// `LIKE` patterns from the search box: digits only (3 or more) search CPFs by their start, anything else names
/// and e-mails by any part.
fn patterns(search: &str) -> (Option<String>, Option<String>) {
    let search = search.trim();
    if search.is_empty() {
        return (None, None);
    }
    let digits: String = search.chars().filter(char::is_ascii_digit).collect();
    let only_cpf_characters = search.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | ' '));
    if only_cpf_characters && digits.len() >= 3 {
        return (None, Some(format!("{digits}%")));
    }
    let escaped = search.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    (Some(format!("%{escaped}%")), None)
}

fn bind_filters<'q, O>(
    query: sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments>,
    filter: &'q ApplicationQuery,
    (text, cpf): (Option<String>, Option<String>),
) -> sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments> {
    query.bind(filter.course).bind(filter.class).bind(filter.term.as_deref()).bind(text).bind(cpf)
}

pub async fn counts(tx: &mut TenantTx, filter: &ApplicationQuery) -> Result<Vec<StatusCount>, sqlx::Error> {
    let sql = format!("select status, count(*) from ({FILTERED}) f group by status");
    let rows: Vec<(String, i64)> =
        bind_filters(sqlx::query_as(&sql), filter, patterns(&filter.search)).fetch_all(tx.conn()).await?;
    Ok(ApplicationStatus::ALL
        .into_iter()
        .map(|status| {
            let count = rows.iter().find(|(code, _)| code == status.code()).map_or(0, |(_, count)| *count);
            StatusCount { status, count }
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    status: String,
    status_changed_at: DateTime<Utc>,
    submitted_at: Option<DateTime<Utc>>,
    student: String,
    email: String,
    cpf: Option<String>,
    course: String,
    term: String,
    shift: String,
}

/// Page `page` (from 1) of the matching applications, the most recently moved first; `limit` rows (`None`: all,
/// for the export).
pub async fn rows(
    tx: &mut TenantTx,
    filter: &ApplicationQuery,
    page: i64,
    limit: Option<i64>,
) -> Result<Vec<ApplicationListRow>, sqlx::Error> {
    let sql = format!(
        "select f.*, (select max(e.at) from application_events e
                        where e.tenant_id = f.tenant_id and e.application_id = f.id and e.to_status = 'submitted')
                      as submitted_at
           from ({FILTERED}) f where ($6::text is null or status = $6)
          order by status_changed_at desc, id desc limit $7 offset $8"
    );
    let limit = limit.unwrap_or(i64::MAX);
    let offset = (page.max(1) - 1).saturating_mul(PAGE_SIZE);
    let rows: Vec<Row> = bind_filters(sqlx::query_as(&sql), filter, patterns(&filter.search))
        .bind(filter.status.map(ApplicationStatus::code))
        .bind(limit)
        .bind(offset)
        .fetch_all(tx.conn())
        .await?;
    rows.into_iter()
        .map(|row| {
            let decode = |what: &str| sqlx::Error::Decode(format!("unknown {what} in the applications list").into());
            Ok(ApplicationListRow {
                id: row.id,
                student: row.student,
                email: row.email,
                cpf: row.cpf,
                course: row.course,
                term: row.term,
                shift: Shift::from_code(&row.shift).ok_or_else(|| decode("shift"))?,
                status: ApplicationStatus::from_code(&row.status).ok_or_else(|| decode("status"))?,
                status_changed_at: row.status_changed_at,
                submitted_at: row.submitted_at,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
pub struct DetailRow {
    pub status: String,
    pub student: String,
    pub email: String,
    pub cpf: Option<String>,
    pub phone: Option<String>,
    pub course: String,
    pub term: String,
    pub shift: String,
    pub guardian_is_student: bool,
    pub guardian_name: Option<String>,
    pub guardian_cpf: Option<String>,
    pub contract_accepted_at: Option<DateTime<Utc>>,
}

/// The student, class and wizard data of application `id`.
pub async fn detail(tx: &mut TenantTx, id: Uuid) -> Result<Option<DetailRow>, sqlx::Error> {
    sqlx::query_as(
        "select a.status, u.name as student, u.email, p.cpf, p.phone, k.name as course, c.term, c.shift,
                a.guardian_is_student, a.guardian_name, a.guardian_cpf, a.contract_accepted_at
           from applications a
           join users u on u.tenant_id = a.tenant_id and u.id = a.student_id
           join classes c on c.tenant_id = a.tenant_id and c.id = a.class_id
           join courses k on k.tenant_id = c.tenant_id and k.id = c.course_id
           left join student_profiles p on p.tenant_id = a.tenant_id and p.user_id = a.student_id
          where a.id = $1",
    )
    .bind(id)
    .fetch_optional(tx.conn())
    .await
}

#[cfg(test)]
mod tests {
    use super::patterns;

    #[test]
    fn digits_search_cpfs_by_their_start_and_words_search_names_and_emails() {
        assert_eq!(patterns(" "), (None, None));
        assert_eq!(patterns("123.456"), (None, Some("123456%".into())));
        assert_eq!(patterns("Ana"), (Some("%Ana%".into()), None));
        assert_eq!(patterns("50%_off"), (Some("%50\\%\\_off%".into()), None), "wildcards are literal");
        assert_eq!(patterns("12"), (Some("%12%".into()), None), "too few digits for a CPF");
    }
}
