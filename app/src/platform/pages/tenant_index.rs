use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::platform::layout::use_viewer;

/// `/:tenant` alone: off to the person's home.
#[component]
pub fn TenantIndex() -> impl IntoView {
    let path = use_viewer().map_or_else(|| "/".to_string(), |viewer| viewer.home_path());
    view! { <Redirect path /> }
}
