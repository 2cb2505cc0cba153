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
    pub deferred_deallocs: Vec<(*mut PyObject, ReleaseFn)>,
}

/// Frees one container whose deallocation was put off (see `deferred_deallocs`).
pub type ReleaseFn = unsafe fn(*mut PyObject);

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

    // The accessors below each touch one field through the raw pointer and hand out
    // no reference: code that runs between two of them (a slot, a callback into the
    // host) may use the same thread state. SAFETY, for all of them: a Ts is only made
    // from a live thread state of this OS thread, which no other thread touches.

    /// The raised exception (borrowed), or null.
    #[inline]
    pub fn exception(self) -> *mut PyObject {
        unsafe { (*self.0).current_exception }
    }

    /// Puts `exc` (owned, or null) in place of the raised exception, which is returned.
    #[inline]
    pub fn replace_exception(self, exc: *mut PyObject) -> *mut PyObject {
        unsafe { core::mem::replace(&mut (*self.0).current_exception, exc) }
    }

    #[inline]
    pub fn recursion_depth(self) -> i32 {
        unsafe { (*self.0).recursion_depth }
    }

    #[inline]
    pub fn set_recursion_depth(self, depth: i32) {
        unsafe { (*self.0).recursion_depth = depth }
    }

    #[inline]
    pub fn dealloc_depth(self) -> u32 {
        unsafe { (*self.0).dealloc_depth }
    }

    #[inline]
    pub fn set_dealloc_depth(self, depth: u32) {
        unsafe { (*self.0).dealloc_depth = depth }
    }

    /// Puts off the release of `o` until the outermost deallocation finishes.
    pub fn defer_dealloc(self, o: *mut PyObject, release: ReleaseFn) {
        unsafe { (*self.0).deferred_deallocs.push((o, release)) }
    }

    pub fn next_deferred_dealloc(self) -> Option<(*mut PyObject, ReleaseFn)> {
        unsafe { (*self.0).deferred_deallocs.pop() }
    }

    /// Marks `o` as being repr'd on this thread: false when it already was.
    pub fn repr_enter(self, o: *mut PyObject) -> bool {
        let stack = unsafe { &mut (*self.0).repr_stack };
        if stack.contains(&o) {
            return false;
        }
        stack.push(o);
        true
    }

    /// Ends the innermost `repr_enter` of `o`.
    pub fn repr_leave(self, o: *mut PyObject) {
        let stack = unsafe { &mut (*self.0).repr_stack };
        if let Some(i) = stack.iter().rposition(|&p| p == o) {
            stack.remove(i);
        }
    }

    /// The thread state's dict (`PyThreadState_GetDict`), borrowed; null if not made.
    #[inline]
    pub fn dict(self) -> *mut PyObject {
        unsafe { (*self.0).dict }
    }

    #[inline]
    pub fn set_dict(self, d: *mut PyObject) {
        unsafe { (*self.0).dict = d }
    }

    /// The heap this thread state allocates from (a pointer: the heap is only used
    /// for the length of one allocation, never borrowed across calls).
    #[inline]
    pub fn heap_ptr(self) -> *mut Heap {
        // SAFETY: a Ts is only made from a live thread state; one field read.
        unsafe { (*self.0).heap }
    }

    /// The interpreter; shared, since other thread states of it (and the host, through
    /// callbacks) use it too. Its GIL-guarded fields are `Cell`s.
    #[inline]
    pub fn interp(self) -> &'static PyInterpreterState {
        // SAFETY: the interpreter outlives each of its thread states.
        unsafe { &*(*self.0).interp }
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
