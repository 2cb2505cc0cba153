//! isle's cross-interpreter queues and shareable values (`Isle_Queue*`,
//! `Isle_IsShareable`), declared in `isle/abi.h` and described in `isle/isle.h`.
//!
//! A queue handle is an `Arc<Queue>` turned into a raw pointer; each handle is one
//! strong reference, released by `Isle_QueueRelease`.

use super::{api, require, IntoC};
use crate::abi::*;
use crate::crossinterp::queue::{Queue, Refusal, Wait};
use crate::crossinterp::share::{self, Shared};
use crate::objects::exceptions::{self, Exc};
use crate::runtime::boundary;
use crate::runtime::errors;
use crate::runtime::thread::Ts;
use core::ffi::{c_int, c_void};
use core::ptr::null_mut;
use std::sync::Arc;

fn into_handle(q: Arc<Queue>) -> *mut IsleQueue {
    Arc::into_raw(q) as *mut IsleQueue
}

/// The queue behind a handle, borrowed for the length of one call.
///
/// # Safety
/// `q` is a live handle from `into_handle`.
unsafe fn queue<'a>(q: *mut IsleQueue) -> &'a Queue {
    // SAFETY: the caller promises a live handle, which keeps the queue alive.
    unsafe { &*(q as *const Queue) }
}

/// Raises the exception a refusal stands for; returns the error value.
fn raise_refusal(ts: Ts, r: Refusal) {
    let (exc, message) = match r {
        Refusal::Empty => (Exc::QueueEmpty, "the queue is empty"),
        Refusal::Full => (Exc::QueueFull, "the queue is full"),
        Refusal::Closed => (Exc::QueueClosedError, "the queue is closed"),
    };
    errors::set_string(ts, exceptions::exc(exc), message);
}

fn refusal_code(r: Refusal) -> c_int {
    match r {
        Refusal::Empty => ISLE_QUEUE_EMPTY,
        Refusal::Full => ISLE_QUEUE_FULL,
        Refusal::Closed => ISLE_QUEUE_CLOSED,
    }
}

/// A new queue holding at most `maxsize` items and `maxbytes` bytes of payload (0:
/// no bound). Works without an interpreter. NULL for a negative bound (with
/// `ValueError` when the caller has a thread state).
#[no_mangle]
pub extern "C" fn Isle_QueueNew(maxsize: Py_ssize_t, maxbytes: Py_ssize_t) -> *mut IsleQueue {
    boundary::guard(|| {
        if maxsize < 0 || maxbytes < 0 {
            if let Some(ts) = Ts::current() {
                errors::value_error(ts, "queue bounds must not be negative");
            }
            return null_mut();
        }
        into_handle(Queue::new(maxsize as usize, maxbytes as usize))
    })
}

/// A new handle on the queue with this id, or NULL if none exists (any more).
#[no_mangle]
pub extern "C" fn Isle_QueueFromId(id: i64) -> *mut IsleQueue {
    boundary::guard(|| Queue::find(id).map_or(null_mut(), into_handle))
}

/// The queue's process-wide id; -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn Isle_QueueId(q: *mut IsleQueue) -> i64 {
    // SAFETY: a live handle, as every Isle_Queue* function requires.
    boundary::guard(|| if q.is_null() { -1 } else { unsafe { queue(q) }.id })
}

/// Releases a handle; the queue (and what it still holds) goes with the last one.
#[no_mangle]
pub unsafe extern "C" fn Isle_QueueRelease(q: *mut IsleQueue) {
    boundary::guard(|| {
        if !q.is_null() {
            // SAFETY: each handle is one strong reference made by `into_handle`.
            drop(unsafe { Arc::from_raw(q as *const Queue) });
        }
    })
}

/// Items queued now; -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn Isle_QueueSize(q: *mut IsleQueue) -> Py_ssize_t {
    // SAFETY: a live handle, as every Isle_Queue* function requires.
    boundary::guard(|| if q.is_null() { -1 } else { unsafe { queue(q) }.len() as Py_ssize_t })
}

/// Closes the queue: later puts fail, gets drain what is left and then fail, and
/// every waiter wakes. -1 for NULL.
#[no_mangle]
pub unsafe extern "C" fn Isle_QueueClose(q: *mut IsleQueue) -> c_int {
    boundary::guard(|| {
        if q.is_null() {
            return -1;
        }
        // SAFETY: a live handle, as every Isle_Queue* function requires.
        unsafe { queue(q) }.close();
        0
    })
}

