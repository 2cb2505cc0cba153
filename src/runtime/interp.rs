//! Interpreter states: everything one interpreter owns.

use super::errors::PyResult;
use super::gil::Gil;
use super::thread::PyThreadState;
use crate::abi::{PyInterpreterConfig, PyObject};

use crate::memory::heap::{Heap, HeapStats};
use core::cell::Cell;
use core::ffi::c_int;
use core::ptr::{self, null_mut};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A thread state's memory, with its generation beside it (odd while the thread state
/// exists, even once deleted). Slots are never given back to the C library but
/// recycled: a host may hand a deleted thread state back to the API, and telling it
/// apart must read memory that is still ours, without a process-wide registry.
/// Aligned to cache lines so that thread states of different interpreters, written
/// on every GIL switch, never share one.
#[repr(C, align(128))]
struct Slot {
    /// First, so that a thread-state pointer is a slot pointer.
    ts: PyThreadState,
    generation: AtomicU64,
}

/// Slots of ended interpreters, for the next interpreter's thread states.
static SPARE_SLOTS: Mutex<Vec<SlotPtr>> = Mutex::new(Vec::new());

struct SlotPtr(*mut Slot);
// SAFETY: a spare slot holds no thread state; whoever pops it owns it.
unsafe impl Send for SlotPtr {}

/// The generation of a thread state: odd while it exists, even once deleted, and
/// different for every thread state that later reuses the memory.
///
/// # Safety
/// `ts` was handed out as a thread state by this runtime (deleted or not); slots are
/// never freed, so it stays readable.
pub unsafe fn generation_of(ts: *mut PyThreadState) -> u64 {
    // SAFETY: as above; `generation` is only touched atomically, beside the thread state.
    unsafe { (*(ts as *mut Slot)).generation.load(Ordering::Acquire) }
}

/// Whether `ts` is a thread state that exists now (one atomic load, no lock).
///
/// # Safety
/// As for `generation_of`: a pointer that never was a thread state is not detected.
pub unsafe fn is_live_thread_state(ts: *mut PyThreadState) -> bool {
    let generation = unsafe { generation_of(ts) };
    generation & 1 == 1
}

/// The interpreter's thread states: which slots it may reuse, and the ids it gave out.
/// Its lock also guards the `tstate_head` list.
pub struct Threads {
    spare: Vec<SlotPtr>,
    issued: u64,
}

/// A slot from the C library; it is never freed (see `Slot`).
fn new_slot() -> *mut Slot {
    let blank = PyThreadState::fresh(null_mut(), null_mut(), 0);
    Box::into_raw(Box::new(Slot { ts: blank, generation: AtomicU64::new(0) }))
}

/// The object in `cell`, made by `make` on first use (a borrowed reference).
pub fn get_or_make(
    cell: &Cell<*mut PyObject>,
    make: impl FnOnce() -> PyResult<*mut PyObject>,
) -> PyResult<*mut PyObject> {
    if cell.get().is_null() {
        cell.set(make()?);
    }
    Ok(cell.get())
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
    pub threads: Mutex<Threads>,
    /// Next interpreter in the runtime's registry.
    pub next: *mut PyInterpreterState,
    // The fields below are only touched by a thread holding this interpreter's GIL.
    // They are `Cell`s so that code holding a shared reference can fill them in (some
    // lazily) without a `&mut` that a callback into the host could alias.
    /// `sys.modules`, `sys` and `builtins` of this interpreter (owned references). A
    /// sub-interpreter makes them on first use: read them through
    /// `lifecycle::modules_dict`, `sys_module` and `builtins_module`.
    pub(in crate::runtime) modules: Cell<*mut PyObject>,
    pub(in crate::runtime) sysmod: Cell<*mut PyObject>,
    pub(in crate::runtime) builtins: Cell<*mut PyObject>,
    /// `PyInterpreterState_GetDict`, made on first use.
    pub dict: Cell<*mut PyObject>,
    /// The interned strings (a dict mapping each to itself), made on first use.
    pub interned: Cell<*mut PyObject>,
    /// The dicts of static types and the method cache (`objects::typestate`).
    pub types: crate::objects::typestate::TypeStateCell,
    pub atexit: Cell<Vec<(AtExitFn, *mut core::ffi::c_void)>>,
    /// The live module objects (borrowed): the interpreter's end clears them all, which
    /// breaks the cycles between modules and their functions (isle has no cycle
    /// collector), and runs the `m_free` of any still alive.
    pub live_modules: Cell<Vec<*mut PyObject>>,
    /// Single-phase modules by their def's `m_index` (a list, made on first use;
    /// `PyState_FindModule`).
    pub modules_by_index: Cell<*mut PyObject>,
    /// The full dotted name of the extension being loaded, for single-phase modules
    /// whose def names only the last component.
    pub loading_name: Cell<Option<String>>,
    /// The status of a `SystemExit` that reached the top of this interpreter
    /// (`Isle_InterpreterExitStatus`); sub-interpreters never end the process.
    pub exit_status: Cell<Option<c_int>>,
    pub pending: Mutex<Vec<(PendingFn, usize)>>,
    pub has_pending: std::sync::atomic::AtomicBool,
    /// How it was made (`_interpreters.WHENCE_*`), read by any thread.
    pub whence: std::sync::atomic::AtomicI32,
    /// Set while the interpreters module runs something in it (`is_running`); claimed
    /// and released under the registry lock (`crossinterp::interpreters`).
    pub running: std::sync::atomic::AtomicBool,
}

