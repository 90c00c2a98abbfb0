//! Projects (one WhatsApp number each): their settings, API keys and business profile.

pub mod cloud;
pub mod keys;
pub mod profile;
pub mod settings;
