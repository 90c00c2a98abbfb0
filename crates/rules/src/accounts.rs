//! Organizations and console users as the console shows them: plain data shared by the
//! server (which loads them) and the browser (which renders them); no password hashes.

use serde::{Deserialize, Serialize};

use crate::Role;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Organization {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub organization_id: Option<i64>,
    pub disabled: bool,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
}

/// What an admin can change about a user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserUpdate {
    pub role: Role,
    pub organization_id: Option<i64>,
    pub disabled: bool,
}

/// What saving `update` does to `user`, in words, when it changes what they may see or
/// whether they may log in (the admin confirms it first); `None` when it changes neither.
/// `organization` names an organization by id.
pub fn consequence(
    user: &User,
    update: &UserUpdate,
    organization: impl Fn(i64) -> String,
) -> Option<String> {
    let email = &user.email;
    if update.disabled && !user.disabled {
        return Some(format!(
            "{email} is logged out at once and cannot log in until enabled again."
        ));
    }
    let moved = update.role != user.role || update.organization_id != user.organization_id;
    let mut said = Vec::new();
    if !update.disabled && user.disabled {
        said.push(format!("{email} can log in again."));
    }
    if moved {
        let becomes = match (update.role, update.organization_id) {
            (Role::Admin, _) => {
                "an admin: they can change everything, users and Meta apps included".to_owned()
            }
            (Role::Support, _) => "support staff: they read every organization's projects and \
                                   messages but change nothing"
                .to_owned(),
            (Role::Partner, Some(id)) => {
                let name = organization(id);
                format!("a partner of {name}: they see only {name}'s projects")
            }
            (Role::Partner, None) => "a partner".to_owned(),
        };
        said.push(format!(
            "{email} becomes {becomes}. It takes effect on their next page."
        ));
    }
    (!said.is_empty()).then(|| said.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, organization_id: Option<i64>, disabled: bool) -> User {
        User {
            id: 7,
            email: "ana@shop.test".into(),
            role,
            organization_id,
            disabled,
            created_at: 0,
            last_login_at: None,
        }
    }

    fn said(
        before: User,
        role: Role,
        organization_id: Option<i64>,
        disabled: bool,
    ) -> Option<String> {
        let update = UserUpdate {
            role,
            organization_id,
            disabled,
        };
        consequence(&before, &update, |id| format!("Org {id}"))
    }

    #[test]
    fn a_change_of_what_they_see_is_named_and_nothing_else_asks_for_confirmation() {
        let partner = user(Role::Partner, Some(1), false);
        assert_eq!(said(partner.clone(), Role::Partner, Some(1), false), None);
        assert_eq!(
            said(partner.clone(), Role::Partner, Some(2), false).unwrap(),
            "ana@shop.test becomes a partner of Org 2: they see only Org 2's projects. It \
             takes effect on their next page."
        );
        let support = said(partner.clone(), Role::Support, None, false).unwrap();
        assert!(
            support.contains("support staff: they read every organization's"),
            "{support}"
        );
        let admin = said(user(Role::Support, None, false), Role::Admin, None, false).unwrap();
        assert!(admin.contains("change everything"), "{admin}");
    }

    #[test]
    fn disabling_says_they_are_logged_out_and_enabling_that_they_can_log_in() {
        assert_eq!(
            said(
                user(Role::Support, None, false),
                Role::Partner,
                Some(1),
                true
            )
            .unwrap(),
            "ana@shop.test is logged out at once and cannot log in until enabled again."
        );
        assert_eq!(
            said(user(Role::Support, None, true), Role::Support, None, false).unwrap(),
            "ana@shop.test can log in again."
        );
    }
}
