//! The browser entry point: hydrates the server-rendered page into a live Leptos app.
// Deep view types (the design-system gallery) need more room than the default 128 in release builds.
#![recursion_limit = "512"]

/// Called by the bootstrap script Leptos puts in every page.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // A panic aborts the wasm app (a lazy route's chunk that failed to load panics too): log it, and tell the
    // person, with a reload button, instead of leaving a page that silently stopped working.
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        app::ui::show_crash_notice();
    }));
    // What `leptos::mount::hydrate_lazy` does (lazy routes load their chunk before they hydrate), plus the marker
    // once hydration has finished.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        Box::pin(leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), app::App)).await.forget();
        // A marker for people and browser tests: from here on, the page is interactive.
        if let Some(root) = leptos::prelude::document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}
