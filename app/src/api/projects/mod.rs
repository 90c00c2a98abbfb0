//! Projects: their settings, upstream, API keys, business profile and number health.

pub mod health;
pub mod keys;
pub mod profile;
pub mod settings;
pub mod upstream;
