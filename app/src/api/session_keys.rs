//! Names of the values kept in a console session.

/// The logged-in user's id.
pub const USER_ID: &str = "user_id";
/// The session's CSRF token, echoed by every form as the `csrf` field.
pub const CSRF: &str = "csrf";
/// A one-time message shown on the next page.
pub const FLASH: &str = "flash";
