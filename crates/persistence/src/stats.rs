//! Per-request statement counting: a task-local counter that the
//! connection's metric callback increments. The API opens a scope per HTTP
//! request; statements outside any scope are not counted.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

tokio::task_local! {
    static STATEMENTS: Arc<AtomicU64>;
}

/// Runs `fut` with a fresh statement counter; returns its output and the count.
pub async fn count_statements<F: Future>(fut: F) -> (F::Output, u64) {
    let counter = Arc::new(AtomicU64::new(0));
    let out = STATEMENTS.scope(counter.clone(), fut).await;
    (out, counter.load(Ordering::Relaxed))
}

/// Statements counted so far in the current scope (0 outside any), so that
/// a part of a scope can be measured by difference.
pub fn statements_so_far() -> u64 {
    STATEMENTS
        .try_with(|c| c.load(Ordering::Relaxed))
        .unwrap_or(0)
}

pub(crate) fn record_statement() {
    let _ = STATEMENTS.try_with(|c| c.fetch_add(1, Ordering::Relaxed));
}
