//! Projects (one WhatsApp number each): their settings, API keys and business profile; for
//! a Cloud number its health at Meta and its messages per second.

pub mod cloud;
pub mod health;
pub mod keys;
pub mod profile;
pub mod settings;
pub mod throughput;
pub mod warmup;