/// The `_interpreters.WHENCE_*` values: where an interpreter came from.
pub(crate) const WHENCE_RUNTIME: i32 = 1;
pub(crate) const WHENCE_LEGACY_CAPI: i32 = 2;
pub(crate) const WHENCE_CAPI: i32 = 3;
pub(crate) const WHENCE_STDLIB: i32 = 5;

impl PyInterpreterState {
    pub fn new(id: i64, config: PyInterpreterConfig, gil: Arc<Gil>) -> Box<Self> {
        let mut interp = Box::new(PyInterpreterState {
            id,
            config,
            heap: null_mut(),
            own_heap: Heap::new(),
            gil,
            tstate_head: null_mut(),
            threads: Mutex::new(Threads { spare: Vec::new(), issued: 0 }),
            next: null_mut(),
            modules: Cell::new(null_mut()),
            sysmod: Cell::new(null_mut()),
            builtins: Cell::new(null_mut()),
            dict: Cell::new(null_mut()),
            interned: Cell::new(null_mut()),
            types: Default::default(),
            atexit: Cell::new(Vec::new()),
            live_modules: Cell::new(Vec::new()),
            modules_by_index: Cell::new(null_mut()),
            loading_name: Cell::new(None),
            exit_status: Cell::new(None),
            pending: Mutex::new(Vec::new()),
            has_pending: std::sync::atomic::AtomicBool::new(false),
            whence: std::sync::atomic::AtomicI32::new(if id == 0 { WHENCE_RUNTIME } else { WHENCE_CAPI }),
            running: std::sync::atomic::AtomicBool::new(false),
        });
        interp.heap = &mut interp.own_heap;
        interp
    }

    /// Registers a `PyUnstable_AtExit` callback.
    pub fn add_atexit(&self, func: AtExitFn, data: *mut core::ffi::c_void) {
        let mut list = self.atexit.take();
        list.push((func, data));
        self.atexit.set(list);
    }

    /// Creates a thread state and links it at the head of this interpreter's list.
    /// Takes only this interpreter's lock (and the spare-slot pool when its own spares
    /// ran out).
    pub fn new_thread_state(&mut self) -> *mut PyThreadState {
        let this: *mut PyInterpreterState = self;
        let mut threads = self.threads.lock();
        threads.issued += 1;
        // Unique in the process: the interpreter id above, a per-interpreter count below.
        let id = ((self.id as u64) << 32) | threads.issued;
        let slot = threads.spare.pop().or_else(|| SPARE_SLOTS.lock().pop()).map_or_else(new_slot, |s| s.0);
        // SAFETY: `slot` is ours and holds no thread state (a fresh one, or a deleted
        // one whose owned fields were emptied), so overwriting drops nothing.
        unsafe {
            ptr::write(&mut (*slot).ts, PyThreadState::fresh(this, self.heap, id));
            (*slot).generation.fetch_add(1, Ordering::Release);
        }
        let ts = slot as *mut PyThreadState;
        // SAFETY: `ts` is fresh; the head, if any, is a live thread state of ours.
        unsafe {
            (*ts).next = self.tstate_head;
            if !self.tstate_head.is_null() {
                (*self.tstate_head).prev = ts;
            }
        }
        self.tstate_head = ts;
        drop(threads);
        ts
    }

    /// Unlinks a thread state of this interpreter and keeps its slot for reuse.
    ///
    /// # Safety
    /// `ts` belongs to this interpreter, is cleared, and is not used afterwards.
    pub unsafe fn free_thread_state(&mut self, ts: *mut PyThreadState) {
        let mut threads = self.threads.lock();
        // SAFETY: `ts` is a live thread state on our list.
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
            // Whatever owns memory goes now; the rest is overwritten on reuse.
            drop(core::mem::take(&mut t.repr_stack));
            drop(core::mem::take(&mut t.deferred_deallocs));
            (*(ts as *mut Slot)).generation.fetch_add(1, Ordering::Release);
        }
        threads.spare.push(SlotPtr(ts as *mut Slot));
    }

    pub fn thread_count(&self) -> usize {
        let _guard = self.threads.lock();
        let mut n = 0;
        let mut t = self.tstate_head;
        while !t.is_null() {
            n += 1;
            // SAFETY: walking our own list under its lock.
            t = unsafe { (*t).next };
        }
        n
    }

    /// Hands this interpreter's spare slots to the process-wide pool (it is ending).
    pub fn give_back_slots(&mut self) {
        let spare = core::mem::take(&mut self.threads.lock().spare);
        SPARE_SLOTS.lock().extend(spare);
    }

    /// Returns every page of this interpreter's own heap; what was still live is
    /// reported back.
    pub fn release_memory(&mut self) -> HeapStats {
        self.own_heap.destroy()
    }
}
