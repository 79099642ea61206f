//! Coalescing: concurrent calls of the same statement shape share one
//! statement.
//!
//! Under load, many requests run the same statement with a different id
//! (the account of `account(id:)`, the activity of `logActivity`). Each
//! such statement costs Postgres a round trip, a bind, a plan lookup, a
//! snapshot (and a commit for a write) whatever its size, and the server a
//! write and a read on its socket. Here, calls with the same key (tenant and
//! statement shape) take turns: at most `max_in_flight` statements per key
//! run at once, and calls that arrive while they run wait in a queue; when a
//! statement completes, the calls queued meanwhile (up to `max_batch`) run
//! as one statement, led by the first of them.
//!
//! There is no timer: a call alone, or one arriving while fewer than
//! `max_in_flight` statements of its key run, starts at once, so coalescing
//! adds no latency when there is no load and forms batches exactly when
//! statements overlap. A batch starts after every call in it arrived, so it
//! sees what each of them would have seen alone (or later data).
//!
//! Three statements are coalesced (`Db`): an account with a page of its
//! contacts (`account(id:)`: the batch reads all its accounts), logging an
//! activity (the batch inserts all its activities, each with its own checks,
//! in one commit), and identical reads of the compiled read path (the same
//! statement with the same values, e.g. a dashboard page: the batch runs it
//! once and every call gets the rows).
//!
//! A batch that fails, or whose leader is dropped midway (its client went
//! away), does not fail the others: each of its calls then runs alone,
//! outside the queue, and gets its own result or error.

use crate::StoreError;
use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// Batches of calls with the same key `K`: items `I` in, one output `O`
/// per item out.
pub struct Coalescer<K, I, O> {
    inner: Arc<Inner<K, I, O>>,
}

impl<K, I, O> std::fmt::Debug for Coalescer<K, I, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Coalescer")
            .field("max_in_flight", &self.inner.max_in_flight)
            .field("max_batch", &self.inner.max_batch)
            .finish()
    }
}

struct Inner<K, I, O> {
    lanes: Mutex<HashMap<K, Lane<I, O>>>,
    max_in_flight: usize,
    max_batch: usize,
    statements: AtomicU64,
    items: AtomicU64,
}

/// One key's statements in flight and calls waiting for a turn. A lane with
/// a non-empty queue has `max_in_flight` statements in flight; a lane with
/// none in flight is removed.
struct Lane<I, O> {
    in_flight: usize,
    queue: VecDeque<Waiter<I, O>>,
}

struct Waiter<I, O> {
    item: I,
    tx: oneshot::Sender<Msg<I, O>>,
}

type Waiters<I, O> = Vec<Waiter<I, O>>;

enum Msg<I, O> {
    /// The batch ran: this call's output.
    Done(O),
    /// Lead the next batch: the other calls in it, and the turn.
    Lead(Waiters<I, O>, Turn<I, O>),
    /// The batch failed: run alone.
    Alone,
}

/// A statement in flight: when dropped (completed, failed or abandoned), the
/// next queued batch gets the turn, or the lane has one statement fewer.
struct Turn<I, O> {
    finish: Option<Box<dyn FnOnce() + Send>>,
    _marker: std::marker::PhantomData<fn() -> (I, O)>,
}

impl<I, O> Drop for Turn<I, O> {
    fn drop(&mut self) {
        if let Some(f) = self.finish.take() {
            f();
        }
    }
}

/// Counters, for tests and metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CoalesceStats {
    /// Statements run (batches, and calls run alone after a failed batch).
    pub statements: u64,
    /// Calls served.
    pub items: u64,
    /// Calls waiting for a turn now.
    pub waiting: usize,
}

impl std::ops::Add for CoalesceStats {
    type Output = Self;
    fn add(self, o: Self) -> Self {
        Self {
            statements: self.statements + o.statements,
            items: self.items + o.items,
            waiting: self.waiting + o.waiting,
        }
    }
}

