use leptos::prelude::*;

use crate::i18n::{Text, t};
use crate::platform::layout::use_viewer;
use crate::ui::FOCUS_RING;

/// The backoffice's enrollment sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogTab {
    Overview,
    Courses,
    Classes,
    Periods,
    Applications,
}

impl CatalogTab {
    const ALL: [Self; 5] = [Self::Overview, Self::Applications, Self::Courses, Self::Classes, Self::Periods];

    fn path(self) -> &'static str {
        match self {
            Self::Overview => "matriculas",
            Self::Courses => "matriculas/cursos",
            Self::Classes => "matriculas/turmas",
            Self::Periods => "matriculas/periodos",
            Self::Applications => "matriculas/inscricoes",
        }
    }

    fn label(self) -> Text {
        match self {
            Self::Overview => Text::new("Visão geral", "Overview"),
            Self::Courses => Text::new("Cursos", "Courses"),
            Self::Classes => Text::new("Turmas", "Classes"),
            Self::Periods => Text::new("Períodos", "Periods"),
            Self::Applications => Text::new("Inscrições", "Applications"),
        }
    }
}

const SECTIONS: Text = Text::new("Seções de matrículas", "Enrollment sections");

/// Links between the enrollment sections; the current one is marked for screen readers too.
#[component]
pub fn CatalogTabs(current: CatalogTab) -> impl IntoView {
    let tenant = use_viewer().map(|viewer| viewer.tenant.slug).unwrap_or_default();
    view! {
        <nav aria-label=t(SECTIONS) class="mb-6 flex gap-1 overflow-x-auto border-b border-slate-200">
            {CatalogTab::ALL
                .into_iter()
                .map(|tab| {
                    let active = tab == current;
                    let class = format!(
                        "whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium {} {FOCUS_RING}",
                        if active { "border-indigo-600 text-indigo-700" } else { "border-transparent text-slate-600 hover:text-slate-900" },
                    );
                    view! {
                        <a href=format!("/{tenant}/{}", tab.path()) class=class aria-current=active.then_some("page")>
                            {t(tab.label())}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
