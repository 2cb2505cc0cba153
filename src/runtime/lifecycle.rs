//! Start-up and shut-down of the runtime and of interpreters.

use super::errors::PyResult;
use super::gil::Gil;
use super::interp::{get_or_make, PyInterpreterState};
use super::switch::{self, attach, detach_current, release_gil};
use super::thread::{swap_current, PyThreadState, Ts};
use super::{is_initialized, next_interp_id, register, unregister, FINALIZING, INITIALIZED};
use crate::abi::*;
use crate::memory::heap::{self, HeapStats};
use crate::objects::hash::{self, HashSeed};
use crate::objects::object::{clear_slot, decref, xdecref};
use crate::objects::{dict, module, static_types};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Once};

/// Why an interpreter could not be created or ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    #[error("per-interpreter obmalloc does not support single-phase init extension modules")]
    OwnObmallocNeedsChecks,
    #[error("per-interpreter GIL requires per-interpreter obmalloc")]
    OwnGilNeedsOwnObmalloc,
    #[error("invalid interpreter config 'gil' value")]
    InvalidGil,
    #[error("the runtime is not initialized")]
    NotInitialized,
    #[error("the runtime is finalizing")]
    Finalizing,
    #[error("out of memory")]
    NoMemory,
    #[error("thread state is not the current one")]
    NotCurrent,
    #[error("not the last thread state of its interpreter")]
    OtherThreadsAlive,
    #[error("the main interpreter is ended by Py_FinalizeEx, not Py_EndInterpreter")]
    IsMain,
    #[error("failed to get random numbers to initialize Python")]
    NoRandomness,
}

impl LifecycleError {
    /// The message as a static C string, for `PyStatus.err_msg`.
    pub fn c_message(self) -> &'static core::ffi::CStr {
        match self {
            Self::OwnObmallocNeedsChecks => {
                c"per-interpreter obmalloc does not support single-phase init extension modules"
            }
            Self::OwnGilNeedsOwnObmalloc => c"per-interpreter GIL requires per-interpreter obmalloc",
            Self::InvalidGil => c"invalid interpreter config 'gil' value",
            Self::NotInitialized => c"the runtime is not initialized",
            Self::Finalizing => c"the runtime is finalizing",
            Self::NoMemory => c"out of memory",
            Self::NotCurrent => c"thread state is not the current one",
            Self::OtherThreadsAlive => c"not the last thread state of its interpreter",
            Self::IsMain => c"the main interpreter is ended by Py_FinalizeEx, not Py_EndInterpreter",
            Self::NoRandomness => c"failed to get random numbers to initialize Python",
        }
    }
}

/// The configuration `Py_NewInterpreter` uses.
pub(crate) const LEGACY_CONFIG: PyInterpreterConfig = PyInterpreterConfig {
    use_main_obmalloc: 1,
    allow_fork: 1,
    allow_exec: 1,
    allow_threads: 1,
    allow_daemon_threads: 1,
    check_multi_interp_extensions: 0,
    gil: PyInterpreterConfig_SHARED_GIL,
};

/// The main interpreter's configuration: legacy, with its own GIL.
const MAIN_CONFIG: PyInterpreterConfig = PyInterpreterConfig { gil: PyInterpreterConfig_OWN_GIL, ..LEGACY_CONFIG };

/// Checks a sub-interpreter configuration the way CPython 3.13 documents it.
pub fn validate(config: &PyInterpreterConfig) -> Result<(), LifecycleError> {
    if !(PyInterpreterConfig_DEFAULT_GIL..=PyInterpreterConfig_OWN_GIL).contains(&config.gil) {
        return Err(LifecycleError::InvalidGil);
    }
    if config.use_main_obmalloc == 0 && config.check_multi_interp_extensions == 0 {
        return Err(LifecycleError::OwnObmallocNeedsChecks);
    }
    if config.use_main_obmalloc != 0 && config.gil == PyInterpreterConfig_OWN_GIL {
        return Err(LifecycleError::OwnGilNeedsOwnObmalloc);
    }
    Ok(())
}

static TYPES_READY: Once = Once::new();

/// Callbacks registered with `Py_AtExit`, run last-registered first by `Py_FinalizeEx`.
pub static AT_EXIT: Mutex<Vec<extern "C" fn()>> = Mutex::new(Vec::new());
pub(crate) const AT_EXIT_LIMIT: usize = 32;

/// `Py_Initialize`: chooses the runtime's text-hash key, creates the main interpreter
/// and makes its thread state current. A no-op when already initialized.
pub fn initialize(hash_seed: HashSeed) -> Result<(), LifecycleError> {
    if is_initialized() {
        return Ok(());
    }
    // No interpreter exists, so no text has been hashed under the previous key.
    hash::choose_key(hash_seed).map_err(|_| LifecycleError::NoRandomness)?;
    crate::objects::unicode::hash_static_strs();
    TYPES_READY.call_once(static_types::ready_all);
    FINALIZING.store(false, Ordering::Release);
    LEAKY_ENDS.store(0, Ordering::Relaxed);
    create_interpreter(MAIN_CONFIG, None)?;
    INITIALIZED.store(true, Ordering::Release);
    Ok(())
}

