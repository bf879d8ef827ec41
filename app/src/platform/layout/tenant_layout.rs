//! Everything under `/:tenant/…` that needs a signed-in person: resolves the viewer once (blocking, so the
//! server answers with the right status: 302 to sign-in, 404 for an unknown tenant), then renders the frame.

use leptos::prelude::*;
use leptos_router::{
    components::{Outlet, Redirect},
    hooks::{use_location, use_params_map},
};

use super::frame::Frame;
use crate::platform::{AppError, auth::Viewer, auth::api::current_viewer, pages::TenantNotFound};
use crate::ui::{ErrorAlert, Skeleton};

/// The signed-in person, for any component inside the tenant frame.
pub fn use_viewer() -> Option<Viewer> {
    use_context::<Viewer>()
}

#[component]
pub fn TenantLayout() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("tenant").unwrap_or_default();
    let viewer = Resource::new_blocking(slug, current_viewer);
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <Skeleton class="m-8 h-8 w-64" /> }>
            {move || Suspend::new(async move {
                match viewer.await {
                    Ok(Some(viewer)) => {
                        provide_context(viewer.clone());
                        view! { <Frame viewer><Outlet /></Frame> }.into_any()
                    }
                    Ok(None) => {
                        let next = location.pathname.get_untracked();
                        let path = format!("/{}/entrar?proximo={}", slug(), percent_encode(&next));
                        view! { <Redirect path /> }.into_any()
                    }
                    Err(AppError::NotFound) => view! { <TenantNotFound /> }.into_any(),
                    Err(error) => view! { <div class="p-8"><ErrorAlert error /></div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Paths are ours (ASCII segments), so only the characters that matter in a query value need escaping.
fn percent_encode(path: &str) -> String {
    path.chars()
        .map(|c| match c {
            '&' => "%26".to_string(),
            '?' => "%3F".to_string(),
            '#' => "%23".to_string(),
            '=' => "%3D".to_string(),
            ' ' => "%20".to_string(),
            other => other.to_string(),
        })
        .collect()
}
