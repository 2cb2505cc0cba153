//! Interpreter states: everything one interpreter owns.

use super::gil::Gil;
use super::thread::PyThreadState;
use crate::abi::{PyInterpreterConfig, PyObject};

use crate::memory::heap::{Heap, HeapStats};
use core::ffi::c_int;
use core::ptr::null_mut;
use parking_lot::Mutex;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Every live thread state, so that a deleted one handed back to the API is caught;
/// the lock also guards the per-interpreter thread-state lists.
static LIVE_TSTATES: Mutex<BTreeSet<usize>> = Mutex::new(BTreeSet::new());
static NEXT_THREAD_ID: AtomicU64 = AtomicU64::new(1);

/// Whether `ts` is a thread state that exists now.
pub fn is_live_thread_state(ts: *mut PyThreadState) -> bool {
    LIVE_TSTATES.lock().contains(&(ts as usize))
}

pub type AtExitFn = unsafe extern "C" fn(*mut core::ffi::c_void);
pub type PendingFn = unsafe extern "C" fn(*mut core::ffi::c_void) -> c_int;

pub struct PyInterpreterState {
    pub id: i64,
    pub config: PyInterpreterConfig,
    /// The heap objects of this interpreter come from: `own_heap`, or the main
    /// interpreter's when the config asks to share it.
    pub heap: *mut Heap,
    pub own_heap: Heap,
    pub gil: Arc<Gil>,
    pub tstate_head: *mut PyThreadState,
    /// Next interpreter in the runtime's registry.
    pub next: *mut PyInterpreterState,
    /// `sys.modules`, `sys` and `builtins` of this interpreter (owned references).
    pub modules: *mut PyObject,
    pub sysmod: *mut PyObject,
    pub builtins: *mut PyObject,
    /// `PyInterpreterState_GetDict`, made on first use.
    pub dict: *mut PyObject,
    /// The interned strings (a dict mapping each to itself), made on first use.
    pub interned: *mut PyObject,
    pub atexit: Vec<(AtExitFn, *mut core::ffi::c_void)>,
    pub pending: Mutex<Vec<(PendingFn, usize)>>,
    pub has_pending: std::sync::atomic::AtomicBool,
    /// The status of a `SystemExit` that reached the top of this interpreter
    /// (`Isle_InterpreterExitStatus`); sub-interpreters never end the process.
    pub exit_status: Option<c_int>,
}

impl PyInterpreterState {
    pub fn new(id: i64, config: PyInterpreterConfig, gil: Arc<Gil>) -> Box<Self> {
        let mut interp = Box::new(PyInterpreterState {
            id,
            config,
            heap: null_mut(),
            own_heap: Heap::new(),
            gil,
            tstate_head: null_mut(),
            next: null_mut(),
            modules: null_mut(),
            sysmod: null_mut(),
            builtins: null_mut(),
            dict: null_mut(),
            interned: null_mut(),
            atexit: Vec::new(),
            pending: Mutex::new(Vec::new()),
            has_pending: std::sync::atomic::AtomicBool::new(false),
            exit_status: None,
        });
        interp.heap = &mut interp.own_heap;
        interp
    }

    /// Creates a thread state and links it at the head of this interpreter's list.
    pub fn new_thread_state(&mut self) -> *mut PyThreadState {
        let id = NEXT_THREAD_ID.fetch_add(1, Ordering::Relaxed);
        let ts = Box::into_raw(PyThreadState::new_for(self, self.heap, id));
        let mut live = LIVE_TSTATES.lock();
        // SAFETY: `ts` is fresh; the head, if any, is a live thread state of ours.
        unsafe {
            (*ts).next = self.tstate_head;
            if !self.tstate_head.is_null() {
                (*self.tstate_head).prev = ts;
            }
        }
        self.tstate_head = ts;
        live.insert(ts as usize);
        ts
    }

    /// Unlinks and frees a thread state of this interpreter.
    ///
    /// # Safety
    /// `ts` belongs to this interpreter, is cleared, and is not used afterwards.
    pub unsafe fn free_thread_state(&mut self, ts: *mut PyThreadState) {
        let mut live = LIVE_TSTATES.lock();
        unsafe {
            let t = &mut *ts;
            if t.prev.is_null() {
                self.tstate_head = t.next;
            } else {
                (*t.prev).next = t.next;
            }
            if !t.next.is_null() {
                (*t.next).prev = t.prev;
            }
            live.remove(&(ts as usize));
            drop(Box::from_raw(ts));
        }
    }

    pub fn thread_count(&self) -> usize {
        let _guard = LIVE_TSTATES.lock();
        let mut n = 0;
        let mut t = self.tstate_head;
        while !t.is_null() {
            n += 1;
            // SAFETY: walking our own list.
            t = unsafe { (*t).next };
        }
        n
    }

    /// Returns every page of this interpreter's own heap; what was still live is
    /// reported back.
    pub fn release_memory(&mut self) -> HeapStats {
        self.own_heap.destroy()
    }
}
