//! The tenant frame: a sidebar (a top bar on a phone) with what this person may open, their name, the language
//! switch and sign-out. Staff see the backoffice, consultants their board, students their portal; the owner
//! sees everything of their tenant.

use leptos::{form::ActionForm, prelude::*};
use leptos_router::components::A;

use crate::i18n::{LanguageSwitch, Text, t};
use crate::platform::{
    auth::{Role, Viewer, api::SignOut},
    live::LiveIndicator,
    tenancy::Module,
};
use crate::ui::{FOCUS_RING, go_to};

const HOME: Text = Text::new("Início", "Home");
const PORTAL: Text = Text::new("Meu portal", "My portal");
const STUDENT_PORTAL: Text = Text::new("Portal do estudante", "Student portal");
const BOARD: Text = Text::new("Quadro de leads", "Lead board");
const SETTINGS: Text = Text::new("Configurações", "Settings");
const ACCOUNT: Text = Text::new("Minha conta", "My account");
const SIGN_OUT: Text = Text::new("Sair", "Sign out");
const SKIP: Text = Text::new("Pular para o conteúdo", "Skip to content");
const NAVIGATION: Text = Text::new("Navegação principal", "Main navigation");

/// One entry of the navigation.
struct NavItem {
    segment: &'static str,
    label: Text,
}

/// What this person's navigation lists, in order.
fn nav_items(viewer: &Viewer) -> Vec<NavItem> {
    let modules = viewer.tenant.modules;
    let module_item = |module: Module| NavItem { segment: module.segment(), label: module.label() };
    let opens = |module: &Module| viewer.may_open(*module);
    let mut items = Vec::new();
    match viewer.role {
        Role::Owner | Role::Staff => {
            items.push(NavItem { segment: "painel", label: HOME });
            items.extend(modules.enabled().filter(opens).map(module_item));
            if viewer.role == Role::Owner && modules.enrollment {
                items.push(NavItem { segment: "portal", label: STUDENT_PORTAL });
            }
            items.push(NavItem { segment: "configuracoes", label: SETTINGS });
        }
        Role::Consultant => {
            if modules.crm {
                items.push(NavItem { segment: "crm", label: BOARD });
            }
            items.push(NavItem { segment: "conta", label: ACCOUNT });
        }
        Role::Student => {
            items.push(NavItem { segment: "portal", label: PORTAL });
            items.push(NavItem { segment: "conta", label: ACCOUNT });
        }
    }
    items
}

