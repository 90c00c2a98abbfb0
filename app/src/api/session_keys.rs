//! Names of the values kept in a console session.

use domain::accounts::sessions::SessionUser;

/// The logged-in user's id.
pub const USER_ID: &str = "user_id";
/// When the user's password last changed, as of the login (absent in sessions from
/// before it was kept: the column's default, 0, then applies).
pub const CREDENTIALS_AT: &str = "credentials_at";
/// When the user logged in (UTC ms): the login ends a fixed time after it, however active.
pub const STARTED_AT: &str = "started_at";
/// The session's CSRF token, echoed by every form as the `csrf` field.
pub const CSRF: &str = "csrf";
/// A one-time message shown on the next page.
pub const FLASH: &str = "flash";

/// Who the session says is logged in, if anyone.
pub async fn signed_in(
    session: &tower_sessions::Session,
) -> Result<Option<SessionUser>, tower_sessions::session::Error> {
    let Some(id) = session.get::<i64>(USER_ID).await? else {
        return Ok(None);
    };
    let credentials_at = session.get::<i64>(CREDENTIALS_AT).await?.unwrap_or(0);
    Ok(Some(SessionUser { id, credentials_at }))
}

/// Puts `user` in the session.
pub async fn sign_in(
    session: &tower_sessions::Session,
    user: SessionUser,
) -> Result<(), tower_sessions::session::Error> {
    session.insert(USER_ID, user.id).await?;
    session.insert(CREDENTIALS_AT, user.credentials_at).await?;
    session
        .insert(STARTED_AT, chrono::Utc::now().timestamp_millis())
        .await
}

/// Takes the user out of the session (the session and its CSRF token stay).
pub async fn sign_out(
    session: &tower_sessions::Session,
) -> Result<(), tower_sessions::session::Error> {
    session.remove::<i64>(USER_ID).await?;
    session.remove::<i64>(CREDENTIALS_AT).await?;
    session.remove::<i64>(STARTED_AT).await?;
    Ok(())
}