impl<K, I, O> Coalescer<K, I, O>
where
    K: Hash + Eq + Clone + Send + 'static,
    I: Clone + Send + 'static,
    O: Send + 'static,
{
    /// At most `max_in_flight` statements per key at once, at most
    /// `max_batch` calls per statement (both at least 1).
    pub fn new(max_in_flight: usize, max_batch: usize) -> Self {
        Self {
            inner: Arc::new(Inner {
                lanes: Mutex::new(HashMap::new()),
                max_in_flight: max_in_flight.max(1),
                max_batch: max_batch.max(1),
                statements: AtomicU64::new(0),
                items: AtomicU64::new(0),
            }),
        }
    }

    pub fn stats(&self) -> CoalesceStats {
        CoalesceStats {
            statements: self.inner.statements.load(Ordering::Relaxed),
            items: self.inner.items.load(Ordering::Relaxed),
            waiting: self.waiting(),
        }
    }

    /// Calls waiting in a queue now.
    pub fn waiting(&self) -> usize {
        self.inner
            .lanes
            .lock()
            .map_or(0, |l| l.values().map(|lane| lane.queue.len()).sum())
    }

    /// `item`'s output: `exec` runs a batch of items of this `key` and
    /// returns one output per item, in order (a different count is an
    /// error). Every call with the same key must pass an equivalent `exec`:
    /// whichever call leads a batch runs it for all.
    pub async fn run<F, Fut>(&self, key: K, item: I, exec: F) -> Result<O, StoreError>
    where
        F: Fn(Vec<I>) -> Fut,
        Fut: Future<Output = Result<Vec<O>, StoreError>>,
    {
        let mut item = Some(item);
        let rx = {
            let mut lanes = self.inner.lanes.lock().map_err(poisoned)?;
            let lane = lanes.entry(key.clone()).or_insert_with(|| Lane {
                in_flight: 0,
                queue: VecDeque::new(),
            });
            if lane.in_flight < self.inner.max_in_flight {
                lane.in_flight += 1;
                None
            } else {
                let (tx, rx) = oneshot::channel();
                let own = item.clone();
                lane.queue.push_back(Waiter {
                    item: item.take().ok_or_else(gone)?,
                    tx,
                });
                item = own;
                Some(rx)
            }
        };
        let item = item.ok_or_else(gone)?;
        let Some(rx) = rx else {
            return self.lead(self.turn(key), item, Vec::new(), &exec).await;
        };
        match rx.await {
            Ok(Msg::Done(out)) => {
                // The shared statement served this call too.
                crate::stats::record_statement();
                Ok(out)
            }
            Ok(Msg::Lead(others, turn)) => self.lead(turn, item, others, &exec).await,
            Ok(Msg::Alone) | Err(_) => self.alone(item, &exec).await,
        }
    }

    fn turn(&self, key: K) -> Turn<I, O> {
        Inner::turn(&self.inner, key)
    }

    async fn lead<F, Fut>(
        &self,
        turn: Turn<I, O>,
        own: I,
        others: Waiters<I, O>,
        exec: &F,
    ) -> Result<O, StoreError>
    where
        F: Fn(Vec<I>) -> Fut,
        Fut: Future<Output = Result<Vec<O>, StoreError>>,
    {
        if others.is_empty() {
            let out = self.count(1, exec(vec![own]).await);
            drop(turn);
            return one(out?);
        }
        let n = others.len() + 1;
        let mut items = Vec::with_capacity(n);
        items.push(own.clone());
        let mut txs = Vec::with_capacity(others.len());
        for w in others {
            items.push(w.item);
            txs.push(w.tx);
        }
        let out = self.count(n, exec(items).await);
        // The next batch of this key starts now.
        drop(turn);
        match out {
            Ok(outs) if outs.len() == n => {
                let mut outs = outs.into_iter();
                let mine = outs.next().ok_or_else(gone)?;
                for (tx, o) in txs.into_iter().zip(outs) {
                    // A caller that went away drops its output.
                    let _ = tx.send(Msg::Done(o));
                }
                Ok(mine)
            }
            _ => {
                for tx in txs {
                    let _ = tx.send(Msg::Alone);
                }
                self.alone(own, exec).await
            }
        }
    }

    async fn alone<F, Fut>(&self, item: I, exec: &F) -> Result<O, StoreError>
    where
        F: Fn(Vec<I>) -> Fut,
        Fut: Future<Output = Result<Vec<O>, StoreError>>,
    {
        one(self.count(1, exec(vec![item]).await)?)
    }

    fn count<T>(&self, items: usize, r: T) -> T {
        self.inner.statements.fetch_add(1, Ordering::Relaxed);
        self.inner.items.fetch_add(items as u64, Ordering::Relaxed);
        r
    }
}

