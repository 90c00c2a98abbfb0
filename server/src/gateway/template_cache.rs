//! The gateway's cache of template lookups, cached like keys: dropped at once when this
//! instance changes a library, within the cache time when another instance does.

use std::sync::Arc;
use std::time::Duration;

use domain::platform::cache::Recent;
use rules::templates::library::TemplateInput;

/// Recently looked-up templates by (project, name), including "not in the library".
pub struct TemplateCache(Recent<(i64, String), Option<Arc<TemplateInput>>>);

impl TemplateCache {
    pub fn new(ttl: Duration) -> Self {
        TemplateCache(Recent::new(ttl))
    }

    pub(super) async fn find(
        &self,
        services: &domain::Services,
        project_id: i64,
        name: &str,
    ) -> domain::Result<Option<Arc<TemplateInput>>> {
        let load = async {
            Ok(
                domain::templates::library::find(&services.db, project_id, name)
                    .await?
                    .map(Arc::new),
            )
        };
        self.0
            .get_or_load((project_id, name.to_owned()), &services.changes, load)
            .await
    }
}
