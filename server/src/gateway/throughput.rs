//! Each Cloud number's throughput: Meta takes a number's messages up to its level (80 a
//! second, 1,000 when upgraded) and refuses beyond with 130429. The gateway keeps sends
//! within the level instead, answering 429 with `Retry-After`; instances share the level
//! through the database (`domain::projects::throughput`), one write per slice of a second's
//! budget rather than per message.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use domain::Db;

/// Sends per second by Meta's throughput level; 0 switches the limiter off.
#[derive(Clone, Copy, Debug)]
pub struct Levels {
    pub standard: i64,
    pub high: i64,
}

impl Levels {
    pub fn of(&self, level: &str) -> i64 {
        if level == "HIGH" {
            self.high
        } else {
            self.standard
        }
    }
}

/// The 429 envelope for a send beyond the number's level (`Retry-After` added by the
/// caller).
pub fn refusal(level: &str, gateway: &super::Gateway) -> super::envelope::ApiError {
    let per_second = gateway.config.throughput.of(level);
    let message = format!(
        "This number sends at most {per_second} messages a second (Meta's {} throughput); \
         this one would go beyond it. Send it again after the Retry-After seconds, and spread \
         sends over time.",
        if level.is_empty() { "STANDARD" } else { level }
    );
    super::envelope::ApiError::new(
        http::StatusCode::TOO_MANY_REQUESTS,
        message,
        vec!["429".into()],
    )
}

/// What is left of this instance's slice of a number's current second.
struct Slice {
    second: i64,
    left: i64,
}

pub struct Throughput {
    db: Db,
    levels: Levels,
    slices: Mutex<HashMap<i64, Slice>>,
}

impl Throughput {
    pub fn new(db: Db, levels: Levels) -> Self {
        Throughput {
            db,
            levels,
            slices: Mutex::default(),
        }
    }

    /// Lets one send of `project_id` (at throughput `level`) through, or says how long
    /// until the next second's budget.
    pub async fn admit(&self, project_id: i64, level: &str) -> Result<(), Duration> {
        let limit = self.levels.of(level);
        if limit <= 0 {
            return Ok(());
        }
        let now = domain::platform::db::now_ms();
        let second = now.div_euclid(1000);
        if self.spend(project_id, second) {
            return Ok(());
        }
        // A twentieth of the level per write: few writes, little left unspent at the end
        // of a second.
        let want = (limit / 20).max(1);
        match domain::projects::throughput::take(&self.db, project_id, second, want, limit).await {
            // Sends that asked at the same moment may have taken the rest and left some.
            Ok(0) if self.spend(project_id, second) => Ok(()),
            Ok(0) => Err(Duration::from_millis((1000 - now.rem_euclid(1000)) as u64)),
            Ok(got) => {
                // Sends waiting at once each take a slice: what they leave adds up.
                let mut slices = self.slices.lock().unwrap();
                let slice = slices
                    .entry(project_id)
                    .or_insert(Slice { second, left: 0 });
                if slice.second != second {
                    *slice = Slice { second, left: 0 };
                }
                slice.left += got - 1;
                Ok(())
            }
            Err(e) => {
                // Meta still refuses beyond the level (130429): better than refusing all.
                tracing::warn!(project_id, error = %e.report(), "throughput budget unreadable");
                Ok(())
            }
        }
    }

    fn spend(&self, project_id: i64, second: i64) -> bool {
        let mut slices = self.slices.lock().unwrap();
        match slices.get_mut(&project_id) {
            Some(s) if s.second == second && s.left > 0 => {
                s.left -= 1;
                true
            }
            _ => false,
        }
    }
}
