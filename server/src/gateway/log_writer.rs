//! The message log's writer: rows of concurrent requests are written together
//! (`crate::batch`), one transaction a batch, and each request waits for its row's
//! commit before the partner is answered — so an answered message is in the log even
//! if the process is killed right after (tested with SIGKILL).

use std::time::Duration;

use domain::Db;
use domain::messages::log::NewMessage;

use crate::batch::Batcher;

const BATCH: usize = 500;
const QUEUE: usize = 10_000;

pub struct MessageLog(Batcher<NewMessage>);

impl MessageLog {
    pub fn start(db: Db) -> Self {
        MessageLog(Batcher::start(
            BATCH,
            QUEUE,
            move |rows: Vec<NewMessage>| {
                let db = db.clone();
                async move { write_with_retry(&db, &rows).await }
            },
        ))
    }

    /// Returns once the row is committed. If the database refuses it for good, the
    /// partner is still answered (the upstream has the message) and the failure is logged.
    pub async fn write(&self, row: NewMessage) {
        if !self.0.submit(row).await {
            tracing::error!("a message log row could not be written");
        }
    }
}

async fn write_with_retry(db: &Db, batch: &[NewMessage]) -> bool {
    for attempt in 1..=5 {
        match domain::messages::log::insert_batch(db, batch).await {
            Ok(()) => return true,
            Err(e) => {
                tracing::warn!(error = %e, attempt, rows = batch.len(), "message log write failed; retrying");
                tokio::time::sleep(Duration::from_millis(200 * attempt)).await;
            }
        }
    }
    tracing::error!(rows = batch.len(), "message log rows could not be written");
    false
}
