//! Projects (one WhatsApp number each): settings, API keys, the business profile, and a
//! Cloud number's health at Meta.

pub mod health;
pub mod keys;
pub mod notice;
pub mod profile;
pub mod settings;
pub mod warmup;