/// 1 if `obj` can be put in a queue, else 0 (never raises).
#[no_mangle]
pub unsafe extern "C" fn Isle_IsShareable(obj: *mut PyObject) -> c_int {
    api!(|ts| if obj.is_null() { 0 } else { share::is_shareable(ts, obj) as c_int })
}

fn wait_or_raise(ts: Ts, timeout: f64) -> Option<Wait> {
    let wait = Wait::from_seconds(timeout);
    if wait.is_none() {
        errors::value_error(ts, "timeout must not be NaN");
    }
    wait
}

/// Copies `obj` into the queue, waiting up to `timeout` seconds for room (negative:
/// forever, 0: not at all) with the GIL released. 0, or -1 with `NotShareableError`
/// (nothing was queued), `QueueFull`, `QueueClosedError` or `ValueError` set.
#[no_mangle]
pub unsafe extern "C" fn Isle_QueuePut(q: *mut IsleQueue, obj: *mut PyObject, timeout: f64) -> c_int {
    api!(|ts| {
        require!(ts; q, obj);
        let Some(wait) = wait_or_raise(ts, timeout) else { return -1 };
        let Ok(value) = share::pack(ts, obj) else { return -1 };
        // SAFETY: a live handle, as every Isle_Queue* function requires.
        match unsafe { queue(q) }.put(Some(ts), value, wait) {
            Ok(()) => 0,
            Err(r) => {
                raise_refusal(ts, r);
                -1
            }
        }
    })
}

/// Takes the front item as a new object of the current interpreter, waiting up to
/// `timeout` seconds (as `Isle_QueuePut`). NULL with `QueueEmpty`,
/// `QueueClosedError` or `ValueError` set.
#[no_mangle]
pub unsafe extern "C" fn Isle_QueueGet(q: *mut IsleQueue, timeout: f64) -> *mut PyObject {
    api!(|ts| {
        require!(ts; q);
        let Some(wait) = wait_or_raise(ts, timeout) else { return null_mut() };
        // SAFETY: a live handle, as every Isle_Queue* function requires.
        match unsafe { queue(q) }.get(Some(ts), wait) {
            Ok(value) => share::unpack(ts, &value).into_c(),
            Err(r) => {
                raise_refusal(ts, r);
                null_mut()
            }
        }
    })
}

/// Queues `size` bytes at `data` as a bytes item, from any thread, with or without
/// an interpreter (a thread state that is attached has its GIL released while this
/// waits). `ISLE_QUEUE_OK`, `_FULL`, `_CLOSED`, or -1 for bad arguments.
#[no_mangle]
pub unsafe extern "C" fn Isle_QueuePutBytes(
    q: *mut IsleQueue,
    data: *const c_void,
    size: usize,
    timeout: f64,
) -> c_int {
    boundary::guard(|| {
        let Some(wait) = Wait::from_seconds(timeout) else { return -1 };
        if q.is_null() || (data.is_null() && size > 0) {
            return -1;
        }
        let bytes: Box<[u8]> = if size == 0 {
            Box::new([])
        } else {
            // SAFETY: the caller passes `size` readable bytes.
            unsafe { core::slice::from_raw_parts(data as *const u8, size) }.into()
        };
        // SAFETY: a live handle, as every Isle_Queue* function requires.
        match unsafe { queue(q) }.put(Ts::current(), Shared::Bytes(bytes), wait) {
            Ok(()) => ISLE_QUEUE_OK,
            Err(r) => refusal_code(r),
        }
    })
}

