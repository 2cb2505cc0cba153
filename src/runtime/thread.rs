//! Thread states: what one OS thread is doing inside one interpreter.

use super::interp::PyInterpreterState;
use crate::abi::PyObject;
use crate::memory::heap::Heap;
use core::ptr::null_mut;

/// A thread state. The first three fields are public ABI (CPython's own embedding
/// tests read `ts->interp`); the rest is private to isle.
#[repr(C)]
pub struct PyThreadState {
    pub prev: *mut PyThreadState,
    pub next: *mut PyThreadState,
    pub interp: *mut PyInterpreterState,
    /// The heap of `interp`, cached here because allocation reads it on every call.
    pub heap: *mut Heap,
    /// The raised exception (a normalized instance), owned; null when none.
    pub current_exception: *mut PyObject,
    pub dict: *mut PyObject,
    pub id: u64,
    /// Whether this thread state currently holds its interpreter's GIL.
    pub holds_gil: bool,
    pub recursion_depth: i32,
    /// Containers whose repr is being computed on this thread, innermost last: a
    /// container met again while on this stack prints as `[...]` instead of recursing.
    pub repr_stack: Vec<*mut PyObject>,
    /// How many container deallocations are running on this thread, one inside the
    /// other, and the ones put off because that nesting got too deep (see
    /// `objects::containers::dealloc_nested`).
    pub dealloc_depth: u32,
    pub deferred_deallocs: Vec<(*mut PyObject, unsafe fn(*mut PyObject))>,
}

/// Cheap handle on the current thread state, passed down from the API layer so that
/// the thread-local is read once per call.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Ts(pub *mut PyThreadState);

#[allow(unused_doc_comments)] // the comment below is read by cbindgen
/// cbindgen:ignore
extern "C" {
    // Declared with void pointers: the C side never looks inside.
    fn isle_tls_get() -> *mut core::ffi::c_void;
    fn isle_tls_swap(ts: *mut core::ffi::c_void) -> *mut core::ffi::c_void;
}

impl Ts {
    /// The thread state bound to this OS thread, if any.
    #[inline]
    pub fn current() -> Option<Ts> {
        // SAFETY: reads a thread-local pointer.
        let p = unsafe { isle_tls_get() } as *mut PyThreadState;
        if p.is_null() {
            None
        } else {
            Some(Ts(p))
        }
    }

    #[inline]
    pub fn current_raw() -> *mut PyThreadState {
        unsafe { isle_tls_get() as *mut PyThreadState }
    }

    #[inline]
    pub fn state(self) -> &'static mut PyThreadState {
        // SAFETY: a Ts is only made from a live thread state of this OS thread.
        unsafe { &mut *self.0 }
    }

    /// The heap this thread state allocates from (a pointer: the heap is only used
    /// for the length of one allocation, never borrowed across calls).
    #[inline]
    pub fn heap_ptr(self) -> *mut Heap {
        // SAFETY: a Ts is only made from a live thread state; one field read.
        unsafe { (*self.0).heap }
    }

    #[inline]
    pub fn interp(self) -> &'static mut PyInterpreterState {
        unsafe { &mut *self.state().interp }
    }
}

impl crate::memory::HeapSource for Ts {
    #[inline]
    fn heap_ptr(self) -> *mut Heap {
        Ts::heap_ptr(self)
    }
}

/// Makes `ts` the current thread state of this OS thread; returns the previous one.
pub fn swap_current(ts: *mut PyThreadState) -> *mut PyThreadState {
    // SAFETY: writes a thread-local pointer.
    unsafe { isle_tls_swap(ts as *mut core::ffi::c_void) as *mut PyThreadState }
}

impl PyThreadState {
    pub fn fresh(interp: *mut PyInterpreterState, heap: *mut Heap, id: u64) -> Self {
        PyThreadState {
            prev: null_mut(),
            next: null_mut(),
            interp,
            heap,
            current_exception: null_mut(),
            dict: null_mut(),
            id,
            holds_gil: false,
            recursion_depth: 0,
            repr_stack: Vec::new(),
            dealloc_depth: 0,
            deferred_deallocs: Vec::new(),
        }
    }
}
