//! Wire types for tenants.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::i18n::Text;

/// What the tenant pays for. Limits per plan arrive with the modules that need them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    Starter,
    Professional,
    Enterprise,
}

impl Plan {
    pub const ALL: [Self; 3] = [Self::Starter, Self::Professional, Self::Enterprise];

    /// The code stored in `tenants.plan`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Starter => "starter",
            Self::Professional => "professional",
            Self::Enterprise => "enterprise",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|plan| plan.code() == code)
    }

    pub fn label(self) -> Text {
        match self {
            Self::Starter => Text::new("Essencial", "Starter"),
            Self::Professional => Text::new("Profissional", "Professional"),
            Self::Enterprise => Text::new("Corporativo", "Enterprise"),
        }
    }

    pub fn description(self) -> Text {
        match self {
            Self::Starter => Text::new("Para começar: até 5 pessoas na equipe.", "To get started: up to 5 staff."),
            Self::Professional => {
                Text::new("Para equipes em crescimento: até 50 pessoas.", "For growing teams: up to 50 staff.")
            }
            Self::Enterprise => Text::new("Sem limites, com suporte dedicado.", "No limits, with dedicated support."),
        }
    }
}

/// The product areas a tenant can switch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Module {
    Enrollment,
    Crm,
    Finance,
}

impl Module {
    pub const ALL: [Self; 3] = [Self::Enrollment, Self::Crm, Self::Finance];

    pub fn label(self) -> Text {
        match self {
            Self::Enrollment => Text::new("Matrículas", "Enrollment"),
            Self::Crm => Text::new("CRM", "CRM"),
            Self::Finance => Text::new("Financeiro", "Finance"),
        }
    }

    /// The path segment after the tenant slug.
    pub fn segment(self) -> &'static str {
        match self {
            Self::Enrollment => "matriculas",
            Self::Crm => "crm",
            Self::Finance => "financeiro",
        }
    }
}

/// Which modules a tenant has on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Modules {
    pub enrollment: bool,
    pub crm: bool,
    pub finance: bool,
}

impl Modules {
    pub fn has(self, module: Module) -> bool {
        match module {
            Module::Enrollment => self.enrollment,
            Module::Crm => self.crm,
            Module::Finance => self.finance,
        }
    }

    pub fn enabled(self) -> impl Iterator<Item = Module> {
        Module::ALL.into_iter().filter(move |module| self.has(*module))
    }
}

/// A tenant as its own people see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantSummary {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub plan: Plan,
    pub modules: Modules,
}

/// What anyone may learn about a tenant from its public pages (the sign-in page shows its name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantPublic {
    pub slug: String,
    pub name: String,
}
