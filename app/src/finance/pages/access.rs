//! The owner's "Acesso ao financeiro" switches, one per staff person, on the people page (where an owner looks
//! when deciding who sees what). The server functions decide and audit; this only shows and flips them.

use leptos::prelude::*;

use crate::finance::{
    api::{SetFinanceAccess, list_finance_people},
    types::FinancePerson,
};
use crate::i18n::{Text, t, t_now, use_locale};
use crate::ui::{Card, FOCUS_RING, use_toaster};

const TITLE: Text = Text::new("Acesso ao financeiro", "Finance access");
const HINT: Text = Text::new(
    "O proprietário sempre vê o financeiro. Ligue para quem da equipe também deve ver lançamentos, contas e salários; consultores e alunos nunca veem.",
    "Owners always see finance. Switch it on for the staff who should also see transactions, accounts and salaries; consultants and students never do.",
);
const NOBODY: Text = Text::new(
    "Ninguém da equipe ainda. Convide uma pessoa com o papel Equipe para dar acesso.",
    "No staff yet. Invite someone as Staff to give them access.",
);
const GRANTED: Text = Text::new("Acesso ao financeiro liberado.", "Finance access granted.");
const REVOKED: Text = Text::new("Acesso ao financeiro retirado.", "Finance access withdrawn.");

/// Nothing at all when finance is off for the tenant (the server refuses the list).
#[component]
pub fn FinanceAccessCard() -> impl IntoView {
    let people = Resource::new(|| (), |()| list_finance_people());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                people.await.ok().map(|people| view! {
                    <Card class="mt-6">
                        <h2 class="text-sm font-semibold text-slate-700">{t(TITLE)}</h2>
                        <p class="mt-1 text-xs text-slate-500">{t(HINT)}</p>
                        {if people.is_empty() {
                            view! { <p class="mt-3 text-sm text-slate-600">{t(NOBODY)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="mt-3 divide-y divide-slate-100" data-testid="finance-access-list">
                                    {people.into_iter().map(|person| view! { <AccessSwitch person /> }).collect_view()}
                                </ul>
                            }
                            .into_any()
                        }}
                    </Card>
                })
            })}
        </Suspense>
    }
}

#[component]
fn AccessSwitch(person: FinancePerson) -> impl IntoView {
    let granted = RwSignal::new(person.finance_access);
    let action = ServerAction::<SetFinanceAccess>::new();
    let toaster = use_toaster();
    let locale = use_locale();
    // A refusal puts the switch back where the server has it.
    Effect::new(move || match action.value().get() {
        Some(Ok(())) => {
            if let Some(toaster) = toaster {
                toaster.success(t_now(if granted.get_untracked() { GRANTED } else { REVOKED }));
            }
        }
        Some(Err(error)) => {
            granted.update(|on| *on = !*on);
            if let Some(toaster) = toaster {
                toaster.error(error.user_message(locale.get_untracked()));
            }
        }
        None => {}
    });
    let user_id = person.id;
    let label = format!("{} — {}", t_now(TITLE), person.name);
    view! {
        <li class="flex items-center justify-between gap-4 py-2">
            <span class="text-sm">
                <span class="block font-medium text-slate-900">{person.name.clone()}</span>
                <span class="block text-xs text-slate-500">{person.email.clone()}</span>
            </span>
            <input
                type="checkbox"
                role="switch"
                aria-label=label
                data-testid="finance-access"
                data-email=person.email.clone()
                class=format!("size-5 accent-indigo-600 {FOCUS_RING}")
                prop:checked=move || granted.get()
                aria-checked=move || granted.get().to_string()
                disabled=move || action.pending().get()
                on:change=move |event| {
                    let on = event_target_checked(&event);
                    granted.set(on);
                    action.dispatch(SetFinanceAccess { user_id, granted: on });
                }
            />
        </li>
    }
}
