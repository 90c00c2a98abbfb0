//! The message log's writer: requests hand their row to a queue and go on; rows are
//! written in batches (`crate::batch`), so the partner does not wait for the disk.

use std::time::Duration;

use domain::Db;
use domain::messages::NewMessage;

use crate::batch::Batcher;

const BATCH: usize = 500;
const QUEUE: usize = 10_000;

/// Rows, and `None` as a marker whose write means every row before it is written.
pub struct MessageLog(Batcher<Option<NewMessage>>);

impl MessageLog {
    pub fn start(db: Db) -> Self {
        MessageLog(Batcher::start(BATCH, QUEUE, move |items: Vec<Option<NewMessage>>| {
            let db = db.clone();
            async move {
                let rows: Vec<NewMessage> = items.into_iter().flatten().collect();
                if !rows.is_empty() {
                    write_with_retry(&db, &rows).await;
                }
                true
            }
        }))
    }

    /// Queues a row; waits only when the queue is full (so nothing is dropped).
    pub async fn write(&self, row: NewMessage) {
        if !self.0.push(Some(row)).await {
            tracing::error!("the message log writer has stopped; a row was not written");
        }
    }

    /// Returns once every row queued before the call is written.
    pub async fn flush(&self) {
        self.0.submit(None).await;
    }
}

async fn write_with_retry(db: &Db, batch: &[NewMessage]) {
    for attempt in 1..=5 {
        match domain::messages::insert_batch(db, batch).await {
            Ok(()) => return,
            Err(e) => {
                tracing::warn!(error = %e, attempt, rows = batch.len(), "message log write failed; retrying");
                tokio::time::sleep(Duration::from_millis(200 * attempt)).await;
            }
        }
    }
    tracing::error!(rows = batch.len(), "message log rows could not be written");
}
