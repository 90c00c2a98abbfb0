//! Projects: the list, the new-project form and one project's page with its panels.

pub mod detail;
pub mod form;
pub mod health;
pub mod keys;
pub mod list;
pub mod new;
pub mod photo;
pub mod profile;
pub mod upstream;
mod warmup;
