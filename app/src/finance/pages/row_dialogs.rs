//! The dialogs a transaction row opens: edit (the entry's fields, Enter saves, Esc cancels) and delete (asks
//! first). Both go through the ledger service, which audits them and refuses closed months with a clear message.

use leptos::prelude::*;

use super::entry_form::{ENTRY_FIELDS, EntryDraft, EntryFields, iso, outcome_of};
use crate::finance::{
    api::{DeleteTransaction, UpdateTransaction},
    types::{Account, Category, Transaction},
};
use crate::i18n::{Text, format_brl, format_date, t, t_now, ts};
use crate::ui::{Button, ButtonKind, FormAlert, Modal, Toaster, form_error, use_toaster};

const EDIT_TITLE: Text = Text::new("Editar lançamento", "Edit transaction");
const EDIT_HINT: Text = Text::new("Enter salva, Esc cancela.", "Enter saves, Esc cancels.");
const SAVE: Text = Text::new("Salvar", "Save");
const SAVED: Text = Text::new("Lançamento alterado.", "Transaction updated.");
const CANCEL: Text = Text::new("Cancelar", "Cancel");
const DELETE_TITLE: Text = Text::new("Excluir lançamento?", "Delete transaction?");
const DELETE_TEXT: Text = Text::new(
    "O lançamento sai dos saldos e dos totais. A exclusão fica registrada na auditoria.",
    "The transaction leaves balances and totals. The deletion is kept in the audit log.",
);
const DELETE: Text = Text::new("Excluir", "Delete");
const DELETED: Text = Text::new("Lançamento excluído.", "Transaction deleted.");

/// A dialog about one row: which row, and whether it is open.
#[derive(Debug, Clone, Copy)]
pub struct RowDialog {
    open: RwSignal<bool>,
    row: RwSignal<Option<Transaction>>,
    toaster: Option<Toaster>,
}

impl RowDialog {
    pub fn new() -> Self {
        Self { open: RwSignal::new(false), row: RwSignal::new(None), toaster: use_toaster() }
    }

    pub fn show(&self, row: Transaction) {
        self.row.set(Some(row));
        self.open.set(true);
    }

    fn close(&self) {
        self.open.set(false);
    }

    /// After a change went through: close, say so, and reload the list.
    fn done(&self, message: Text, reload: Callback<()>) {
        self.close();
        if let Some(toaster) = self.toaster {
            toaster.success(t_now(message));
        }
        reload.run(());
    }
}

impl Default for RowDialog {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn EditDialog(
    dialog: RowDialog,
    accounts: Vec<Account>,
    categories: Vec<Category>,
    reload: Callback<()>,
) -> impl IntoView {
    view! {
        <Modal open=dialog.open title=ts(EDIT_TITLE) id="edit-transaction" test_id="edit-dialog">
            {
                let (accounts, categories) = (accounts.clone(), categories.clone());
                move || {
                    dialog.row.get().map(|row| {
                        view! { <EditForm row accounts=accounts.clone() categories=categories.clone() dialog reload /> }
                    })
                }
            }
        </Modal>
    }
}

#[component]
fn EditForm(
    row: Transaction,
    accounts: Vec<Account>,
    categories: Vec<Category>,
    dialog: RowDialog,
    reload: Callback<()>,
) -> impl IntoView {
    let draft = EntryDraft::of(&row);
    let id = row.id;
    // Dates that followed the competence date keep following it; dates set apart stay as they were.
    let due_date = if row.due_date == row.competence_date { String::new() } else { iso(row.due_date) };
    let paid_on = row.paid_on.filter(|paid| *paid != row.due_date).map(iso).unwrap_or_default();
    let action = ServerAction::<UpdateTransaction>::new();
    let outcome = outcome_of(action.value());
    Effect::new(move || {
        if let Some(Ok(())) = outcome.get() {
            dialog.done(SAVED, reload);
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        action.dispatch(UpdateTransaction { id, form: draft.form(due_date.clone(), paid_on.clone()) });
    };
    view! {
        <form class="space-y-3" on:submit=submit novalidate data-testid="edit-form">
            <div class="grid items-start gap-2 sm:grid-cols-2">
                <EntryFields draft accounts categories outcome prefix="edit" with_counterpart=true />
            </div>
            <p class="text-xs text-slate-500">{t(EDIT_HINT)}</p>
            <FormAlert message=form_error(outcome, ENTRY_FIELDS) />
            <div class="flex justify-end gap-2">
                <Button kind=ButtonKind::Secondary on_click=Callback::new(move |()| dialog.close()) test_id="edit-cancel">
                    {t(CANCEL)}
                </Button>
                <Button button_type="submit" busy=action.pending() test_id="edit-save">{t(SAVE)}</Button>
            </div>
        </form>
    }
}

#[component]
pub fn DeleteDialog(dialog: RowDialog, reload: Callback<()>) -> impl IntoView {
    view! {
        <Modal open=dialog.open title=ts(DELETE_TITLE) id="delete-transaction" test_id="delete-dialog">
            {move || dialog.row.get().map(|row| view! { <DeleteConfirm row dialog reload /> })}
        </Modal>
    }
}

#[component]
fn DeleteConfirm(row: Transaction, dialog: RowDialog, reload: Callback<()>) -> impl IntoView {
    let id = row.id;
    let action = ServerAction::<DeleteTransaction>::new();
    let result = action.value();
    Effect::new(move || {
        if let Some(Ok(())) = result.get() {
            dialog.done(DELETED, reload);
        }
    });
    view! {
        <p>{t(DELETE_TEXT)}</p>
        <p class="my-3 rounded-md bg-slate-50 px-3 py-2 font-medium text-slate-900">
            {format!("{} · {} · {}", format_date(row.competence_date), row.description, format_brl(row.amount_cents))}
        </p>
        <FormAlert message=form_error(result, &[]) />
        <div class="mt-4 flex justify-end gap-2">
            <Button kind=ButtonKind::Secondary on_click=Callback::new(move |()| dialog.close()) test_id="delete-cancel">
                {t(CANCEL)}
            </Button>
            <Button
                kind=ButtonKind::Danger
                busy=action.pending()
                on_click=Callback::new(move |()| {
                    action.dispatch(DeleteTransaction { id });
                })
                test_id="delete-confirm"
            >
                {t(DELETE)}
            </Button>
        </div>
    }
}
