//! Projects (one WhatsApp number each): settings, API keys and the business profile.

pub mod keys;
pub mod profile;
pub mod settings;