impl<K, I, O> Inner<K, I, O>
where
    K: Hash + Eq + Clone + Send + 'static,
    I: Clone + Send + 'static,
    O: Send + 'static,
{
    /// A statement of `key` in flight, until the turn is dropped.
    fn turn(this: &Arc<Self>, key: K) -> Turn<I, O> {
        let inner = this.clone();
        Turn {
            finish: Some(Box::new(move || Inner::finish(&inner, key))),
            _marker: std::marker::PhantomData,
        }
    }

    /// A statement of `key` completed: hands the turn to the calls queued
    /// meanwhile (the first one still waiting leads them), or gives it up.
    fn finish(this: &Arc<Self>, key: K) {
        loop {
            let (first, others) = {
                let Ok(mut lanes) = this.lanes.lock() else {
                    return;
                };
                let Some(lane) = lanes.get_mut(&key) else {
                    return;
                };
                // Calls whose caller went away are skipped.
                while lane.queue.front().is_some_and(|w| w.tx.is_closed()) {
                    lane.queue.pop_front();
                }
                let Some(first) = lane.queue.pop_front() else {
                    lane.in_flight = lane.in_flight.saturating_sub(1);
                    if lane.in_flight == 0 {
                        lanes.remove(&key);
                    }
                    return;
                };
                let mut others = Vec::with_capacity(lane.queue.len().min(this.max_batch - 1));
                while others.len() + 1 < this.max_batch {
                    match lane.queue.pop_front() {
                        Some(w) if w.tx.is_closed() => {}
                        Some(w) => others.push(w),
                        None => break,
                    }
                }
                (first, others)
            };
            let turn = Self::turn(this, key.clone());
            match first.tx.send(Msg::Lead(others, turn)) {
                Ok(()) => return,
                // It went away just now: the others go back to the front of
                // the queue and the next one leads (this turn is not given
                // up: disarmed, the loop hands it on).
                Err(msg) => {
                    if let Msg::Lead(others, mut turn) = msg {
                        turn.finish = None;
                        let Ok(mut lanes) = this.lanes.lock() else {
                            return;
                        };
                        if let Some(lane) = lanes.get_mut(&key) {
                            for w in others.into_iter().rev() {
                                lane.queue.push_front(w);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The one output of a statement run for one call without a coalescer.
pub(crate) fn alone<O>(outs: Vec<O>) -> Result<O, StoreError> {
    one(outs)
}

fn one<O>(outs: Vec<O>) -> Result<O, StoreError> {
    let n = outs.len();
    let mut outs = outs.into_iter();
    match (outs.next(), n) {
        (Some(o), 1) => Ok(o),
        _ => Err(StoreError::Internal(format!(
            "coalesced statement: {n} results for 1 call"
        ))),
    }
}

fn gone() -> StoreError {
    StoreError::Internal("coalesced statement: result missing".into())
}

fn poisoned<T>(_: T) -> StoreError {
    StoreError::Internal("coalesced statement: lock poisoned".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    /// A statement that doubles each item, takes a little while, and
    /// records the batches it ran.
    #[derive(Clone, Default)]
    struct Probe {
        batches: Arc<Mutex<Vec<Vec<u32>>>>,
        running: Arc<AtomicUsize>,
        max_running: Arc<AtomicUsize>,
    }

    impl Probe {
        async fn exec(&self, items: Vec<u32>) -> Result<Vec<u32>, StoreError> {
            let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
            self.max_running.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            self.running.fetch_sub(1, Ordering::SeqCst);
            self.batches.lock().unwrap().push(items.clone());
            if items.contains(&13) && items.len() > 1 {
                return Err(StoreError::Internal("13 in a batch".into()));
            }
            if items == [13] {
                return Err(StoreError::Internal("13".into()));
            }
            Ok(items.iter().map(|i| i * 2).collect())
        }
    }

    #[tokio::test]
    async fn a_call_alone_runs_at_once() {
        let c = Coalescer::<u8, u32, u32>::new(1, 8);
        let p = Probe::default();
        assert_eq!(c.run(1, 21, |v| p.exec(v)).await.unwrap(), 42);
        assert_eq!(
            c.stats(),
            CoalesceStats {
                statements: 1,
                items: 1,
                waiting: 0
            }
        );
        assert!(c.inner.lanes.lock().unwrap().is_empty(), "lane removed");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn overlapping_calls_share_statements_and_get_their_own_outputs() {
        let c = Arc::new(Coalescer::<u8, u32, u32>::new(2, 8));
        let p = Probe::default();
        let calls: Vec<_> = (0..40u32)
            .map(|i| {
                let (c, p) = (c.clone(), p.clone());
                tokio::spawn(async move { (i, c.run(7, 100 + i, |v| p.exec(v)).await) })
            })
            .collect();
        for r in futures_join(calls).await {
            let (i, out) = r;
            assert_eq!(out.unwrap(), (100 + i) * 2, "each call gets its own output");
        }
        let batches = p.batches.lock().unwrap().clone();
        let served: usize = batches.iter().map(Vec::len).sum();
        assert_eq!(served, 40);
        assert!(batches.len() < 40, "some calls shared: {batches:?}");
        assert!(batches.iter().all(|b| b.len() <= 8), "max_batch");
        assert!(p.max_running.load(Ordering::SeqCst) <= 2, "max_in_flight");
        assert_eq!(c.stats().items, 40);
        assert!(c.inner.lanes.lock().unwrap().is_empty(), "lane removed");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn keys_never_share_a_statement() {
        let c = Arc::new(Coalescer::<u32, u32, u32>::new(1, 64));
        let p = Probe::default();
        let calls: Vec<_> = (0..30u32)
            .map(|i| {
                let (c, p) = (c.clone(), p.clone());
                // Items of key k are k*100 + ..., so a batch shows its keys.
                tokio::spawn(async move { c.run(i % 3, (i % 3) * 100 + i, |v| p.exec(v)).await })
            })
            .collect();
        for r in futures_join(calls).await {
            r.unwrap();
        }
        let batches = p.batches.lock().unwrap().clone();
        assert!(batches.len() < 30, "some calls shared: {batches:?}");
        for b in &batches {
            assert!(b.iter().all(|i| i / 100 == b[0] / 100), "{b:?}");
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_failed_batch_runs_each_call_alone() {
        let c = Arc::new(Coalescer::<u8, u32, u32>::new(1, 64));
        let p = Probe::default();
        // Occupy the turn so that the next calls queue up into one batch.
        let first = {
            let (c, p) = (c.clone(), p.clone());
            tokio::spawn(async move { c.run(1, 1, |v| p.exec(v)).await })
        };
        tokio::time::sleep(Duration::from_millis(5)).await;
        let calls = [12u32, 13, 14].map(|i| {
            let (c, p) = (c.clone(), p.clone());
            tokio::spawn(async move { (i, c.run(1, i, |v| p.exec(v)).await) })
        });
        assert_eq!(first.await.unwrap().unwrap(), 2);
        for (i, out) in futures_join(calls).await {
            match i {
                13 => assert!(out.is_err(), "its own error"),
                _ => assert_eq!(out.unwrap(), i * 2, "unaffected by 13"),
            }
        }
        let batches = p.batches.lock().unwrap().clone();
        assert!(batches.iter().any(|b| b.len() == 3), "{batches:?}");
        assert!(batches.contains(&vec![12]) && batches.contains(&vec![14]));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_dropped_leader_or_waiter_loses_no_call() {
        let c = Arc::new(Coalescer::<u8, u32, u32>::new(1, 64));
        let p = Probe::default();
        let lead = {
            let (c, p) = (c.clone(), p.clone());
            tokio::spawn(async move { c.run(1, 1, |v| p.exec(v)).await })
        };
        tokio::time::sleep(Duration::from_millis(5)).await;
        let waiting: Vec<_> = (2..8u32)
            .map(|i| {
                let (c, p) = (c.clone(), p.clone());
                tokio::spawn(async move { (i, c.run(1, i, |v| p.exec(v)).await) })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(5)).await;
        // The leader and one waiter go away.
        lead.abort();
        waiting[0].abort();
        let mut rest = waiting.into_iter();
        let _ = rest.next().unwrap().await;
        for h in rest {
            let (i, out) = h.await.unwrap();
            assert_eq!(out.unwrap(), i * 2);
        }
        // And the lane is free again.
        assert_eq!(c.run(1, 50, |v| p.exec(v)).await.unwrap(), 100);
        assert!(c.inner.lanes.lock().unwrap().is_empty());
    }

    async fn futures_join<T: Send + 'static>(
        hs: impl IntoIterator<Item = tokio::task::JoinHandle<T>>,
    ) -> Vec<T> {
        let mut out = Vec::new();
        for h in hs {
            out.push(h.await.unwrap());
        }
        out
    }
}
