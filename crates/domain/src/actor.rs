//! Who is acting: a logged-in console user, or the operator at the command line.
//! Every domain function that reads or changes data takes an `Actor` and checks it here.

use crate::{Error, Result};
use rules::Role;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// `None` for the command line.
    pub user_id: Option<i64>,
    pub label: String,
    pub role: Role,
    pub organization_id: Option<i64>,
}

impl Actor {
    /// The operator running `tujenge` on the server: full rights, audited as such.
    pub fn command_line() -> Self {
        Actor {
            user_id: None,
            label: "command line".into(),
            role: Role::Admin,
            organization_id: None,
        }
    }

    /// The server's own work (a background sync, a notification from Meta): full rights,
    /// audited under `label`.
    pub fn background(label: &str) -> Self {
        Actor {
            label: label.into(),
            ..Actor::command_line()
        }
    }

    pub fn require_admin(&self) -> Result<()> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    pub fn require_staff(&self) -> Result<()> {
        if self.role.is_staff() {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// Staff see every organization; a partner only their own.
    pub fn can_see_organization(&self, organization_id: i64) -> bool {
        self.role.is_staff() || self.organization_id == Some(organization_id)
    }

    /// The organization a partner is confined to; `None` for staff (no confinement).
    pub fn organization_scope(&self) -> Option<i64> {
        if self.role.is_staff() {
            None
        } else {
            // A partner without an organization sees nothing: -1 matches no row.
            Some(self.organization_id.unwrap_or(-1))
        }
    }
}
