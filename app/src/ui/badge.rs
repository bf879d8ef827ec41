use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Neutral,
    Success,
    Warning,
    Danger,
    Info,
}

impl Tone {
    fn classes(self) -> &'static str {
        match self {
            Self::Neutral => "bg-slate-100 text-slate-700 ring-slate-200",
            Self::Success => "bg-emerald-50 text-emerald-700 ring-emerald-200",
            Self::Warning => "bg-amber-50 text-amber-800 ring-amber-200",
            Self::Danger => "bg-rose-50 text-rose-700 ring-rose-200",
            Self::Info => "bg-indigo-50 text-indigo-700 ring-indigo-200",
        }
    }
}

/// A short status label.
#[component]
pub fn Badge(#[prop(optional)] tone: Tone, children: Children) -> impl IntoView {
    let class = format!(
        "inline-flex shrink-0 items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset {}",
        tone.classes()
    );
    view! { <span class=class>{children()}</span> }
}
