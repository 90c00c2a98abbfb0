//! The message log's writer: requests hand their row to a queue and go on; one task
//! writes rows in batches, so the partner does not wait for the disk.

use std::time::Duration;

use domain::Db;
use domain::messages::NewMessage;
use tokio::sync::{mpsc, oneshot};

const QUEUE: usize = 10_000;
const BATCH: usize = 500;

enum Item {
    Row(NewMessage),
    Flush(oneshot::Sender<()>),
}

pub struct MessageLog {
    tx: mpsc::Sender<Item>,
}

impl MessageLog {
    pub fn start(db: Db) -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(db, rx));
        MessageLog { tx }
    }

    /// Queues a row; waits only when the queue is full (so nothing is dropped).
    pub async fn write(&self, row: NewMessage) {
        if self.tx.send(Item::Row(row)).await.is_err() {
            tracing::error!("the message log writer has stopped; a row was not written");
        }
    }

    /// Returns once every row queued before the call is written.
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.tx.send(Item::Flush(done)).await.is_ok() {
            let _ = wait.await;
        }
    }
}

async fn run(db: Db, mut rx: mpsc::Receiver<Item>) {
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(first) = rx.recv().await {
        let mut waiters = Vec::new();
        let mut item = Some(first);
        while let Some(next) = item.take() {
            match next {
                Item::Row(row) => batch.push(row),
                Item::Flush(done) => waiters.push(done),
            }
            if batch.len() < BATCH {
                item = rx.try_recv().ok();
            }
        }
        if !batch.is_empty() {
            write_with_retry(&db, &batch).await;
            batch.clear();
        }
        for done in waiters {
            let _ = done.send(());
        }
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
