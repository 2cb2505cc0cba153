//! The C types of isle's cross-interpreter queues (`Isle_Queue*`).

/// A handle on a queue (`Isle_QueueNew`, `Isle_QueueFromId`), released with
/// `Isle_QueueRelease`. Opaque to C.
pub struct IsleQueue {
    _private: (),
}

/// Results of the queue functions that work without an interpreter.
pub const ISLE_QUEUE_OK: core::ffi::c_int = 0;
/// Nothing to get before the timeout.
pub const ISLE_QUEUE_EMPTY: core::ffi::c_int = 1;
/// No room before the timeout.
pub const ISLE_QUEUE_FULL: core::ffi::c_int = 2;
/// The queue is closed (and, for a get, drained).
pub const ISLE_QUEUE_CLOSED: core::ffi::c_int = 3;
/// The front item is not bytes; it stays in the queue.
pub const ISLE_QUEUE_NOT_BYTES: core::ffi::c_int = 4;
