//! The product's server-side domain: one home for storage and rules that the gateway,
//! the console's server functions and the command line all call. Handlers only
//! translate HTTP to these calls and back.

pub mod actor;
pub mod audit;
pub mod cache;
pub mod contacts;
pub mod crypto;
pub mod db;
pub mod deliveries;
pub mod demo;
pub mod error;
pub mod inbound;
pub mod jobs;
pub mod key_check;
pub mod keys;
pub mod login;
pub mod message_counts;
pub mod message_search;
pub mod message_trace;
pub mod messages;
pub mod organizations;
pub mod password;
pub mod profile;
pub mod projects;
pub mod retention;
pub mod session_store;
pub mod stats;
pub mod templates;
pub mod timeline;
pub mod upstream;
pub mod users;
pub mod webhook_client;
pub mod webhooks;

pub use actor::Actor;
pub use db::Db;
pub use error::{Error, Result};
pub use rules::Role;

/// What the console and the gateway need from the domain, built once at start.
#[derive(Clone)]
pub struct Services {
    pub db: Db,
    pub secrets: crypto::SecretBox,
    pub throttle: login::Throttle,
    /// Bumped whenever keys or projects change, so caches in this process drop stale
    /// entries at once (other instances within their cache time).
    pub changes: ChangeCounter,
    /// Calls to projects' upstream clients, with their login tokens.
    pub upstreams: std::sync::Arc<upstream::Upstreams>,
}

impl Services {
    pub fn new(db: Db, secrets: crypto::SecretBox, throttle: login::Throttle) -> Self {
        let upstreams = upstream::Upstreams::new(
            std::time::Duration::from_secs(5),
            std::time::Duration::from_secs(5),
        );
        Services {
            db,
            secrets,
            throttle,
            changes: ChangeCounter::default(),
            upstreams: std::sync::Arc::new(upstreams),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct ChangeCounter(std::sync::Arc<std::sync::atomic::AtomicU64>);

impl ChangeCounter {
    pub fn bump(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Release);
    }

    pub fn current(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Acquire)
    }
}
