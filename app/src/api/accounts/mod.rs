//! Console accounts: logging in and out, users and organizations.

pub mod auth;
pub mod organizations;
pub mod users;
