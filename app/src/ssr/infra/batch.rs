//! Database work that many requests ask for at the same moment, done together.
//!
//! A few tasks share one queue; each takes whatever is waiting (up to a limit) and
//! handles it as one batch, while the others wait their turn to take the next. Nothing
//! waits for a timer: a job that arrives alone is handled at once, and jobs that arrive
//! while a batch is under way form the next one, so a job is never handled before it was
//! asked for. Used for new reports (`ingest`, one commit for many) and for loading
//! sessions (`session_store`, one statement for many).

use std::future::Future;
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot, Mutex};

use crate::ssr::infra::db::Backend;

/// Starts `tasks` tasks that hand batches of at most `max` jobs to `handle`, and returns
/// the queue's sending end. The tasks end when every sender is gone.
pub fn start<J, F, Fut>(tasks: usize, max: usize, handle: F) -> mpsc::Sender<J>
where
    J: Send + 'static,
    F: Fn(Vec<J>) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (sender, receiver) = mpsc::channel::<J>(4 * max);
    let receiver = Arc::new(Mutex::new(receiver));
    for _ in 0..tasks {
        let (receiver, handle) = (receiver.clone(), handle.clone());
        tokio::spawn(async move {
            loop {
                let mut batch = Vec::with_capacity(max);
                let taken = receiver.lock().await.recv_many(&mut batch, max).await;
                if taken == 0 {
                    break;
                }
                handle(batch).await;
            }
        });
    }
    sender
}

/// A job that is answered with a database result.
pub type Asked<T, A> = (T, oneshot::Sender<Result<A, sqlx::Error>>);

/// Queues `value` and waits for its answer; a queue whose tasks are gone answers as a
/// closed pool would.
pub async fn ask<T, A>(queue: &mpsc::Sender<Asked<T, A>>, value: T) -> Result<A, sqlx::Error> {
    let (reply, answer) = oneshot::channel();
    queue
        .send((value, reply))
        .await
        .map_err(|_| sqlx::Error::PoolClosed)?;
    answer.await.map_err(|_| sqlx::Error::PoolClosed)?
}

/// A batch statement in the sizes 1, 2, 4 … `max` rows, for each database, made once:
/// each connection keeps a handful prepared instead of one for every batch size.
pub struct Statements {
    sqlite: Vec<String>,
    postgres: Vec<String>,
}

impl Statements {
    pub fn new(max: usize, make: fn(Backend, usize) -> String) -> Statements {
        let sizes = |backend| (0..=max.ilog2()).map(|k| make(backend, 1 << k)).collect();
        Statements {
            sqlite: sizes(Backend::Sqlite),
            postgres: sizes(Backend::Postgres),
        }
    }

    /// The smallest statement for `rows` rows: the next power of two.
    pub fn for_rows(&self, backend: Backend, rows: usize) -> &str {
        let sizes = match backend {
            Backend::Sqlite => &self.sqlite,
            Backend::Postgres => &self.postgres,
        };
        &sizes[rows.next_power_of_two().ilog2() as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::oneshot;

    #[tokio::test]
    async fn jobs_waiting_together_are_handled_in_one_batch_and_each_answered() {
        let (sizes, mut seen) = mpsc::unbounded_channel();
        let queue = start(1, 8, move |batch: Vec<(u32, oneshot::Sender<u32>)>| {
            let sizes = sizes.clone();
            async move {
                let _ = sizes.send(batch.len());
                for (n, reply) in batch {
                    let _ = reply.send(n * 2);
                }
            }
        });
        // Ten jobs queued before the task runs: a batch of the limit, then the rest.
        let mut answers = Vec::new();
        for n in 0..10 {
            let (reply, answer) = oneshot::channel();
            queue.send((n, reply)).await.unwrap();
            answers.push(answer);
        }
        for (n, answer) in answers.into_iter().enumerate() {
            assert_eq!(answer.await.unwrap(), 2 * n as u32);
        }
        assert_eq!(seen.recv().await, Some(8));
        assert_eq!(seen.recv().await, Some(2));
    }
}
