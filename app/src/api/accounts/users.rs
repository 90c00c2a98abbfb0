//! Console users: staff list them; admins create and change them and set their
//! passwords; everyone changes their own.

use leptos::prelude::*;
use rules::accounts::User;

use crate::error::AppError;

#[server(endpoint = "list_users", client = crate::api::csrf_client::CsrfClient)]
pub async fn list_users() -> Result<Vec<User>, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    Ok(domain::accounts::users::list(&ctx::services()?.db, &actor).await?)
}

/// `organization_id` is empty for staff.
#[server(endpoint = "create_user", client = crate::api::csrf_client::CsrfClient)]
pub async fn create_user(
    email: String,
    password: String,
    role: String,
    organization_id: Option<String>,
) -> Result<i64, AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let role = rules::Role::parse(&role).map_err(|m| domain::Error::field("role", m))?;
    let organization_id = parse_optional_id(organization_id)?;
    let new = domain::accounts::users::NewUser {
        email: &email,
        password: &password,
        role,
        organization_id,
    };
    let user = domain::accounts::users::create(&ctx::services()?.db, &actor, new).await?;
    ctx::flash(format!("User {} created.", user.email)).await?;
    Ok(user.id)
}

#[server(endpoint = "update_user", client = crate::api::csrf_client::CsrfClient)]
pub async fn update_user(
    id: i64,
    role: String,
    organization_id: Option<String>,
    disabled: Option<String>,
    #[server(default)] confirm: Option<String>,
) -> Result<(), AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let role = rules::Role::parse(&role).map_err(|m| domain::Error::field("role", m))?;
    let update = rules::accounts::UserUpdate {
        role,
        organization_id: parse_optional_id(organization_id)?,
        disabled: disabled.is_some(),
    };
    let db = &ctx::services()?.db;
    let user = domain::accounts::users::update(db, &actor, id, update, confirm.is_some()).await?;
    ctx::flash(format!("User {} saved.", user.email)).await?;
    Ok(())
}

/// An admin gives a user a new password; that user's sessions end.
#[server(endpoint = "set_user_password", client = crate::api::csrf_client::CsrfClient)]
pub async fn set_user_password(id: i64, password: String) -> Result<(), AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let user =
        domain::accounts::credentials::set_password(&ctx::services()?.db, &actor, id, &password)
            .await?;
    ctx::flash(format!(
        "New password set for {}; their sessions have ended.",
        user.email
    ))
    .await?;
    Ok(())
}

/// The logged-in user changes their own password; their other sessions end, this one
/// goes on.
#[server(endpoint = "change_password", client = crate::api::csrf_client::CsrfClient)]
pub async fn change_password(
    current_password: String,
    new_password: String,
    repeat_password: String,
) -> Result<(), AppError> {
    use crate::api::ctx;
    let actor = ctx::actor().await?;
    let change = domain::accounts::credentials::PasswordChange {
        current: &current_password,
        new: &new_password,
        repeated: &repeat_password,
    };
    let session = domain::accounts::credentials::change_own_password(
        &ctx::services()?,
        &actor,
        &ctx::client_ip(),
        change,
    )
    .await?;
    ctx::log_in(session).await?;
    ctx::flash("Password changed. Your other sessions have ended.").await?;
    Ok(())
}

/// A select's value: empty means none.
#[cfg(feature = "ssr")]
fn parse_optional_id(value: Option<String>) -> Result<Option<i64>, AppError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            domain::Error::field("organization_id", "Choose an organization from the list.").into()
        }),
    }
}
