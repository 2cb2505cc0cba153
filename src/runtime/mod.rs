//! The process-wide runtime: which interpreters exist, start-up and shut-down.

pub mod boundary;
pub mod config;
pub mod errors;
pub mod gil;
pub mod import;
pub mod interp;
pub mod lifecycle;
pub mod pending;
pub mod report;
pub mod switch;
pub mod thread;

use interp::PyInterpreterState;
use parking_lot::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicPtr, Ordering};

/// Live interpreters, newest first, linked through `PyInterpreterState::next`.
pub struct Registry {
    pub head: *mut PyInterpreterState,
    pub main: *mut PyInterpreterState,
}

// SAFETY: the registry's pointers are only followed under its lock (or by the owner of
// the interpreter they point to).
unsafe impl Send for Registry {}

pub static REGISTRY: Mutex<Registry> =
    Mutex::new(Registry { head: core::ptr::null_mut(), main: core::ptr::null_mut() });

static INITIALIZED: AtomicBool = AtomicBool::new(false);
static FINALIZING: AtomicBool = AtomicBool::new(false);
/// Interpreter ids are never reused in a process; 0 is always the main interpreter.
static NEXT_INTERP_ID: AtomicI64 = AtomicI64::new(1);

pub fn is_initialized() -> bool {
    INITIALIZED.load(Ordering::Acquire)
}

pub fn is_finalizing() -> bool {
    FINALIZING.load(Ordering::Acquire)
}

/// `Registry::main`, readable without the registry lock: `PyGILState_Ensure` asks for
/// it on every call, from every interpreter's threads.
static MAIN: AtomicPtr<PyInterpreterState> = AtomicPtr::new(core::ptr::null_mut());

pub fn main_interp() -> *mut PyInterpreterState {
    MAIN.load(Ordering::Acquire)
}

fn next_interp_id() -> i64 {
    NEXT_INTERP_ID.fetch_add(1, Ordering::Relaxed)
}

fn register(interp: *mut PyInterpreterState, is_main: bool) {
    let mut r = REGISTRY.lock();
    // SAFETY: `interp` is a fresh interpreter not yet visible to anyone else.
    unsafe { (*interp).next = r.head };
    r.head = interp;
    if is_main {
        r.main = interp;
        MAIN.store(interp, Ordering::Release);
    }
}

fn unregister(interp: *mut PyInterpreterState) {
    let mut r = REGISTRY.lock();
    let mut link: *mut *mut PyInterpreterState = &mut r.head;
    // SAFETY: walking the registry under its lock.
    unsafe {
        while !(*link).is_null() {
            if *link == interp {
                *link = (*interp).next;
                break;
            }
            link = &mut (**link).next;
        }
    }
    if r.main == interp {
        r.main = core::ptr::null_mut();
        MAIN.store(core::ptr::null_mut(), Ordering::Release);
    }
}

/// Every live interpreter, newest first.
pub fn interpreters() -> Vec<*mut PyInterpreterState> {
    let r = REGISTRY.lock();
    let mut out = Vec::new();
    let mut i = r.head;
    while !i.is_null() {
        out.push(i);
        // SAFETY: under the registry lock.
        i = unsafe { (*i).next };
    }
    out
}

/// Whether `interp` is a live, registered interpreter.
pub fn is_live(interp: *mut PyInterpreterState) -> bool {
    let r = REGISTRY.lock();
    let mut i = r.head;
    while !i.is_null() {
        if i == interp {
            return true;
        }
        // SAFETY: under the registry lock.
        i = unsafe { (*i).next };
    }
    false
}
