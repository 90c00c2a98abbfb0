//! Console accounts: organizations, users, their passwords, logging in and sessions.

pub mod credentials;
pub mod login;
pub mod organizations;
pub mod password;
pub mod sessions;
pub mod users;
