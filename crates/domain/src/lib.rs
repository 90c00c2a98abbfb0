//! The product's server-side domain: one home for storage and rules that the gateway,
//! the console's server functions and the command line all call. Handlers only
//! translate HTTP to these calls and back.
//!
//! Folders by area: `accounts` (users, sessions, login), `projects` (settings, API keys,
//! business profile), `upstream` (the WhatsApp client behind each project), `messages`
//! (the log, its counts, search, traces and retention), `webhooks` (the partner's
//! webhook, inbound notifications and the forwarding queue), `templates`, and
//! `platform` (database, cache, encryption, jobs).

pub mod accounts;
pub mod actor;
pub mod audit;
pub mod cloud;
pub mod error;
pub mod messages;
pub mod platform;
pub mod projects;
pub mod services;
pub mod templates;
pub mod upstream;
pub mod webhooks;

pub use actor::Actor;
pub use error::{Error, Result};
pub use platform::db::Db;
pub use rules::Role;
pub use services::Services;
