//! The browser entry point: hydrates the server-rendered page into a live Leptos app.
// Deep view types (the design-system gallery) need more room than the default 128 in release builds.
#![recursion_limit = "512"]

/// Called by the bootstrap script Leptos puts in every page.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // A marker for people and browser tests: from here on, the page is interactive.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
