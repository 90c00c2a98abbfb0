//! Keeping Cloud numbers' template libraries as Meta has them. A project's account is read
//! again when Meta says a template changed (its notifications), when Meta refuses a
//! template the library holds as sendable (132000, 132001, 132015, 132016), and every few
//! minutes in the background (one instance at a time, under the job lease). Asks that come
//! while the project's sync runs make one more sync after it, never a pile.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use domain::{Actor, Services};

/// Meta's answers that say the library here is out of date.
pub const STALE_TEMPLATE_CODES: [&str; 4] = ["132000", "132001", "132015", "132016"];

pub struct TemplateSync {
    services: Services,
    /// Projects whose sync runs, each with whether another was asked for meanwhile.
    running: Arc<Mutex<HashMap<i64, bool>>>,
}

impl TemplateSync {
    pub fn new(services: Services) -> Self {
        TemplateSync {
            services,
            running: Arc::default(),
        }
    }

    /// Reads project `project_id`'s library from Meta soon: now, or once more right after
    /// the sync under way.
    pub fn soon(&self, project_id: i64, why: &'static str) {
        {
            let mut running = self.running.lock().unwrap();
            if let Some(again) = running.get_mut(&project_id) {
                *again = true;
                return;
            }
            running.insert(project_id, false);
        }
        let (services, running) = (self.services.clone(), self.running.clone());
        tokio::spawn(async move {
            loop {
                sync(&services, project_id, why).await;
                let mut running = running.lock().unwrap();
                if running.get(&project_id) == Some(&true) {
                    running.insert(project_id, false);
                } else {
                    running.remove(&project_id);
                    break;
                }
            }
        });
    }

    /// The background sync: every account, one after the other.
    pub async fn every_account(&self) {
        match domain::templates::meta::accounts(&self.services).await {
            Ok(projects) => {
                for project_id in projects {
                    sync(&self.services, project_id, "every few minutes").await;
                }
            }
            Err(e) => tracing::warn!(error = %e.report(), "could not list the Cloud accounts"),
        }
    }
}

async fn sync(services: &Services, project_id: i64, why: &'static str) {
    let actor = Actor::background("Meta template sync");
    match domain::templates::meta::sync_account(services, &actor, project_id).await {
        Ok(s) if s.added + s.changed + s.removed > 0 => tracing::info!(
            project_id,
            why,
            added = s.added,
            changed = s.changed,
            removed = s.removed,
            "template library synced from Meta"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(
            project_id,
            why,
            error = %e.report(),
            "could not sync the template library from Meta"
        ),
    }
}
