//! `/:tenant/configuracoes/usuarios`: the owner's people page: invite, change role, deactivate, reactivate.

use leptos::prelude::*;

use crate::i18n::{Text, format_date, t, t_now, ts, use_locale};
use crate::platform::{
    auth::Role,
    layout::{Allowed, use_viewer},
    users::{
        InviteForm, UserSummary,
        api::{ChangeRole, InviteUser, SetActive, list_users},
    },
};
use crate::ui::{
    Badge, Button, ButtonKind, ErrorAlert, FOCUS_RING, FormAlert, Modal, PageHeader, SelectField, SkeletonRows,
    TextField, Tone, field_error, form_error, use_toaster,
};

const TITLE: Text = Text::new("Pessoas e acessos", "People and access");
const SUBTITLE: Text = Text::new(
    "Cada pessoa entra com o próprio e-mail e vê só o que o seu papel permite.",
    "Each person signs in with their own e-mail and sees only what their role allows.",
);
const INVITE: Text = Text::new("Convidar pessoa", "Invite someone");
const INVITE_HINT: Text = Text::new(
    "A pessoa recebe um link por e-mail para criar a própria senha (vale 7 dias).",
    "They get an e-mail link to choose their own password (valid for 7 days).",
);
const NAME: Text = Text::new("Nome", "Name");
const EMAIL: Text = Text::new("E-mail", "E-mail");
const ROLE: Text = Text::new("Papel", "Role");
const SEND: Text = Text::new("Enviar convite", "Send invitation");
const CANCEL: Text = Text::new("Cancelar", "Cancel");
const INVITED: Text = Text::new("Convite enviado.", "Invitation sent.");
const SINCE: Text = Text::new("Desde", "Since");
const STATUS: Text = Text::new("Situação", "Status");
const ACTIONS: Text = Text::new("Ações", "Actions");
const ACTIVE: Text = Text::new("Ativo", "Active");
const INACTIVE: Text = Text::new("Desativado", "Deactivated");
const PENDING: Text = Text::new("Convite pendente", "Invitation pending");
const YOU: Text = Text::new("você", "you");
const DEACTIVATE: Text = Text::new("Desativar", "Deactivate");
const REACTIVATE: Text = Text::new("Reativar", "Reactivate");
const CHANGED: Text = Text::new("Acesso atualizado.", "Access updated.");

#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <Allowed roles=&[Role::Owner]>
            <Users />
        </Allowed>
    }
}

fn role_options() -> Signal<Vec<(String, String)>> {
    let locale = use_locale();
    Signal::derive(move || {
        Role::ALL
            .into_iter()
            .map(|role| (role.code().to_string(), role.label().get(locale.get()).to_string()))
            .collect()
    })
}

#[component]
fn Users() -> impl IntoView {
    let users = Resource::new(|| (), |()| list_users());
    let invite_open = RwSignal::new(false);
    let reload = Callback::new(move |()| users.refetch());
    view! {
        <PageHeader title=ts(TITLE) subtitle=ts(SUBTITLE)>
            <Button test_id="invite-open" on_click=Callback::new(move |()| invite_open.set(true))>{t(INVITE)}</Button>
        </PageHeader>
        <Suspense fallback=|| view! { <SkeletonRows rows=4 columns=4 /> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(list) => view! { <UsersTable users=list reload /> }.into_any(),
                    Err(error) => view! { <ErrorAlert error /> }.into_any(),
                }
            })}
        </Suspense>
        <crate::finance::pages::FinanceAccessCard />
        <Modal open=invite_open title=ts(INVITE) test_id="invite-modal">
            <InviteFormView close=Callback::new(move |()| invite_open.set(false)) reload />
        </Modal>
    }
}