/// Creates an interpreter and its first thread state, which becomes current (holding
/// the interpreter's GIL). The caller's previous thread state, if any, is detached.
/// Without `main`, the interpreter made is the main one.
fn create_interpreter(
    config: PyInterpreterConfig,
    main: Option<&PyInterpreterState>,
) -> Result<*mut PyThreadState, LifecycleError> {
    let is_main = main.is_none();
    let own_gil = is_main || config.gil == PyInterpreterConfig_OWN_GIL;
    let gil = match main {
        Some(m) if !own_gil => m.gil.clone(),
        _ => Arc::new(Gil::new()),
    };
    let id = if is_main { 0 } else { next_interp_id() };
    let interp = Box::into_raw(PyInterpreterState::new(id, config, gil));
    // SAFETY: `interp` is fresh and ours until registered.
    unsafe {
        if let Some(m) = main {
            if config.use_main_obmalloc != 0 {
                (*interp).heap = m.heap;
            }
        }
    }
    let ts = unsafe { (*interp).new_thread_state() };
    detach_current();
    attach(ts);
    // A sub-interpreter makes `sys.modules`, `sys` and `builtins` on first use.
    if is_main && init_interp_objects(Ts(ts)).is_err() {
        clear_interp(Ts(ts));
        unsafe { destroy_interp(ts) };
        return Err(LifecycleError::NoMemory);
    }
    register(interp, is_main);
    switch::adopt(ts);
    Ok(ts)
}

/// The interpreter's `sys.modules` (borrowed), with `sys` and `builtins` in it. The
/// main interpreter makes them when it starts; a sub-interpreter on first use, so that
/// one that never imports nor reads `sys` does not pay for them (they were most of
/// its creation's time and memory).
#[inline]
pub fn modules_dict(ts: Ts) -> PyResult<*mut PyObject> {
    let m = ts.interp().modules.get();
    if !m.is_null() {
        return Ok(m);
    }
    init_interp_objects(ts)?;
    Ok(ts.interp().modules.get())
}

/// `sys.modules` if it was made (borrowed), else null: for code that reads it without
/// wanting it made, as the interpreter's end.
pub fn modules_dict_if_made(ts: Ts) -> *mut PyObject {
    ts.interp().modules.get()
}

/// The interpreter's `sys` module (borrowed), made on first use (see `modules_dict`).
pub fn sys_module(ts: Ts) -> PyResult<*mut PyObject> {
    modules_dict(ts)?;
    Ok(ts.interp().sysmod.get())
}

/// The interpreter's `builtins` module (borrowed), made on first use (see `modules_dict`).
pub fn builtins_module(ts: Ts) -> PyResult<*mut PyObject> {
    modules_dict(ts)?;
    Ok(ts.interp().builtins.get())
}

/// Makes `sys.modules`, `sys` and `builtins`. `modules` is set last, so that a failure
/// part way leaves the interpreter without a `sys.modules` and the next use tries again.
#[cold]
fn init_interp_objects(ts: Ts) -> PyResult<()> {
    let interp = ts.interp();
    let sys = get_or_make(&interp.sysmod, || module::new(ts, "sys"))?;
    let builtins = get_or_make(&interp.builtins, || module::new(ts, "builtins"))?;
    let modules = dict::new(ts)?;
    let filled = module::set_str_attr(ts, module::dict_of(sys), "modules", modules)
        .and_then(|()| super::import::init_sys(ts, sys))
        .and_then(|()| module::set_str_attr(ts, modules, "sys", sys))
        .and_then(|()| module::set_str_attr(ts, modules, "builtins", builtins));
    match filled {
        Ok(()) => interp.modules.set(modules),
        // SAFETY: the dict made above (sys may hold another reference to it).
        Err(_) => unsafe { decref(modules) },
    }
    filled
}

/// Runs the interpreter's atexit callbacks and drops every object it holds.
fn clear_interp(ts: Ts) {
    let interp = ts.interp();
    for (func, arg) in interp.atexit.take().into_iter().rev() {
        // SAFETY: registered by the host with this argument.
        unsafe { func(arg) };
    }
    super::errors::clear(ts);
    super::import::clear_modules(ts);
    crate::objects::typestate::clear(ts);
    // SAFETY: each field is an owned reference or null.
    unsafe {
        for cell in [
            &interp.modules,
            &interp.modules_by_index,
            &interp.sysmod,
            &interp.builtins,
            &interp.dict,
            &interp.interned,
        ] {
            xdecref(cell.replace(core::ptr::null_mut()));
        }
        let mut t = interp.tstate_head;
        while !t.is_null() {
            clear_thread_state(t);
            t = (*t).next;
        }
    }
    module::free_remaining(ts);
}

/// Drops what a thread state owns (`PyThreadState_Clear`).
///
/// # Safety
/// `t` is a live thread state of an interpreter whose GIL the caller holds.
pub unsafe fn clear_thread_state(t: *mut PyThreadState) {
    unsafe {
        clear_slot(&mut (*t).current_exception);
        clear_slot(&mut (*t).dict);
    }
}

