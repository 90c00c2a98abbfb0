//! One module per console area.

pub mod account;
pub mod audit;
pub mod error_codes;
pub mod login;
pub mod messages;
pub mod not_found;
pub mod organizations;
pub mod overview;
pub mod projects;
pub mod templates;
pub mod users;
