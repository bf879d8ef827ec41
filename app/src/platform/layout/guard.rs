use leptos::prelude::*;
use leptos_meta::Title;

use super::use_viewer;
use crate::i18n::{Text, t, t_now};
use crate::platform::{auth::Role, tenancy::Module};
use crate::ui::EmptyState;

const FORBIDDEN_TITLE: Text = Text::new("Acesso negado", "Access denied");
const FORBIDDEN_TEXT: Text = Text::new(
    "Esta página não faz parte do seu acesso. Se precisar dela, fale com o responsável pela sua instituição.",
    "This page is not part of your access. If you need it, ask the person in charge of your organization.",
);
const MODULE_OFF_TITLE: Text = Text::new("Módulo desativado", "Module switched off");
const MODULE_OFF_TEXT: Text = Text::new(
    "Este módulo não está ativo na sua instituição. O proprietário pode ativá-lo em Configurações.",
    "This module is not on for your organization. The owner can switch it on in Settings.",
);
const GO_HOME: Text = Text::new("Ir para o meu início", "Go to my home");

/// Renders `children` only for `roles` (and only when `module` is on); otherwise a refusal with status 403.
/// The server functions behind each page check the same again: hiding is not the protection.
#[component]
pub fn Allowed(
    roles: &'static [Role],
    #[prop(optional)] module: Option<Module>,
    children: ChildrenFn,
) -> impl IntoView {
    let viewer = use_viewer();
    // Finance also needs the person's own access (granted by the owner): without it the page is refused as a role.
    let finance_ok = module != Some(Module::Finance) || viewer.as_ref().is_some_and(|viewer| viewer.finance);
    let role_ok = viewer.as_ref().is_some_and(|viewer| viewer.is(roles)) && finance_ok;
    let module_ok = module.is_none_or(|module| viewer.as_ref().is_some_and(|v| v.tenant.modules.has(module)));
    if role_ok && module_ok {
        children().into_any()
    } else if role_ok {
        view! { <ForbiddenPanel title=MODULE_OFF_TITLE text=MODULE_OFF_TEXT /> }.into_any()
    } else {
        view! { <ForbiddenPanel title=FORBIDDEN_TITLE text=FORBIDDEN_TEXT /> }.into_any()
    }
}

#[component]
pub fn ForbiddenPanel(
    #[prop(default = FORBIDDEN_TITLE)] title: Text,
    #[prop(default = FORBIDDEN_TEXT)] text: Text,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FORBIDDEN);
    }
    let home = use_viewer().map(|viewer| viewer.home_path()).unwrap_or_else(|| "/".into());
    view! {
        <Title text=t_now(title) />
        <div data-testid="forbidden">
            <EmptyState title=t(title) description=t(text)>
                <a href=home class="text-sm font-semibold text-indigo-600 hover:text-indigo-500">{t(GO_HOME)}</a>
            </EmptyState>
        </div>
    }
}