/// Takes the front item if it is bytes, from any thread (as `Isle_QueuePutBytes`):
/// `*data` receives a copy in `PyMem_RawMalloc` memory (the caller frees it with
/// `PyMem_RawFree`) and `*size` its length. `ISLE_QUEUE_OK`, `_EMPTY`, `_CLOSED`,
/// `_NOT_BYTES` (the item stays queued), or -1 for bad arguments or no memory.
#[no_mangle]
pub unsafe extern "C" fn Isle_QueueGetBytes(
    q: *mut IsleQueue,
    data: *mut *mut c_void,
    size: *mut usize,
    timeout: f64,
) -> c_int {
    boundary::guard(|| {
        let Some(wait) = Wait::from_seconds(timeout) else { return -1 };
        if q.is_null() || data.is_null() || size.is_null() {
            return -1;
        }
        let is_bytes = |v: &Shared| matches!(v, Shared::Bytes(_));
        // SAFETY: a live handle, as every Isle_Queue* function requires.
        match unsafe { queue(q) }.take_front_if(Ts::current(), wait, is_bytes) {
            Ok(Some(Shared::Bytes(b))) => {
                // SAFETY: plain malloc, as PyMem_RawMalloc is, so PyMem_RawFree frees it.
                let copy = unsafe { libc::malloc(b.len().max(1)) } as *mut u8;
                if copy.is_null() {
                    return -1;
                }
                // SAFETY: `copy` has room for `b.len()` bytes; out-pointers checked.
                unsafe {
                    core::ptr::copy_nonoverlapping(b.as_ptr(), copy, b.len());
                    *data = copy as *mut c_void;
                    *size = b.len();
                }
                ISLE_QUEUE_OK
            }
            Ok(_) => ISLE_QUEUE_NOT_BYTES,
            Err(r) => refusal_code(r),
        }
    })
}

/// A file descriptor (a Linux eventfd) that is readable while the queue holds items
/// or is closed, for a host event loop to wait on (`poll`, `epoll`, ...) before it
/// takes items; the queue resets it when a get empties it. Made on first call and
/// owned by the queue (the caller must not close it); -1 for NULL or when the
/// system refuses one.
#[no_mangle]
pub unsafe extern "C" fn Isle_QueueGetEventFd(q: *mut IsleQueue) -> c_int {
    boundary::guard(|| {
        if q.is_null() {
            return -1;
        }
        // SAFETY: a live handle, as every Isle_Queue* function requires.
        unsafe { queue(q) }.event_fd().unwrap_or(-1)
    })
}

/// Holds a place in the queue for a bytes item of `size` bytes, waiting up to
/// `timeout` seconds for room (as `Isle_QueuePutBytes`, from any thread), and sets
/// `*data` to a block of that size for the caller to fill; `Isle_QueueCommit`
/// queues the block as it is (no copy), `Isle_QueueAbort` drops it. The place
/// counts against the queue's bounds until then. `ISLE_QUEUE_OK`, `_FULL`, `_CLOSED`,
/// or -1 for bad arguments or when the block cannot be allocated.
#[no_mangle]
pub unsafe extern "C" fn Isle_QueueReserveBytes(
    q: *mut IsleQueue,
    size: usize,
    data: *mut *mut c_void,
    timeout: f64,
) -> c_int {
    boundary::guard(|| {
        let Some(wait) = Wait::from_seconds(timeout) else { return -1 };
        if q.is_null() || data.is_null() {
            return -1;
        }
        // SAFETY: a live handle, as every Isle_Queue* function requires.
        match unsafe { queue(q) }.reserve(Ts::current(), size, wait) {
            None => -1,
            Some(Ok(block)) => {
                // SAFETY: the out-pointer was checked.
                unsafe { *data = block as *mut c_void };
                ISLE_QUEUE_OK
            }
            Some(Err(r)) => refusal_code(r),
        }
    })
}

/// Queues the block `Isle_QueueReserveBytes` handed out; the caller must not touch it
/// afterwards. `ISLE_QUEUE_OK`; `ISLE_QUEUE_CLOSED` when the queue was closed
/// meanwhile (the block is freed); -1 when `data` is not a reservation of `q`.
#[no_mangle]
pub unsafe extern "C" fn Isle_QueueCommit(q: *mut IsleQueue, data: *mut c_void) -> c_int {
    boundary::guard(|| {
        if q.is_null() {
            return -1;
        }
        // SAFETY: a live handle, as every Isle_Queue* function requires.
        match unsafe { queue(q) }.commit(data as *mut u8) {
            Some(Ok(())) => ISLE_QUEUE_OK,
            Some(Err(r)) => refusal_code(r),
            None => -1,
        }
    })
}

/// Frees a block `Isle_QueueReserveBytes` handed out, without queueing it, and gives
/// its place back. 0, or -1 when `data` is not a reservation of `q`.
#[no_mangle]
pub unsafe extern "C" fn Isle_QueueAbort(q: *mut IsleQueue, data: *mut c_void) -> c_int {
    boundary::guard(|| {
        if q.is_null() {
            return -1;
        }
        // SAFETY: a live handle, as every Isle_Queue* function requires.
        if unsafe { queue(q) }.abort(data as *mut u8) {
            0
        } else {
            -1
        }
    })
}
