//! Projects: their settings, upstream, API keys and business profile.

pub mod keys;
pub mod profile;
pub mod settings;
pub mod upstream;
