//! The board's strip for the distribution. A consultant sees their "disponível" toggle and a badge counting the
//! leads assigned to them since they last looked, and gets a toast the moment one arrives (their own live topic,
//! `user:<id>`). Staff and owner see a link to the consultants page instead. Kept small: the board is at its size
//! budget.

use leptos::prelude::*;
use uuid::Uuid;

use crate::crm::distribution::api::{load_desk, mark_assignments_seen, set_available};
use crate::i18n::{Text, t, t_now, use_locale};
use crate::platform::{
    auth::Role,
    layout::use_viewer,
    live::{Event, Topic, use_live},
};
use crate::ui::use_toaster;

const AVAILABLE: Text = Text::new("Disponível para novos leads", "Available for new leads");
const NEW: Text = Text::new("novo(s) lead(s) para você", "new lead(s) for you");
const ASSIGNED: Text = Text::new("Novo lead atribuído a você:", "New lead assigned to you:");
const TEAM: Text = Text::new("Consultores e capacidade", "Consultants and capacity");

#[component]
pub fn Desk() -> impl IntoView {
    let viewer = use_viewer()?;
    Some(match viewer.role {
        Role::Consultant => view! { <ConsultantDesk user=viewer.user_id /> }.into_any(),
        _ => view! {
            <a href=format!("/{}/crm/consultores", viewer.tenant.slug) class="text-sm font-semibold text-indigo-700 hover:underline" data-testid="board-team-link">{t(TEAM)}</a>
        }
        .into_any(),
    })
}

#[component]
fn ConsultantDesk(user: Uuid) -> impl IntoView {
    let desk = Resource::new(|| (), |()| load_desk());
    let available = RwSignal::new(false);
    let count = RwSignal::new(0_i64);
    Effect::new(move |_| {
        if let Some(Ok(desk)) = desk.get() {
            available.set(desk.available);
            count.set(desk.new_assignments);
        }
    });
    let toaster = use_toaster();
    let locale = use_locale();
    // Browser only (an effect): the consultant's own topic. Each assignment is a toast, and the badge is read again
    // (also after missed events).
    Effect::new(move |_| {
        let live = use_live(Topic::User(user));
        live.on_change(move || desk.refetch());
        Effect::new(move |_| {
            if let (Some(Event::Assigned { name, .. }), Some(toaster)) = (live.event().get(), toaster) {
                toaster.info(format!("{} {name}", t_now(ASSIGNED)));
            }
        });
    });
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        available.set(on);
        leptos::task::spawn_local(async move {
            match set_available(on).await {
                Ok(desk) => count.set(desk.new_assignments),
                Err(error) => {
                    available.set(!on);
                    if let Some(toaster) = toaster {
                        toaster.error(error.user_message(locale.get_untracked()));
                    }
                }
            }
        });
    };
    let seen = move |_| {
        count.set(0);
        leptos::task::spawn_local(async move {
            let _ = mark_assignments_seen().await;
        });
    };
    view! {
        <div class="flex items-center gap-3 text-sm">
            <Show when=move || { count.get() > 0 }>
                <a href="?meus=1" on:click=seen class="rounded-full bg-indigo-600 px-2.5 py-0.5 text-xs font-semibold text-white" data-testid="desk-badge">
                    {move || count.get()}" "{t(NEW)}
                </a>
            </Show>
            <label class="flex items-center gap-2 text-slate-700">
                <input type="checkbox" prop:checked=move || available.get() on:change=toggle data-testid="desk-available" />
                {t(AVAILABLE)}
            </label>
        </div>
    }
}
