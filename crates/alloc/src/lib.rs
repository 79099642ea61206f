//! The process's allocator, and [`collect`], which hands the calling
//! thread's freed memory back to the system.
//!
//! mimalloc keeps the pages a thread freed for that thread's next
//! allocations; a worker that falls idle after a burst of large responses
//! would keep them (RSS stayed hundreds of MiB above its resting size).
//! `steward serve` calls [`collect`] on each runtime worker as it goes idle
//! after large responses (see the binary's runtime set-up).
//!
//! Not all of the process's memory is mimalloc's: SQLite (bundled C) copies
//! every column value it hands to sqlx with `sqlite3_malloc`, that is the C
//! library's `malloc`, on the driver's own threads. glibc keeps what those
//! threads freed in per-thread arenas, so after a burst of large responses
//! on SQLite the process stayed ~300 MiB above its resting size until
//! [`trim_system_heap`] (`malloc_trim(0)`) gave it back.

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

/// Returns the free memory of the C library's heap (every arena) to the
/// system: `malloc_trim(0)` on glibc, nothing elsewhere. Process-wide, so one
/// call per burst is enough.
pub fn trim_system_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` takes no pointers; glibc locks each arena while
    // it trims it, so it may run while other threads allocate.
    #[allow(unsafe_code)]
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn collecting_is_safe_with_live_allocations() {
        let keep: Vec<Vec<u8>> = (0..1000).map(|i| vec![0u8; i * 10]).collect();
        super::collect();
        super::trim_system_heap();
        assert_eq!(keep[999].len(), 9990);
    }
}
