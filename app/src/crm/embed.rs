//! The public lead form embedded in the tenant's own website (`/:tenant/simular/embed`, in an `<iframe>`).
//!
//! The owner names the one site allowed to embed it (`crm_settings.site_origin`). Two exceptions follow from it,
//! each scoped as narrowly as it can be:
//! - framing: only the embed route answers `frame-ancestors <site origin>` (the server's `http::embed` layer asks
//!   [`site_origin_of`]); every other route keeps `frame-ancestors 'none'` and `X-Frame-Options: DENY`;
//! - the CSRF Origin check: only the embed form's submit ([`submit_embedded_lead`], `crm/public/embed_lead`) is
//!   left by the server's CSRF layer to check the Origin itself, and it accepts our own origin or that tenant's
//!   site origin, nothing else. (The iframe's own requests carry our origin; the site's origin is what a browser
//!   sends when the site's page posts the form itself.) The normal form's endpoint keeps the global check.
//!
//! The endpoint writes a lead and needs no session: the Origin rule keeps other sites from driving it from a
//! visitor's browser, the per-address limit of the public form applies as well.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::types::PublicLeadForm;
use crate::platform::AppError;

/// The path of the embed form's submit, which checks the Origin itself (see the module comment).
pub const SUBMIT_PATH: &str = "/api/crm/public/embed_lead";

/// What the CSRF layer found about a request to [`SUBMIT_PATH`]: whether its Origin is our own, and that Origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestOrigin {
    pub ours: bool,
    pub origin: Option<String>,
}

/// The owner's embedding settings and the snippet to paste in the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedSettings {
    pub site_origin: Option<String>,
    /// The `<iframe>` element for the site's HTML.
    pub snippet: String,
}

#[server(endpoint = "crm/embed/settings")]
pub async fn load_embed_settings() -> Result<EmbedSettings, AppError> {
    let (mut access, _) = super::setup::require_owner().await?;
    let site_origin = stored_origin(&mut access.tx).await?;
    access.tx.commit().await?;
    Ok(EmbedSettings { site_origin, snippet: snippet(&access.viewer.tenant.slug)? })
}

/// Saves the site allowed to embed the form (empty: none). Audited.
#[server(endpoint = "crm/embed/save")]
pub async fn save_site_origin(site_origin: String) -> Result<EmbedSettings, AppError> {
    let (mut access, actor) = super::setup::require_owner().await?;
    let origin = match site_origin.trim() {
        "" => None,
        typed => Some(parse_origin(typed).ok_or_else(|| AppError::invalid("site_origin", BAD_ORIGIN))?),
    };
    sqlx::query(
        "insert into crm_settings (tenant_id, site_origin) values (current_tenant_id(), $1)
         on conflict (tenant_id) do update set site_origin = excluded.site_origin, updated_at = now()",
    )
    .bind(&origin)
    .execute(access.tx.conn())
    .await?;
    let details = serde_json::json!({ "site_origin": origin });
    crate::platform::audit::record(&mut access.tx, Some(actor.user_id), "crm.site_origin_saved", "crm", details)
        .await?;
    access.tx.commit().await?;
    Ok(EmbedSettings { site_origin: origin, snippet: snippet(&access.viewer.tenant.slug)? })
}

/// The embedded form's submit: the public form's rules, and an Origin that is ours or the tenant's site.
#[server(endpoint = "crm/public/embed_lead")]
pub async fn submit_embedded_lead(tenant: String, form: PublicLeadForm) -> Result<(), AppError> {
    let origin = leptos_axum::extract::<http::request::Parts>()
        .await
        .ok()
        .and_then(|parts| parts.extensions.get::<RequestOrigin>().cloned())
        .unwrap_or(RequestOrigin { ours: false, origin: None });
    if !origin.ours {
        let context = crate::platform::context::server_context()?;
        let site = site_origin_of(&context, &tenant).await?;
        if site.is_none() || site != origin.origin {
            tracing::warn!(origin = ?origin.origin, %tenant, "refused an embedded lead from another site");
            return Err(AppError::Forbidden);
        }
    }
    super::api::public_lead(&tenant, &form).await
}