/// Frees the interpreter of `ts` with all its thread states and memory. No thread
/// state is current afterwards.
///
/// # Safety
/// `ts` is current, the interpreter is cleared and unregistered.
unsafe fn destroy_interp(ts: *mut PyThreadState) -> HeapStats {
    let interp = unsafe { (*ts).interp };
    swap_current(core::ptr::null_mut());
    unsafe {
        release_gil(ts);
        while !(*interp).tstate_head.is_null() {
            let t = (*interp).tstate_head;
            switch::forget(t);
            (*interp).free_thread_state(t);
        }
        (*interp).give_back_slots();
        let leaked = (*interp).release_memory();
        report_leaks((*interp).id, leaked);
        drop(Box::from_raw(interp));
        leaked
    }
}

/// Interpreters of this runtime that ended with blocks still allocated while
/// `ISLE_LEAK_REPORT` was set; any makes `Py_FinalizeEx` fail.
static LEAKY_ENDS: AtomicUsize = AtomicUsize::new(0);

fn report_leaks(id: i64, leaked: HeapStats) {
    if leaked.live_blocks > 0 && std::env::var_os("ISLE_LEAK_REPORT").is_some() {
        LEAKY_ENDS.fetch_add(1, Ordering::Relaxed);
        eprintln!(
            "isle: interpreter {id} ended with {} blocks ({} bytes) still allocated; released",
            leaked.live_blocks, leaked.live_bytes
        );
    }
}

/// Queues outlive interpreters by design, but one still held when the runtime ends
/// is, to a leak report, a handle the host never released.
fn report_live_queues() {
    let live = crate::crossinterp::queue::live_count();
    if live > 0 && std::env::var_os("ISLE_LEAK_REPORT").is_some() {
        LEAKY_ENDS.fetch_add(1, Ordering::Relaxed);
        eprintln!("isle: {live} queues still held when the runtime ended");
    }
}

/// What `finalize` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finalized {
    /// The runtime was not initialized.
    NothingToDo,
    /// Every interpreter ended with its heap empty, or leaks were not being reported.
    Clean,
    /// This many interpreters ended with blocks still allocated (`ISLE_LEAK_REPORT`).
    Leaked(usize),
}

/// `Py_NewInterpreterFromConfig`.
pub fn new_interpreter(config: &PyInterpreterConfig) -> Result<*mut PyThreadState, LifecycleError> {
    if !is_initialized() {
        return Err(LifecycleError::NotInitialized);
    }
    if super::is_finalizing() {
        return Err(LifecycleError::Finalizing);
    }
    validate(config)?;
    let main = super::main_interp();
    // SAFETY: the main interpreter lives until finalization, which cannot run
    // concurrently with creation from a thread that has an API contract with it.
    create_interpreter(*config, Some(unsafe { &*main }))
}

/// `Py_EndInterpreter`.
pub fn end_interpreter(ts: *mut PyThreadState) -> Result<(), LifecycleError> {
    if Ts::current_raw() != ts {
        return Err(LifecycleError::NotCurrent);
    }
    let interp = unsafe { (*ts).interp };
    if interp == super::main_interp() {
        return Err(LifecycleError::IsMain);
    }
    if unsafe { (*interp).thread_count() } > 1 {
        return Err(LifecycleError::OtherThreadsAlive);
    }
    clear_interp(Ts(ts));
    unregister(interp);
    unsafe { destroy_interp(ts) };
    Ok(())
}

/// `Py_FinalizeEx`: ends every interpreter, main last, then runs the `Py_AtExit`
/// callbacks.
pub fn finalize() -> Finalized {
    if !is_initialized() {
        return Finalized::NothingToDo;
    }
    FINALIZING.store(true, Ordering::Release);
    let main = super::main_interp();
    // Start from a clean slate: this thread holds no GIL, then takes each in turn.
    detach_current();
    // End the sub-interpreters first. One whose GIL another thread holds cannot be
    // torn down safely and is left alone (its memory stays with it).
    for interp in super::interpreters() {
        if interp == main {
            continue;
        }
        unsafe {
            let ts = (*interp).tstate_head;
            if ts.is_null() || !(*interp).gil.try_acquire() {
                continue;
            }
            switch::took_gil(ts);
            swap_current(ts);
            clear_interp(Ts(ts));
            unregister(interp);
            destroy_interp(ts);
        }
    }
    unsafe {
        let ts = (*main).tstate_head;
        attach(ts);
        clear_interp(Ts(ts));
        unregister(main);
        destroy_interp(ts);
    }
    INITIALIZED.store(false, Ordering::Release);
    super::import::reset_after_finalize();
    let callbacks = core::mem::take(&mut *AT_EXIT.lock());
    for f in callbacks.into_iter().rev() {
        f();
    }
    heap::trim_page_cache();
    crate::crossinterp::interpqueues::release_all();
    crate::crossinterp::queue::drain_all();
    report_live_queues();
    match LEAKY_ENDS.swap(0, Ordering::Relaxed) {
        0 => Finalized::Clean,
        n => Finalized::Leaked(n),
    }
}
