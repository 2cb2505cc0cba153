//! Thread-related C types.
#![allow(non_camel_case_types)]

/// What `PyGILState_Ensure` found: the GIL already held (`LOCKED`) or not.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PyGILState_STATE {
    PyGILState_LOCKED = 0,
    PyGILState_UNLOCKED = 1,
}

/// Usage and leak figures of one interpreter's heap (`Isle_InterpreterMemory`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct IsleMemoryStats {
    /// Blocks allocated and not yet freed.
    pub live_blocks: usize,
    /// Bytes in those blocks.
    pub live_bytes: usize,
    /// 4 KiB pages (and large-block spans) the heap holds.
    pub pages: usize,
}
