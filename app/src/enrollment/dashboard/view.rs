//! The enrollment dashboard (the top of `/:tenant/matriculas`): totals, the money of enrollment charges, the
//! applications whose payment needs staff, the funnel per course and the seats left per class, drawn as SVG on the
//! server like finance's charts (each bar's `<title>` holds its figure; the funnel table is the accessible text).

use leptos::prelude::*;

use super::{
    api::load_enrollment_dashboard,
    types::{ClassSeats, CourseFunnel, EnrollmentDashboard, PaymentFlag},
};
use crate::i18n::{Text, format_brl, format_date, t, t_now, ts};
use crate::ui::{Cell, Column, DataTable, EmptyState, ErrorAlert, SkeletonRows, StatCard, Tone};

const ENROLLED: Text = Text::new("Matriculados", "Enrolled");
const SEATS_LEFT: Text = Text::new("Vagas livres", "Seats left");
const RECEIVED: Text = Text::new("Recebido", "Received");
const PENDING: Text = Text::new("A receber", "Pending");
const STAGES: [Text; 5] = [
    Text::new("Iniciadas", "Started"),
    Text::new("Enviadas", "Submitted"),
    Text::new("Aprovadas", "Approved"),
    Text::new("Pagas", "Paid"),
    ENROLLED,
];
const COLORS: [&str; 5] = ["#94a3b8", "#0ea5e9", "#6366f1", "#f59e0b", "#059669"];
const FUNNEL: Text = Text::new("Funil por curso", "Funnel per course");
const SEATS: Text = Text::new("Vagas por turma", "Seats per class");
const FLAGS: Text = Text::new("Pagamentos que precisam da secretaria", "Payments that need the office");
const COURSE: Text = Text::new("Curso", "Course");
const STUDENT: Text = Text::new("Estudante", "Student");
const REASON: Text = Text::new("Motivo", "Reason");
const SINCE: Text = Text::new("Desde", "Since");
const NO_FLAGS: Text = Text::new("Nenhuma pendência.", "Nothing to resolve.");
const EMPTY_TITLE: Text = Text::new("Nenhum curso ainda", "No course yet");
const EMPTY_TEXT: Text = Text::new(
    "Cadastre cursos e turmas e abra um período: o funil, as vagas e os pagamentos das matrículas aparecem aqui.",
    "Add courses and classes and open a period: the funnel, seats and enrollment payments show up here.",
);
const PAID_WITHOUT_SEAT: Text = Text::new("Pago sem vaga", "Paid without a seat");
const CHARGEBACK: Text = Text::new("Contestação (chargeback)", "Chargeback");