#[component]
fn UsersTable(users: Vec<UserSummary>, reload: Callback<()>) -> impl IntoView {
    let me = use_viewer().map(|viewer| viewer.user_id);
    let th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
    view! {
        <div class="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-xs">
            <table class="min-w-full divide-y divide-slate-200 text-sm" data-testid="users-table">
                <thead class="bg-slate-50">
                    <tr>
                        <th scope="col" class=th>{t(NAME)}</th>
                        <th scope="col" class=th>{t(ROLE)}</th>
                        <th scope="col" class=th>{t(STATUS)}</th>
                        <th scope="col" class=th>{t(SINCE)}</th>
                        <th scope="col" class=th><span class="sr-only">{t(ACTIONS)}</span></th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {users
                        .into_iter()
                        .map(|user| {
                            let itself = Some(user.id) == me;
                            view! { <UserRow user itself reload /> }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn UserRow(user: UserSummary, itself: bool, reload: Callback<()>) -> impl IntoView {
    let role = RwSignal::new(user.role.code().to_string());
    let change_role = ServerAction::<ChangeRole>::new();
    let set_active = ServerAction::<SetActive>::new();
    let toaster = use_toaster();
    let locale = use_locale();
    let id = user.id;
    // Report each answer once: success reloads the list; a refusal (last owner…) shows why and undoes the select.
    let original_role = user.role.code().to_string();
    Effect::new(move || {
        let outcome = change_role
            .value()
            .get()
            .map(|r| r.map(|_| ()))
            .or_else(|| set_active.value().get().map(|r| r.map(|_| ())));
        match outcome {
            Some(Ok(())) => {
                if let Some(toaster) = toaster {
                    toaster.success(t_now(CHANGED));
                }
                reload.run(());
            }
            Some(Err(error)) => {
                role.set(original_role.clone());
                if let Some(toaster) = toaster {
                    toaster.error(error.user_message(locale.get_untracked()));
                }
            }
            None => {}
        }
    });
    Effect::new(move |previous: Option<String>| {
        let chosen = role.get();
        if previous.is_some_and(|previous| previous != chosen)
            && let Some(new_role) = Role::from_code(&chosen)
            && new_role != user.role
        {
            change_role.dispatch(ChangeRole { user_id: id, role: new_role });
        }
        chosen
    });
    let status = if !user.active {
        view! { <Badge tone=Tone::Danger>{t(INACTIVE)}</Badge> }.into_any()
    } else if user.invitation_pending {
        view! { <Badge tone=Tone::Warning>{t(PENDING)}</Badge> }.into_any()
    } else {
        view! { <Badge tone=Tone::Success>{t(ACTIVE)}</Badge> }.into_any()
    };
    let active = user.active;
    let toggle_label = if active { DEACTIVATE } else { REACTIVATE };
    let email = user.email.clone();
    let email_attribute = user.email.clone();
    view! {
        <tr data-testid="user-row" data-email=email_attribute>
            <td class="px-3 py-2">
                <p class="font-medium text-slate-900">
                    {user.name.clone()}
                    {itself.then(|| view! { <span class="ml-1 text-xs font-normal text-slate-500">"(" {t(YOU)} ")"</span> })}
                </p>
                <p class="text-xs text-slate-500">{email}</p>
            </td>
            <td class="px-3 py-2">
                {if itself {
                    view! { <span class="text-slate-700">{t(user.role.label())}</span> }.into_any()
                } else {
                    view! {
                        <div class="w-40">
                            <SelectField label=ts(ROLE) name=format!("role-{id}") options=role_options() value=role label_hidden=true test_id="role-select" />
                        </div>
                    }
                    .into_any()
                }}
            </td>
            <td class="px-3 py-2">{status}</td>
            <td class="px-3 py-2 tabular-nums text-slate-600">{format_date(user.created_at.date_naive())}</td>
            <td class="px-3 py-2 text-right">
                {(!itself).then(|| view! {
                    <button
                        type="button"
                        data-testid="toggle-active"
                        class=format!("rounded-md px-2 py-1 text-xs font-semibold {} {FOCUS_RING}", if active { "text-rose-700 hover:bg-rose-50" } else { "text-indigo-700 hover:bg-indigo-50" })
                        disabled=move || set_active.pending().get()
                        on:click=move |_| {
                            set_active.dispatch(SetActive { user_id: id, active: !active });
                        }
                    >
                        {t(toggle_label)}
                    </button>
                })}
            </td>
        </tr>
    }
}

#[component]
fn InviteFormView(close: Callback<()>, reload: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Staff.code().to_string());
    let action = ServerAction::<InviteUser>::new();
    let result = action.value();
    let toaster = use_toaster();
    Effect::new(move || {
        if let Some(Ok(_)) = result.get() {
            if let Some(toaster) = toaster {
                toaster.success(t_now(INVITED));
            }
            name.set(String::new());
            email.set(String::new());
            close.run(());
            reload.run(());
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let role = Role::from_code(&role.get_untracked()).unwrap_or(Role::Staff);
        action.dispatch(InviteUser {
            form: InviteForm { name: name.get_untracked(), email: email.get_untracked(), role },
        });
    };
    view! {
        <form class="space-y-4" on:submit=submit novalidate>
            <p class="text-sm text-slate-600">{t(INVITE_HINT)}</p>
            <TextField label=ts(NAME) name="name" value=name required=true autocomplete="off" error=field_error(result, "name") test_id="invite-name" />
            <TextField label=ts(EMAIL) name="email" input_type="email" value=email required=true autocomplete="off" error=field_error(result, "email") test_id="invite-email" />
            <SelectField label=ts(ROLE) name="role" options=role_options() value=role test_id="invite-role" />
            <FormAlert message=form_error(result, &["name", "email"]) />
            <div class="flex justify-end gap-2">
                <Button kind=ButtonKind::Secondary on_click=close>{t(CANCEL)}</Button>
                <Button button_type="submit" busy=action.pending() test_id="invite-send">{t(SEND)}</Button>
            </div>
        </form>
    }
}
