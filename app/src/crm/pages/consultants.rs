//! `/:tenant/crm/consultores`: staff and owner see each consultant's standing in the round-robin (present or not,
//! the "disponível" toggle, open leads against capacity) and set the capacity. Rotation order is the list's order.

use leptos::prelude::*;
use uuid::Uuid;

use crate::crm::distribution::{
    api::{SetCapacity, load_team},
    types::TeamMember,
};
use crate::i18n::{Text, t, ts};
use crate::platform::{auth::Role, layout::Allowed, tenancy::Module};
use crate::ui::{
    Badge, Button, Card, EmptyState, ErrorAlert, PageHeader, SkeletonRows, TextField, Tone, field_error, toast_outcome,
};

const TITLE: Text = Text::new("Consultores", "Consultants");
const SUBTITLE: Text = Text::new(
    "Novos leads vão ao próximo consultor da lista que esteja online ou disponível e abaixo da capacidade.",
    "New leads go to the next consultant on the list who is online or available and under capacity.",
);
const BACK: Text = Text::new("Voltar ao quadro", "Back to the board");
const ONLINE: Text = Text::new("Online", "Online");
const AVAILABLE: Text = Text::new("Disponível", "Available");
const AWAY: Text = Text::new("Ausente", "Away");
const FULL: Text = Text::new("Lotado", "Full");
const OPEN_OF: Text = Text::new("leads abertos de", "open leads of");
const CAPACITY: Text = Text::new("Capacidade (leads abertos)", "Capacity (open leads)");
const SAVE: Text = Text::new("Salvar", "Save");
const SAVED: Text = Text::new("Capacidade salva.", "Capacity saved.");
const NOBODY: Text = Text::new("Nenhum consultor ativo", "No active consultant");
const NOBODY_HINT: Text = Text::new(
    "Cadastre consultores na equipe para distribuir os leads.",
    "Add consultants to the team to share out leads.",
);

#[component]
pub fn ConsultantsPage() -> impl IntoView {
    view! {
        <Allowed roles=&[Role::Owner, Role::Staff] module=Module::Crm>
            <Team />
        </Allowed>
    }
}

#[component]
fn Team() -> impl IntoView {
    let team = Resource::new(|| (), |()| load_team());
    let reload = Callback::new(move |()| team.refetch());
    let board = format!("/{}/crm", crate::platform::pages::tenant_slug()());
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE)>
            <a href=board class="text-sm font-semibold text-indigo-700 hover:underline" data-testid="team-back">{t(BACK)}</a>
        </PageHeader>
        <Transition fallback=|| view! { <SkeletonRows rows=4 columns=3 /> }>
            {move || team.get().map(|answer| match answer {
                Ok(team) if team.is_empty() => view! { <EmptyState title=ts(NOBODY) description=ts(NOBODY_HINT) /> }.into_any(),
                Ok(team) => view! {
                    <Card>
                        <ol class="divide-y divide-slate-100" data-testid="team">
                            {team.into_iter().map(|member| view! { <MemberRow member reload /> }).collect_view()}
                        </ol>
                    </Card>
                }.into_any(),
                Err(error) => view! { <ErrorAlert error /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn MemberRow(member: TeamMember, reload: Callback<()>) -> impl IntoView {
    let id: Uuid = member.id;
    let capacity = RwSignal::new(member.capacity.to_string());
    let save = ServerAction::<SetCapacity>::new();
    let result = save.value();
    Effect::new(move || toast_outcome(result.get().map(|answer| answer.map(|_| SAVED)), || reload.run(())));
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        save.dispatch(SetCapacity { user_id: id, capacity: capacity.get_untracked() });
    };
    let (tone, state) = match (member.online, member.available) {
        (true, _) => (Tone::Success, ONLINE),
        (false, true) => (Tone::Info, AVAILABLE),
        (false, false) => (Tone::Neutral, AWAY),
    };
    let full = member.open_leads >= i64::from(member.capacity);
    view! {
        <li class="grid items-start gap-3 py-4 sm:grid-cols-[1fr_auto]" data-testid="team-member" data-user=id.to_string()>
            <div>
                <p class="font-medium text-slate-900">{member.name.clone()}</p>
                <p class="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
                    <Badge tone>{t(state)}</Badge>
                    {full.then(|| view! { <Badge tone=Tone::Warning>{t(FULL)}</Badge> })}
                    <span class="tabular-nums" data-testid="team-load">{member.open_leads}" "{t(OPEN_OF)}" "{member.capacity}</span>
                </p>
            </div>
            <form class="flex items-start gap-2" on:submit=submit novalidate>
                <TextField label=ts(CAPACITY) name="capacity" input_type="number" value=capacity error=field_error(result, "capacity") test_id="team-capacity" />
                <div class="pt-6">
                    <Button button_type="submit" busy=save.pending() test_id="team-save">{t(SAVE)}</Button>
                </div>
            </form>
        </li>
    }
}
