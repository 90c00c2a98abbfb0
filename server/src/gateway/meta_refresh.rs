//! Keeping what the console knows of Cloud numbers as Meta has it: each account's template
//! library and each number's health. A project's is read again when Meta says it changed
//! (its notifications), when Meta refuses a template the library holds as sendable (132000,
//! 132001, 132015, 132016), and every few minutes in the background (one instance at a
//! time, under a job lease). Asks that come while the same read runs make one more read
//! after it, never a pile.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use domain::{Actor, Services};

/// Meta's answers that say the library here is out of date.
pub const STALE_TEMPLATE_CODES: [&str; 4] = ["132000", "132001", "132015", "132016"];

/// What is read from Meta.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Read {
    /// The template library of the project's account.
    Templates,
    /// The project's number: quality, limit, throughput, status.
    Health,
}

pub struct MetaRefresh {
    services: Services,
    /// Reads under way, each with whether another was asked for meanwhile.
    running: Arc<Mutex<HashMap<(Read, i64), bool>>>,
}

impl MetaRefresh {
    pub fn new(services: Services) -> Self {
        MetaRefresh {
            services,
            running: Arc::default(),
        }
    }

    /// Reads `what` of project `project_id` from Meta soon: now, or once more right after
    /// the read under way.
    pub fn soon(&self, what: Read, project_id: i64, why: &'static str) {
        {
            let mut running = self.running.lock().unwrap();
            if let Some(again) = running.get_mut(&(what, project_id)) {
                *again = true;
                return;
            }
            running.insert((what, project_id), false);
        }
        let (services, running) = (self.services.clone(), self.running.clone());
        tokio::spawn(async move {
            loop {
                read(&services, what, project_id, why).await;
                let mut running = running.lock().unwrap();
                if running.get(&(what, project_id)) == Some(&true) {
                    running.insert((what, project_id), false);
                } else {
                    running.remove(&(what, project_id));
                    break;
                }
            }
        });
    }

    /// The background read of `what`: every account's library, or every number's health,
    /// one after the other.
    pub async fn every(&self, what: Read) {
        let projects = match what {
            Read::Templates => domain::templates::meta::accounts(&self.services).await,
            Read::Health => domain::projects::health::numbers(&self.services).await,
        };
        match projects {
            Ok(projects) => {
                for project_id in projects {
                    read(&self.services, what, project_id, "every few minutes").await;
                }
            }
            Err(e) => tracing::warn!(error = %e.report(), "could not list the Cloud numbers"),
        }
    }
}

async fn read(services: &Services, what: Read, project_id: i64, why: &'static str) {
    let outcome = match what {
        Read::Templates => {
            let actor = Actor::background("Meta template sync");
            domain::templates::meta::sync_account(services, &actor, project_id)
                .await
                .map(|s| {
                    if s.added + s.changed + s.removed > 0 {
                        tracing::info!(project_id, why, %s, "template library synced from Meta");
                    }
                })
        }
        Read::Health => {
            let actor = Actor::background("Meta number check");
            domain::projects::health::refresh(services, &actor, project_id, why)
                .await
                .map(|_| ())
        }
    };
    if let Err(e) = outcome {
        tracing::warn!(project_id, why, ?what, error = %e.report(), "could not read from Meta");
    }
}