#[component]
pub fn Frame(viewer: Viewer, children: Children) -> impl IntoView {
    let link = format!(
        "flex items-center gap-2 whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium text-slate-600 \
         hover:bg-slate-100 hover:text-slate-900 aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-700 \
         {FOCUS_RING}"
    );
    let slug = viewer.tenant.slug.clone();
    let items = nav_items(&viewer)
        .into_iter()
        .map(|item| {
            let href = format!("/{slug}/{}", item.segment);
            let class = link.clone();
            view! { <li><A href=href attr:class=class attr:data-testid=format!("nav-{}", item.segment)>{t(item.label)}</A></li> }
        })
        .collect_view();
    let sign_out = ServerAction::<SignOut>::new();
    Effect::new(move || {
        if let Some(Ok(path)) = sign_out.value().get() {
            go_to(&path);
        }
    });
    let role_label = viewer.role.label();
    let account_href = format!("/{slug}/conta");
    view! {
        <a href="#conteudo" class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow">
            {t(SKIP)}
        </a>
        <div class="flex min-h-screen flex-col md:flex-row">
            <nav
                aria-label=t(NAVIGATION)
                class="border-b border-slate-200 bg-white print:hidden md:sticky md:top-0 md:flex md:h-screen md:w-64 md:shrink-0 md:flex-col md:border-b-0 md:border-r"
            >
                <div class="flex items-center gap-3 px-4 py-4 md:px-5 md:py-5">
                    <span aria-hidden="true" class="grid size-8 shrink-0 place-items-center rounded-lg bg-indigo-600 text-sm font-bold text-white">
                        "A"
                    </span>
                    <div class="min-w-0">
                        <p class="truncate text-sm font-semibold text-slate-900" data-testid="tenant-name">{viewer.tenant.name.clone()}</p>
                        <p class="text-xs text-slate-500">"Atrium"</p>
                    </div>
                </div>
                <ul class="flex gap-1 overflow-x-auto px-2 pb-3 md:flex-1 md:flex-col md:px-3">{items}</ul>
                <div class="flex flex-wrap items-center justify-between gap-2 border-t border-slate-200 px-4 py-3 md:block md:space-y-3 md:px-5 md:py-4">
                    <a href=account_href class=format!("block min-w-0 rounded {FOCUS_RING}") data-testid="viewer">
                        <p class="truncate text-sm font-medium text-slate-900">{viewer.name.clone()}</p>
                        <p class="truncate text-xs text-slate-500">{t(role_label)} " · " {viewer.email.clone()}</p>
                    </a>
                    <div class="flex items-center gap-2 md:justify-between">
                        <LanguageSwitch />
                        <ActionForm action=sign_out>
                            <button
                                type="submit"
                                data-testid="sign-out"
                                class=format!("whitespace-nowrap rounded-md px-2 py-1 text-xs font-semibold text-slate-600 hover:bg-slate-100 hover:text-slate-900 {FOCUS_RING}")
                            >
                                {t(SIGN_OUT)}
                            </button>
                        </ActionForm>
                    </div>
                </div>
            </nav>
            <main id="conteudo" class="min-w-0 flex-1 px-4 py-6 print:p-0 md:px-10 md:py-8">{children()}</main>
        </div>
        <LiveIndicator />
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::tenancy::{Modules, Plan, TenantSummary};

    fn viewer(role: Role, modules: Modules) -> Viewer {
        Viewer {
            user_id: uuid::Uuid::nil(),
            name: "Ana".into(),
            email: "ana@x.example".into(),
            role,
            finance: Viewer::finance_for(role, false),
            tenant: TenantSummary {
                id: uuid::Uuid::nil(),
                slug: "x".into(),
                name: "X".into(),
                plan: Plan::Starter,
                modules,
            },
        }
    }

    fn segments(viewer: &Viewer) -> Vec<&'static str> {
        nav_items(viewer).into_iter().map(|item| item.segment).collect()
    }

    #[test]
    fn the_backoffice_lists_only_the_modules_that_are_on() {
        let some = Modules { enrollment: false, crm: true, finance: true };
        let granted = Viewer { finance: true, ..viewer(Role::Staff, some) };
        assert_eq!(segments(&granted), ["painel", "crm", "financeiro", "configuracoes"]);
        let all = Modules { enrollment: true, crm: true, finance: true };
        assert_eq!(
            segments(&viewer(Role::Owner, all)),
            ["painel", "matriculas", "crm", "financeiro", "portal", "configuracoes"]
        );
    }

    #[test]
    fn finance_is_listed_only_for_the_owner_and_staff_granted_it() {
        let all = Modules { enrollment: true, crm: true, finance: true };
        assert!(!segments(&viewer(Role::Staff, all)).contains(&"financeiro"));
        let granted = Viewer { finance: true, ..viewer(Role::Staff, all) };
        assert!(segments(&granted).contains(&"financeiro"));
        assert!(segments(&viewer(Role::Owner, all)).contains(&"financeiro"));
    }

    #[test]
    fn consultants_and_students_see_their_own_areas() {
        let all = Modules { enrollment: true, crm: true, finance: true };
        assert_eq!(segments(&viewer(Role::Consultant, all)), ["crm", "conta"]);
        assert_eq!(segments(&viewer(Role::Student, all)), ["portal", "conta"]);
    }
}
