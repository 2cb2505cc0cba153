//! The global interpreter lock: one per interpreter that asked for its own, shared by
//! legacy interpreters with the main one.

use parking_lot::lock_api::RawMutex as _;
use parking_lot::RawMutex;

/// Bytes of padding on each side of the lock word: a cache line and the adjacent one a
/// prefetcher pulls in with it.
const LINE_PAD: usize = 128;

/// Padded to keep its lock word on cache lines of its own: GILs are small and allocated
/// side by side, and two interpreters' threads locking neighbouring words would slow
/// each other down. Padding rather than alignment, so that `Arc::new` is a plain
/// `malloc` (an over-aligned allocation costs glibc a `posix_memalign`).
#[repr(C)]
pub struct Gil {
    _before: [u8; LINE_PAD],
    lock: RawMutex,
    _after: [u8; LINE_PAD],
}

impl Gil {
    pub const fn new() -> Self {
        Gil { _before: [0; LINE_PAD], lock: RawMutex::INIT, _after: [0; LINE_PAD] }
    }

    pub fn acquire(&self) {
        self.lock.lock();
    }

    pub fn try_acquire(&self) -> bool {
        self.lock.try_lock()
    }

    /// # Safety
    /// The calling thread must hold the lock (taken with `acquire`).
    pub unsafe fn release(&self) {
        unsafe { self.lock.unlock() }
    }

    pub fn is_locked(&self) -> bool {
        self.lock.is_locked()
    }
}

impl Default for Gil {
    fn default() -> Self {
        Self::new()
    }
}
