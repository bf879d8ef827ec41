//! The viewer travels with the page. Waiting on a resource inside `<Suspense>` makes Leptos' server render build
//! the page under it twice (it walks the children again to find nested resource reads), so every page's data was
//! loaded twice per view. Instead the server resolves who is looking before the render (a middleware,
//! `server/src/http/page_viewer.rs`), the tenant layout renders at once, and writes what it used into the page as
//! JSON; the browser hydrates from that JSON, so both sides render the same tree without a resource. When the
//! browser reaches the layout by client-side navigation (after signing in), there is no JSON for it and the layout
//! loads the viewer through the `auth/viewer` server function as before.

use serde::{Deserialize, Serialize};

use crate::platform::auth::Viewer;

/// The id of the `<script type="application/json">` that carries the viewer to the browser.
pub const SCRIPT_ID: &str = "atrium-viewer";

/// Who is looking at a tenant's pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageViewer {
    Person(Viewer),
    /// Nobody signed in to this tenant: the layout sends them to its sign-in page.
    Nobody,
    NoSuchTenant,
}

/// What the page carries: the viewer and the tenant slug it was resolved for.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Embedded {
    slug: String,
    viewer: PageViewer,
}

/// Server side: what the middleware resolved for this request, provided into the render's context.
#[derive(Debug, Clone)]
pub struct KnownPageViewer {
    pub slug: String,
    pub viewer: PageViewer,
}

/// The viewer for tenant `slug`, if it is known without waiting: on the server, from the middleware; in the
/// browser, only while hydrating the page the server rendered (read once from its JSON).
pub fn known(slug: &str) -> Option<PageViewer> {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<KnownPageViewer>().filter(|known| known.slug == slug).map(|known| known.viewer)
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        from_document(slug)
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        let _ = slug;
        None
    }
}

/// The JSON the page carries, safe inside `<script>`: `<` is escaped so no text can close the element.
pub fn script_text(slug: &str, viewer: &PageViewer) -> String {
    let embedded = Embedded { slug: slug.to_string(), viewer: viewer.clone() };
    serde_json::to_string(&embedded).unwrap_or_default().replace('<', "\\u003c")
}

/// Only the first layout the browser creates can be the hydrating one; later ones (client-side navigation) must
/// fetch, even if the first one's script is still in the document.
#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn from_document(slug: &str) -> Option<PageViewer> {
    use std::sync::atomic::{AtomicBool, Ordering};
    static READ: AtomicBool = AtomicBool::new(false);
    if READ.swap(true, Ordering::SeqCst) {
        return None;
    }
    let text = leptos::prelude::document().get_element_by_id(SCRIPT_ID)?.text_content()?;
    let embedded: Embedded = serde_json::from_str(&text).ok()?;
    (embedded.slug == slug).then_some(embedded.viewer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_cannot_be_closed_from_inside() {
        let text = script_text("a</script><script>alert(1)</script>", &PageViewer::Nobody);
        assert!(!text.contains('<'), "{text}");
        let embedded: Embedded = serde_json::from_str(&text).expect("still JSON");
        assert_eq!(embedded.slug, "a</script><script>alert(1)</script>");
    }
}
