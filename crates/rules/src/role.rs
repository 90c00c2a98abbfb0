//! The three console roles and what each may do in general terms; the checks against a
//! particular organization live with the data (domain crate).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Customer success: everything.
    Admin,
    /// Reads everything needed to triage; changes nothing except replaying deliveries.
    Support,
    /// Member of one organization: sees and configures only its projects.
    Partner,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Support, Role::Partner];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Support => "support",
            Role::Partner => "partner",
        }
    }

    pub fn parse(s: &str) -> Result<Role, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "admin" => Ok(Role::Admin),
            "support" => Ok(Role::Support),
            "partner" => Ok(Role::Partner),
            other => Err(format!(
                "Unknown role '{other}': choose admin, support or partner."
            )),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Customer success (admin)",
            Role::Support => "Support",
            Role::Partner => "Partner",
        }
    }

    /// Staff see every organization; partners see only their own.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Support)
    }

    /// Who changes a project's own configuration (API keys, webhook, business profile):
    /// admins, and partners for their own projects; support staff read only.
    pub fn configures_projects(self) -> bool {
        matches!(self, Role::Admin | Role::Partner)
    }

    /// Only a partner belongs to an organization.
    pub fn needs_organization(self) -> bool {
        self == Role::Partner
    }
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn parses_what_it_prints() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(
            Role::parse("root")
                .unwrap_err()
                .contains("admin, support or partner")
        );
    }
}
