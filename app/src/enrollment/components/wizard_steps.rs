use leptos::prelude::*;
use uuid::Uuid;

use crate::enrollment::wizard_types::WizardStep;
use crate::i18n::{Text, t};
use crate::platform::layout::use_viewer;
use crate::ui::FOCUS_RING;

const STEPS: Text = Text::new("Etapas da inscrição", "Application steps");

/// The wizard's steps as links (the class step is fixed once the application exists, so it is not a link), the
/// current one marked; shared by every step's page, the documents page included. Scrolls sideways on a phone.
#[component]
pub fn WizardSteps(current: WizardStep, application_id: Uuid) -> impl IntoView {
    let slug = use_viewer().map(|viewer| viewer.tenant.slug).unwrap_or_default();
    let steps = WizardStep::ALL.into_iter().filter(|step| *step != WizardStep::Class).enumerate();
    view! {
        <nav aria-label=t(STEPS) class="-mx-4 mb-5 overflow-x-auto px-4" data-testid="wizard-steps">
            <ol class="flex min-w-max gap-2 text-sm">
                {steps
                    .map(|(index, step)| {
                        let active = step == current;
                        let class = format!(
                            "flex items-center gap-1.5 rounded-full px-3 py-1.5 font-medium {} {FOCUS_RING}",
                            if active { "bg-indigo-600 text-white" } else { "bg-slate-100 text-slate-700 hover:bg-slate-200" },
                        );
                        view! {
                            <li>
                                <a href=step.path(&slug, application_id) class=class aria-current=active.then_some("step")>
                                    <span aria-hidden="true" class="tabular-nums">{index + 1}"."</span>
                                    {t(step.label())}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}
