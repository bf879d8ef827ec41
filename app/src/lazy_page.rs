//! Lazy routes: a page whose code the release build splits into its own wasm chunk (cargo-leptos `--split`),
//! fetched the first time someone opens it, so the landing page, sign-in and the student portal do not carry the
//! backoffice, the CRM board or finance. Code shared by several chunks lands in a shared chunk; code the main
//! bundle also uses stays there.

/// Declares `$route`, the lazy route of the page component `$page` (a component without props):
/// `lazy_page!(pub AccountsRoute => AccountsPage);` then, in `routes.rs`,
/// `<Route path=path!("financeiro/contas") view=Lazy::<finance::pages::AccountsRoute>::new() />`.
#[macro_export]
macro_rules! lazy_page {
    ($(#[$meta:meta])* $vis:vis $route:ident => $page:path) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy)]
        $vis struct $route;

        // wasm-split's generated loader is `unsafe` FFI glue into the chunk: unsafe code the macro owns, not ours.
        #[allow(unsafe_code)]
        const _: () = {
            #[::leptos_router::lazy_route]
            impl ::leptos_router::LazyRoute for $route {
                fn data() -> Self {
                    Self
                }

                fn view(_this: Self) -> ::leptos::prelude::AnyView {
                    ::leptos::prelude::IntoAny::into_any($page())
                }
            }
        };
    };
}