#[component]
pub fn EnrollmentDashboardView(tenant: String) -> impl IntoView {
    let dashboard = Resource::new(|| (), |()| load_enrollment_dashboard());
    view! {
        <Suspense fallback=|| view! { <SkeletonRows rows=4 columns=4 /> }>
            {move || {
                let tenant = tenant.clone();
                Suspend::new(async move {
                    match dashboard.await {
                        Ok(figures) => view! { <Figures tenant figures /> }.into_any(),
                        Err(error) => view! { <ErrorAlert error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Figures(tenant: String, figures: EnrollmentDashboard) -> AnyView {
    if figures.funnel.is_empty() {
        return view! { <EmptyState title=ts(EMPTY_TITLE) description=ts(EMPTY_TEXT) /> }.into_any();
    }
    let enrolled: i64 = figures.funnel.iter().map(|course| course.stages[4]).sum();
    let free: i64 = figures.classes.iter().map(|class| i64::from(class.capacity - class.reserved)).sum();
    let stats = [
        (ENROLLED, enrolled.to_string()),
        (SEATS_LEFT, free.to_string()),
        (RECEIVED, format_brl(figures.received_cents)),
        (PENDING, format_brl(figures.pending_cents)),
    ];
    view! {
        <div class="mb-6 grid gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="enrollment-stats">
            {stats.into_iter().map(|(label, value)| view! { <StatCard label=ts(label) value /> }).collect_view()}
        </div>
        <Flags tenant flags=figures.flags />
        <div class="mt-6 grid gap-6 xl:grid-cols-2">
            <FunnelChart funnel=figures.funnel.clone() />
            <SeatsChart classes=figures.classes />
        </div>
        <div class="mt-6"><FunnelTable funnel=figures.funnel /></div>
    }
    .into_any()
}

#[component]
fn Flags(tenant: String, flags: Vec<PaymentFlag>) -> impl IntoView {
    // The dashboard is plain HTML (`routes::server_rendered_only`): no sorting or paging that would need wasm; every
    // flag is listed, since each needs staff.
    let columns = vec![
        Column::text("student", STUDENT).not_sortable(),
        Column::text("course", COURSE).not_sortable(),
        Column::text("reason", REASON).not_sortable(),
        Column::text("since", SINCE).not_sortable(),
    ];
    let locale = crate::i18n::use_locale();
    let rows = Signal::derive(move || {
        flags
            .iter()
            .map(|flag| {
                let reason = if flag.flag == "chargeback" { CHARGEBACK } else { PAID_WITHOUT_SEAT };
                vec![
                    Cell::text(flag.student.clone())
                        .link(format!("/{tenant}/matriculas/inscricoes/{}", flag.application_id)),
                    Cell::text(flag.course.clone()),
                    Cell::text(reason.get(locale.get())).badge(Tone::Danger),
                    Cell::text(format_date(flag.since)),
                ]
            })
            .collect::<Vec<_>>()
    });
    view! {
        <div>
            <h2 class="mb-2 text-sm font-semibold text-slate-700">{t(FLAGS)}</h2>
            <DataTable columns rows paged_by_caller=true empty=ts(NO_FLAGS) caption=ts(FLAGS) test_id="enrollment-flags" />
        </div>
    }
}

/// Bars grouped per course, one per stage, on one scale.
#[component]
fn FunnelChart(funnel: Vec<CourseFunnel>) -> impl IntoView {
    const WIDTH: i64 = 600;
    const HEIGHT: i64 = 220;
    let top = funnel.iter().map(|course| course.stages[0]).max().unwrap_or(0).max(1);
    let slot = WIDTH / i64::try_from(funnel.len().max(1)).unwrap_or(1);
    let bar = (slot - 12) / 5;
    let groups = funnel
        .iter()
        .enumerate()
        .map(|(index, course)| {
            let x0 = i64::try_from(index).unwrap_or(0) * slot + 6;
            let name: String = course.course.chars().take(usize::try_from(slot / 6).unwrap_or(10)).collect();
            let bars = course
                .stages
                .iter()
                .enumerate()
                .map(|(stage, count)| {
                    let height = count * (HEIGHT - 40) / top;
                    let x = x0 + i64::try_from(stage).unwrap_or(0) * bar;
                    let y = HEIGHT - 20 - height;
                    view! {
                        <rect x=x y=y width=bar - 2 height=height fill=COLORS[stage]>
                            <title>{format!("{} · {} · {count}", course.course, t_now(STAGES[stage]))}</title>
                        </rect>
                        <text x=x + bar / 2 y=y - 3 font-size="10" text-anchor="middle" fill="#334155">{count.to_string()}</text>
                    }
                })
                .collect_view();
            view! {
                <g>
                    {bars}
                    <text x=x0 + slot / 2 - 6 y=HEIGHT - 5 font-size="11" text-anchor="middle" fill="#64748b">{name}</text>
                </g>
            }
        })
        .collect_view();
    let legend = STAGES
        .into_iter()
        .zip(COLORS)
        .map(|(label, color)| {
            view! {
                <span class="inline-flex items-center gap-1">
                    <svg class="size-2.5" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" rx="2" fill=color /></svg>{t(label)}
                </span>
            }
        })
        .collect_view();
    view! {
        <figure class="rounded-xl border border-slate-200 bg-white p-3 shadow-xs" data-testid="funnel-chart">
            <h2 class="mb-2 text-sm font-semibold text-slate-700">{t(FUNNEL)}</h2>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=t(FUNNEL) class="h-auto w-full">{groups}</svg>
            <figcaption class="mt-1 flex flex-wrap gap-3 text-xs text-slate-500">{legend}</figcaption>
        </figure>
    }
}

/// One row per class: its capacity as a grey track, the reserved seats in indigo, the seats left in words.
#[component]
fn SeatsChart(classes: Vec<ClassSeats>) -> impl IntoView {
    const WIDTH: i64 = 600;
    const ROW: i64 = 34;
    const TRACK: i64 = 360;
    let height = ROW * i64::try_from(classes.len().max(1)).unwrap_or(1);
    let rows = classes
        .iter()
        .enumerate()
        .map(|(index, class)| {
            let y = i64::try_from(index).unwrap_or(0) * ROW;
            let capacity = i64::from(class.capacity.max(1));
            let reserved = i64::from(class.reserved.clamp(0, class.capacity)) * TRACK / capacity;
            let left = class.capacity - class.reserved;
            let label = format!("{} · {} · {}", class.course, class.term, t_now(class.shift.label()));
            view! {
                <g data-testid="seats-row">
                    <text x="0" y=y + 12 font-size="11" fill="#334155">{label.clone()}</text>
                    <rect x="0" y=y + 17 width=TRACK height="10" rx="3" fill="#e2e8f0" />
                    <rect x="0" y=y + 17 width=reserved height="10" rx="3" fill="#6366f1">
                        <title>{format!("{label} · {}/{}", class.reserved, class.capacity)}</title>
                    </rect>
                    <text x=TRACK + 8 y=y + 26 font-size="11" fill="#0f172a">{format!("{left} {} · {}/{}", t_now(SEATS_LEFT).to_lowercase(), class.reserved, class.capacity)}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="rounded-xl border border-slate-200 bg-white p-3 shadow-xs" data-testid="seats-chart">
            <h2 class="mb-2 text-sm font-semibold text-slate-700">{t(SEATS)}</h2>
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=t(SEATS) class="h-auto w-full">{rows}</svg>
        </figure>
    }
}

#[component]
fn FunnelTable(funnel: Vec<CourseFunnel>) -> impl IntoView {
    let mut columns = vec![Column::text("course", COURSE).not_sortable()];
    columns.extend(
        STAGES.into_iter().enumerate().map(|(index, label)| Column::number(format!("s{index}"), label).not_sortable()),
    );
    let rows = Signal::derive(move || {
        funnel
            .iter()
            .map(|course| {
                let mut row = vec![Cell::text(course.course.clone())];
                row.extend(course.stages.iter().map(|count| Cell::number(count.to_string(), *count)));
                row
            })
            .collect::<Vec<_>>()
    });
    view! { <DataTable columns rows paged_by_caller=true caption=ts(FUNNEL) test_id="funnel-table" /> }
}
