//! The upstream WhatsApp Business API client behind each project, and calls to it.

pub mod calls;
pub mod client;
