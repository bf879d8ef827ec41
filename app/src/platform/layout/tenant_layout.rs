//! Everything under `/:tenant/…` that needs a signed-in person: who is looking decides the answer (302 to
//! sign-in, 404 for an unknown tenant, or the frame for their role around the page).
//!
//! On the server and while hydrating, the viewer is known before the render (`page_viewer`): the layout renders at
//! once and the page under it is built once. Reached by client-side navigation, it loads the viewer first.

use leptos::prelude::*;
use leptos_router::{
    components::{Outlet, Redirect},
    hooks::{use_location, use_params_map},
};

use super::frame::Frame;
use super::page_viewer::{self, PageViewer};
use crate::platform::{AppError, auth::Viewer, auth::api::current_viewer, pages::TenantNotFound};
use crate::ui::{ErrorAlert, Skeleton};

/// The signed-in person, for any component inside the tenant frame.
pub fn use_viewer() -> Option<Viewer> {
    use_context::<Viewer>()
}

#[component]
pub fn TenantLayout() -> impl IntoView {
    let params = use_params_map();
    // Only the tenant segment matters here: a change of a page's own parameters must not rebuild the frame.
    let slug = Memo::new(move |_| params.read().get("tenant").unwrap_or_default());
    let first = slug.get_untracked();
    match page_viewer::known(&first) {
        Some(known) => {
            // A page without wasm is never hydrated: the viewer's JSON would be dead weight (and a script tag).
            let script = crate::shell::ships_wasm().then(|| {
                let text = page_viewer::script_text(&first, &known);
                view! { <script type="application/json" id=page_viewer::SCRIPT_ID inner_html=text></script> }
            });
            let page = move || {
                if slug.get() == first {
                    answer(Ok(known.clone()), &first).into_any()
                } else {
                    view! { <FetchedLayout slug /> }.into_any()
                }
            };
            view! {
                {script}
                {page}
            }
            .into_any()
        }
        None => view! { <FetchedLayout slug /> }.into_any(),
    }
}

/// The layout when the viewer is not known yet: it asks the server, then answers.
#[component]
fn FetchedLayout(slug: Memo<String>) -> impl IntoView {
    let viewer = Resource::new_blocking(move || slug.get(), current_viewer);
    view! {
        <Suspense fallback=|| view! { <Skeleton class="m-8 h-8 w-64" /> }>
            {move || Suspend::new(async move {
                let answered = viewer.await.map(|viewer| viewer.map_or(PageViewer::Nobody, PageViewer::Person));
                let answered = match answered {
                    Err(AppError::NotFound) => Ok(PageViewer::NoSuchTenant),
                    other => other,
                };
                answer(answered, &slug.get_untracked())
            })}
        </Suspense>
    }
}

fn answer(viewer: Result<PageViewer, AppError>, slug: &str) -> AnyView {
    match viewer {
        Ok(PageViewer::Person(viewer)) => {
            provide_context(viewer.clone());
            view! { <Frame viewer><Outlet /></Frame> }.into_any()
        }
        Ok(PageViewer::Nobody) => {
            let next = use_location().pathname.get_untracked();
            let path = format!("/{slug}/entrar?proximo={}", percent_encode(&next));
            view! { <Redirect path /> }.into_any()
        }
        Ok(PageViewer::NoSuchTenant) => view! { <TenantNotFound /> }.into_any(),
        Err(error) => view! { <div class="p-8"><ErrorAlert error /></div> }.into_any(),
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
