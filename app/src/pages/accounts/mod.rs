//! Console accounts: logging in, one's own account, users and organizations.

pub mod account;
pub mod login;
pub mod organizations;
pub mod users;
