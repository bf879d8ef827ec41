//! Topics: what a client may watch. A client names a topic without its tenant (`board:<uuid>`); the server keys it
//! by the signed-in person's tenant, so another tenant's topic cannot even be named, and an id of another tenant
//! names an empty topic of one's own. Each kind declares who may subscribe.
//!
//! Adding a kind: a variant of [`Topic`], its name in `parse`/`name`, and its audience in `may_subscribe`.

use std::fmt;

use uuid::Uuid;

use crate::platform::auth::types::{Role, Viewer};

/// A topic within one tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// The job queue's counts (the backoffice jobs page): owner and staff.
    Jobs,
    /// A CRM lead board: the backoffice and consultants, never students.
    Board(Uuid),
    /// One application: the backoffice, and the student whose application it is.
    Application(Uuid),
    /// The design gallery's demo: anyone signed in.
    Demo,
    /// What concerns one person alone (a lead assigned to them): that person only.
    User(Uuid),
}

/// The kinds, for metrics (subscriptions per kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TopicKind {
    Jobs,
    Board,
    Application,
    Demo,
    User,
}

impl TopicKind {
    pub const ALL: [Self; 5] = [Self::Jobs, Self::Board, Self::Application, Self::Demo, Self::User];

    pub fn name(self) -> &'static str {
        match self {
            Self::Jobs => "jobs",
            Self::Board => "board",
            Self::Application => "application",
            Self::Demo => "demo",
            Self::User => "user",
        }
    }
}

/// Whether a person may watch a topic, or whether that depends on a row only the database knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Yes,
    No,
    /// Only if application `id` is the person's own (asked of the database by the server).
    OwnApplication(Uuid),
}

impl Topic {
    /// Reads a client's topic name; `None` for an unknown kind or a malformed id.
    pub fn parse(name: &str) -> Option<Self> {
        let (kind, id) = match name.split_once(':') {
            Some((kind, id)) => (kind, Some(Uuid::parse_str(id).ok()?)),
            None => (name, None),
        };
        match (kind, id) {
            ("jobs", None) => Some(Self::Jobs),
            ("demo", None) => Some(Self::Demo),
            ("board", Some(id)) => Some(Self::Board(id)),
            ("application", Some(id)) => Some(Self::Application(id)),
            ("user", Some(id)) => Some(Self::User(id)),
            _ => None,
        }
    }

    pub fn kind(self) -> TopicKind {
        match self {
            Self::Jobs => TopicKind::Jobs,
            Self::Board(_) => TopicKind::Board,
            Self::Application(_) => TopicKind::Application,
            Self::Demo => TopicKind::Demo,
            Self::User(_) => TopicKind::User,
        }
    }

    /// Who may subscribe. The tenant is never in question: topics are the viewer's own tenant's by construction.
    pub fn audience(self, viewer: &Viewer) -> Audience {
        let yes = |allowed: bool| if allowed { Audience::Yes } else { Audience::No };
        match self {
            Self::Jobs => yes(viewer.is(Role::BACKOFFICE)),
            Self::Board(_) => yes(viewer.is(&[Role::Owner, Role::Staff, Role::Consultant])),
            Self::Application(id) if viewer.role == Role::Student => Audience::OwnApplication(id),
            Self::Application(_) => yes(viewer.is(Role::BACKOFFICE)),
            Self::Demo => Audience::Yes,
            Self::User(id) => yes(viewer.user_id == id),
        }
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Jobs => f.write_str("jobs"),
            Self::Demo => f.write_str("demo"),
            Self::Board(id) => write!(f, "board:{id}"),
            Self::Application(id) => write!(f, "application:{id}"),
            Self::User(id) => write!(f, "user:{id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_anything_else_is_refused() {
        let id = Uuid::nil();
        for topic in [Topic::Jobs, Topic::Demo, Topic::Board(id), Topic::Application(id), Topic::User(id)] {
            assert_eq!(Topic::parse(&topic.to_string()), Some(topic));
        }
        for bad in ["", "jobs:", "board", "board:x", "lead:00000000-0000-0000-0000-000000000000", "demo:1"] {
            assert_eq!(Topic::parse(bad), None, "{bad}");
        }
    }
}
