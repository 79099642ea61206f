//! The process's allocator, and [`collect`], which hands the calling
//! thread's freed memory back to the system.
//!
//! mimalloc keeps the pages a thread freed for that thread's next
//! allocations; a worker that falls idle after a burst of large responses
//! would keep them (RSS stayed hundreds of MiB above its resting size).
//! `steward serve` calls [`collect`] on each runtime worker as it goes idle
//! after large responses (see the binary's runtime set-up).

pub use mimalloc::MiMalloc;

/// Frees the calling thread's empty pages and returns them, and the
/// process's purgeable arena memory, to the system (`mi_collect(true)`).
pub fn collect() {
    // SAFETY: `mi_collect` takes no pointers and may be called from any
    // thread at any time; it only walks mimalloc's own structures.
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn collecting_is_safe_with_live_allocations() {
        let keep: Vec<Vec<u8>> = (0..1000).map(|i| vec![0u8; i * 10]).collect();
        super::collect();
        assert_eq!(keep[999].len(), 9990);
    }
}
