//! The global interpreter lock: one per interpreter that asked for its own, shared by
//! legacy interpreters with the main one.

use parking_lot::lock_api::RawMutex as _;
use parking_lot::RawMutex;

/// Aligned to its own cache lines: GILs are small and allocated side by side, and two
/// interpreters' threads locking neighbouring words would slow each other down.
#[repr(align(128))]
pub struct Gil {
    lock: RawMutex,
}

impl Gil {
    pub const fn new() -> Self {
        Gil { lock: RawMutex::INIT }
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
