//! One module per console area.

pub mod accounts;
pub mod audit;
pub mod messages;
pub mod meta_apps;
pub mod not_found;
pub mod projects;
pub mod templates;
pub mod webhooks;
