//! Wire types for people and their roles.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::i18n::Text;
use crate::platform::tenancy::TenantSummary;

/// What a person may do in their tenant. Checked on the server for every page and server function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the organization: everything of their tenant, including people and settings.
    Owner,
    /// Backoffice: enrollment, CRM and finance work.
    Staff,
    /// Works financing leads on the CRM board.
    Consultant,
    /// Applies, uploads documents and pays in the student portal.
    Student,
}

impl Role {
    pub const ALL: [Self; 4] = [Self::Owner, Self::Staff, Self::Consultant, Self::Student];
    /// Roles that work in the backoffice.
    pub const BACKOFFICE: &'static [Self] = &[Self::Owner, Self::Staff];

    /// The code stored in `users.role`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Staff => "staff",
            Self::Consultant => "consultant",
            Self::Student => "student",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.code() == code)
    }

    pub fn label(self) -> Text {
        match self {
            Self::Owner => Text::new("Proprietário", "Owner"),
            Self::Staff => Text::new("Equipe", "Staff"),
            Self::Consultant => Text::new("Consultor", "Consultant"),
            Self::Student => Text::new("Estudante", "Student"),
        }
    }

    /// Where this role lands after signing in, under the tenant's slug.
    pub fn home_segment(self) -> &'static str {
        match self {
            Self::Owner | Self::Staff => "painel",
            Self::Consultant => "crm",
            Self::Student => "portal",
        }
    }

    pub fn home_path(self, tenant_slug: &str) -> String {
        format!("/{tenant_slug}/{}", self.home_segment())
    }
}

/// The signed-in person, as the pages see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// May open finance: the owner always, staff the owner granted it to, nobody else.
    #[serde(default)]
    pub finance: bool,
    pub tenant: TenantSummary,
}

impl Viewer {
    pub fn is(&self, roles: &[Role]) -> bool {
        roles.contains(&self.role)
    }

    pub fn home_path(&self) -> String {
        self.role.home_path(&self.tenant.slug)
    }

    /// Finance access from the role and the owner's grant: consultants and students never, whatever was granted.
    pub fn finance_for(role: Role, granted: bool) -> bool {
        role == Role::Owner || (role == Role::Staff && granted)
    }

    /// Whether this person may open `module`: it is on for the tenant, and finance also needs the person's access.
    pub fn may_open(&self, module: crate::platform::tenancy::Module) -> bool {
        self.tenant.modules.has(module) && (module != crate::platform::tenancy::Module::Finance || self.finance)
    }

    /// The first name, for greetings.
    pub fn first_name(&self) -> &str {
        self.name.split_whitespace().next().unwrap_or(&self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("admin"), None);
    }

    #[test]
    fn each_role_lands_on_its_own_home() {
        assert_eq!(Role::Owner.home_path("famath"), "/famath/painel");
        assert_eq!(Role::Staff.home_path("famath"), "/famath/painel");
        assert_eq!(Role::Consultant.home_path("credvale"), "/credvale/crm");
        assert_eq!(Role::Student.home_path("famath"), "/famath/portal");
    }
}
