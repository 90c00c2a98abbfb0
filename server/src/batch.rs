//! Group commit: callers hand items to one task that writes whatever has gathered in a
//! single transaction, then tells each caller whether its item was written. Many
//! concurrent writers cost one disk flush instead of one each. Items are written in the
//! order they came.

use std::future::Future;

use tokio::sync::{mpsc, oneshot};

/// An item, and where to say whether it was written.
type Queued<T> = (T, oneshot::Sender<bool>);

pub struct Batcher<T> {
    tx: mpsc::Sender<Queued<T>>,
}

impl<T: Send + 'static> Batcher<T> {
    /// `write` stores a batch and says whether it worked; at most `max` items a batch, and
    /// up to `queue` items waiting (beyond that, callers wait for room).
    pub fn start<F, Fut>(max: usize, queue: usize, write: F) -> Self
    where
        F: Fn(Vec<T>) -> Fut + Send + 'static,
        Fut: Future<Output = bool> + Send,
    {
        let (tx, mut rx) = mpsc::channel::<Queued<T>>(queue);
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut items = vec![first];
                while items.len() < max {
                    match rx.try_recv() {
                        Ok(item) => items.push(item),
                        Err(_) => break,
                    }
                }
                let (batch, replies): (Vec<T>, Vec<oneshot::Sender<bool>>) =
                    items.into_iter().unzip();
                let written = write(batch).await;
                for reply in replies {
                    let _ = reply.send(written);
                }
            }
        });
        Batcher { tx }
    }

    /// Waits until the item is written (true) or its batch failed (false).
    pub async fn submit(&self, item: T) -> bool {
        let (reply, written) = oneshot::channel();
        if self.tx.send((item, reply)).await.is_err() {
            return false;
        }
        written.await.unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::Batcher;

    #[tokio::test]
    async fn concurrent_items_share_batches_and_all_get_an_answer() {
        let batches = Arc::new(Mutex::new(Vec::new()));
        let seen = batches.clone();
        let batcher = Arc::new(Batcher::start(100, 400, move |items: Vec<u32>| {
            let seen = seen.clone();
            async move {
                seen.lock().unwrap().push(items.len());
                !items.contains(&13)
            }
        }));
        let tasks: Vec<_> = (0..50u32)
            .map(|i| {
                let b = batcher.clone();
                tokio::spawn(async move { (i, b.submit(i).await) })
            })
            .collect();
        let mut answers = std::collections::HashMap::new();
        for t in tasks {
            let (i, written) = t.await.unwrap();
            answers.insert(i, written);
        }
        assert_eq!(answers.len(), 50, "every caller got an answer");
        assert!(!answers[&13], "a failed batch is reported to its callers");
        let sizes = batches.lock().unwrap().clone();
        assert_eq!(sizes.iter().sum::<usize>(), 50);
        assert!(sizes.len() < 50, "items were grouped: {sizes:?}");
    }

    #[tokio::test]
    async fn items_are_written_in_the_order_they_came() {
        let written = Arc::new(Mutex::new(Vec::new()));
        let seen = written.clone();
        let batcher = Batcher::start(3, 100, move |items: Vec<u32>| {
            let seen = seen.clone();
            async move {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                seen.lock().unwrap().extend(items);
                true
            }
        });
        // join_all polls the calls in turn, so they queue in this order.
        let written_each = futures::future::join_all((0..=10).map(|i| batcher.submit(i))).await;
        assert!(written_each.into_iter().all(|w| w));
        assert_eq!(
            *written.lock().unwrap(),
            (0..=10).collect::<Vec<_>>(),
            "all of them, in order"
        );
    }
}