/// The site origin the tenant `slug` allows to embed its form (none for an unknown tenant or without the CRM).
#[cfg(feature = "ssr")]
pub async fn site_origin_of(
    context: &crate::platform::context::ServerContext,
    slug: &str,
) -> Result<Option<String>, AppError> {
    let Some(tenant) = context.directory.tenant_by_slug(&context.pool, slug).await? else { return Ok(None) };
    if !tenant.crm_enabled {
        return Ok(None);
    }
    let mut tx = crate::platform::tenancy::TenantTx::begin(&context.pool, tenant.id).await?;
    let origin = stored_origin(&mut tx).await?;
    tx.commit().await?;
    Ok(origin)
}

#[cfg(feature = "ssr")]
async fn stored_origin(tx: &mut crate::platform::tenancy::TenantTx) -> Result<Option<String>, sqlx::Error> {
    let origin: Option<Option<String>> =
        sqlx::query_scalar("select site_origin from crm_settings").fetch_optional(tx.conn()).await?;
    Ok(origin.flatten())
}

/// `https://Loja.Example.com/` → `https://loja.example.com`. An https origin, or plain http on a loopback host
/// (local testing); never a path, query, credentials or wildcard.
#[cfg(feature = "ssr")]
pub fn parse_origin(input: &str) -> Option<String> {
    let uri: http::Uri = input.trim().trim_end_matches('/').parse().ok()?;
    let scheme = uri.scheme_str()?;
    let authority = uri.authority()?;
    let host = authority.host().to_ascii_lowercase();
    let plain_ok = matches!(host.as_str(), "localhost" | "127.0.0.1");
    let host_ok = !host.is_empty()
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        && !host.starts_with(['.', '-'])
        && !host.ends_with(['.', '-']);
    let shape_ok = uri.path() == "/" && uri.query().is_none() && !authority.as_str().contains('@');
    if !(host_ok && shape_ok && (scheme == "https" || (scheme == "http" && plain_ok))) {
        return None;
    }
    Some(match authority.port_u16() {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    })
}

#[cfg(feature = "ssr")]
fn snippet(slug: &str) -> Result<String, AppError> {
    let context = crate::platform::context::server_context()?;
    let base = context.public_url.trim_end_matches('/');
    Ok(format!(
        r#"<iframe src="{base}/{slug}/simular/embed" title="Simule seu financiamento" loading="lazy" style="width:100%;max-width:480px;height:820px;border:0"></iframe>"#
    ))
}

#[cfg(feature = "ssr")]
const BAD_ORIGIN: crate::i18n::Text = crate::i18n::Text::new(
    "Informe o endereço do site com https, sem caminho (ex.: https://www.suaempresa.com.br).",
    "Enter the site's address with https and no path (e.g. https://www.yourcompany.com).",
);

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::parse_origin;

    #[test]
    fn an_origin_is_https_without_a_path_and_loopback_may_be_plain_http() {
        assert_eq!(parse_origin("https://Loja.Example.com/").as_deref(), Some("https://loja.example.com"));
        assert_eq!(parse_origin("https://loja.example.com:8443").as_deref(), Some("https://loja.example.com:8443"));
        assert_eq!(parse_origin("http://127.0.0.1:4321").as_deref(), Some("http://127.0.0.1:4321"));
        for refused in [
            "http://loja.example.com",
            "https://loja.example.com/contato",
            "https://loja.example.com?x=1",
            "https://user@loja.example.com",
            "loja.example.com",
            "https://*.example.com",
            "javascript:alert(1)",
            "https://loja example.com",
        ] {
            assert_eq!(parse_origin(refused), None, "{refused}");
        }
    }
}
