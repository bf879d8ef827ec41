//! Staff's "Reemitir comprovante" on an enrolled application's page: a new code; the old one reads "substituído".

use leptos::prelude::*;
use uuid::Uuid;

use super::api::ReissueCertificate;
use crate::i18n::{Text, t, t_now, ts};
use crate::ui::{Button, ButtonKind, Card, FormAlert, Modal, form_error, use_toaster};

const REISSUE: Text = Text::new("Reemitir comprovante", "Reissue certificate");
const REISSUE_TEXT: Text = Text::new(
    "Um novo código é gerado; o código impresso até agora passa a constar como substituído.",
    "A new code is made; the one printed so far will read as replaced.",
);
const REISSUED: Text = Text::new("Comprovante reemitido.", "Certificate reissued.");
const CONFIRM: Text = Text::new("Confirmar", "Confirm");

#[component]
pub fn ReissueCertificate(id: Uuid) -> impl IntoView {
    let open = RwSignal::new(false);
    let action = ServerAction::<ReissueCertificate>::new();
    let result = action.value();
    let toaster = use_toaster();
    Effect::new(move || {
        if let Some(Ok(())) = result.get() {
            if let Some(toaster) = toaster {
                toaster.success(t_now(REISSUED));
            }
            open.set(false);
        }
    });
    let start = Callback::new(move |()| {
        result.set(None);
        open.set(true);
    });
    let confirm = Callback::new(move |()| {
        action.dispatch(ReissueCertificate { id });
    });
    view! {
        <Card class="mt-4">
            <p class="text-sm text-slate-600">{t(REISSUE_TEXT)}</p>
            <div class="mt-3"><Button kind=ButtonKind::Secondary on_click=start test_id="certificate-reissue">{t(REISSUE)}</Button></div>
        </Card>
        <Modal open title=ts(REISSUE) id="reissue" test_id="reissue-dialog">
            <FormAlert message=form_error(result, &[]) />
            <Button on_click=confirm busy=action.pending() test_id="reissue-confirm">{t(CONFIRM)}</Button>
        </Modal>
    }
}
