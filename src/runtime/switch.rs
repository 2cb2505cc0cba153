//! Moving OS threads in and out of interpreters: attaching a thread state (taking its
//! interpreter's GIL), detaching it, and the `PyGILState` bookkeeping of which thread
//! state each OS thread uses for each interpreter.

use super::interp::{generation_of, PyInterpreterState};
use super::thread::{swap_current, PyThreadState, Ts};
use core::ptr::null_mut;
use std::cell::RefCell;

/// Takes the GIL of `ts`'s interpreter and makes `ts` current on this OS thread.
pub fn attach(ts: *mut PyThreadState) {
    // SAFETY: `ts` is a live thread state.
    unsafe {
        (*(*ts).interp).gil.acquire();
        took_gil(ts);
    }
    swap_current(ts);
    super::pending::run_if_any(Ts(ts));
}

/// Marks `ts` as holding its interpreter's GIL, which this thread has just taken.
///
/// # Safety
/// `ts` is live and this thread holds its interpreter's GIL.
pub unsafe fn took_gil(ts: *mut PyThreadState) {
    unsafe {
        (*ts).holds_gil = true;
        (*(*ts).heap).enter();
    }
}

/// Unbinds the current thread state (if any) and releases its GIL; returns it.
pub fn detach_current() -> *mut PyThreadState {
    let old = swap_current(null_mut());
    if !old.is_null() {
        // SAFETY: the current thread state is live.
        unsafe { release_gil(old) };
    }
    old
}

/// # Safety
/// `ts` is live and, if `holds_gil` is set, this thread took its GIL.
pub unsafe fn release_gil(ts: *mut PyThreadState) {
    unsafe {
        if (*ts).holds_gil {
            (*ts).holds_gil = false;
            (*(*ts).heap).leave();
            (*(*ts).interp).gil.release();
        }
    }
}

/// `PyThreadState_Swap`: detaches the current thread state, attaches `new` (may be
/// null) and returns the old one.
pub fn swap(new: *mut PyThreadState) -> *mut PyThreadState {
    let old = detach_current();
    if !new.is_null() {
        attach(new);
    }
    old
}

/// What this OS thread uses for one interpreter through `PyGILState_Ensure`.
struct GilStateEntry {
    interp: *mut PyInterpreterState,
    tstate: Held,
    /// Ensure calls not yet released.
    depth: u32,
    /// Made by Ensure (deleted when `depth` drops to 0), or adopted from the host.
    owned: bool,
    /// Thread states that Ensure detached to attach ours, restored on release.
    displaced: Vec<Held>,
}

/// A thread state as this thread last saw it: the generation tells whether it still
/// exists, even when its memory was reused for another one since.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Held {
    ts: *mut PyThreadState,
    generation: u64,
}

impl Held {
    /// # Safety
    /// `ts` is a live thread state.
    unsafe fn of(ts: *mut PyThreadState) -> Held {
        Held { ts, generation: unsafe { generation_of(ts) } }
    }

    fn exists(self) -> bool {
        // SAFETY: `ts` was a thread state; their slots are never freed.
        unsafe { generation_of(self.ts) == self.generation }
    }
}

thread_local! {
    static GILSTATE: RefCell<Vec<GilStateEntry>> = const { RefCell::new(Vec::new()) };
}

pub const LOCKED: i32 = 0;
pub const UNLOCKED: i32 = 1;

fn with_entries<T>(f: impl FnOnce(&mut Vec<GilStateEntry>) -> T) -> T {
    GILSTATE.with(|g| {
        let mut entries = g.borrow_mut();
        entries.retain(|e| e.tstate.exists());
        f(&mut entries)
    })
}

/// Records `ts` as this OS thread's thread state for its interpreter, unless one is
/// recorded already (done for the thread states the runtime hands to the host).
pub fn adopt(ts: *mut PyThreadState) {
    let interp = unsafe { (*ts).interp };
    with_entries(|entries| {
        if !entries.iter().any(|e| e.interp == interp) {
            // SAFETY: the caller hands over a live thread state.
            let tstate = unsafe { Held::of(ts) };
            entries.push(GilStateEntry { interp, tstate, depth: 0, owned: false, displaced: Vec::new() });
        }
    });
}

/// Forgets `ts` on this OS thread (it is being deleted).
pub fn forget(ts: *mut PyThreadState) {
    GILSTATE.with(|g| g.borrow_mut().retain(|e| e.tstate.ts != ts));
}

/// This thread's recorded thread state for `interp`, or null.
pub fn this_thread_state(interp: *mut PyInterpreterState) -> *mut PyThreadState {
    with_entries(|entries| entries.iter().find(|e| e.interp == interp).map_or(null_mut(), |e| e.tstate.ts))
}

/// Whether this OS thread holds a live thread state of `interp` (which is then live
/// too), asked before the registry so that repeated Ensure calls take no global lock.
pub fn has_thread_state_of(interp: *mut PyInterpreterState) -> bool {
    with_entries(|entries| entries.iter().any(|e| e.interp == interp))
}

/// `PyGILState_Ensure` for any interpreter: makes sure this OS thread has a thread
/// state of `interp`, current and holding its GIL. Returns `LOCKED` when it already
/// was, else `UNLOCKED`.
pub fn ensure(interp: *mut PyInterpreterState) -> i32 {
    let current = Ts::current_raw();
    let (ts, had_it) = with_entries(|entries| {
        let idx = match entries.iter().position(|e| e.interp == interp) {
            Some(i) => i,
            None => {
                // SAFETY: the caller checked `interp` is live; the thread state is fresh.
                let tstate = unsafe { Held::of((*interp).new_thread_state()) };
                entries.push(GilStateEntry { interp, tstate, depth: 0, owned: true, displaced: Vec::new() });
                entries.len() - 1
            }
        };
        let e = &mut entries[idx];
        e.depth += 1;
        let had_it = current == e.tstate.ts && unsafe { (*current).holds_gil };
        if !had_it && !current.is_null() {
            // SAFETY: the current thread state is live.
            e.displaced.push(unsafe { Held::of(current) });
        }
        (e.tstate.ts, had_it)
    });
    if had_it {
        return LOCKED;
    }
    detach_current();
    attach(ts);
    UNLOCKED
}

/// `PyGILState_Release`: undoes the matching `ensure`. Returns false when the current
/// thread state was not handed out by `ensure` (a host error, reported by the caller).
pub fn release(old_state: i32) -> bool {
    let current = Ts::current_raw();
    let outcome = with_entries(|entries| {
        let idx = entries.iter().position(|e| e.tstate.ts == current)?;
        let e = &mut entries[idx];
        if e.depth == 0 {
            return None;
        }
        e.depth -= 1;
        let delete = e.depth == 0 && e.owned;
        let leave = delete || old_state == UNLOCKED;
        let restore = if leave { e.displaced.pop() } else { None };
        if delete {
            entries.remove(idx);
        }
        Some((delete, leave, restore))
    });
    let Some((delete, leave, restore)) = outcome else { return false };
    if delete {
        delete_current();
    } else if leave {
        detach_current();
    }
    if let Some(prev) = restore {
        if prev.exists() {
            attach(prev.ts);
        }
    }
    true
}

/// `PyThreadState_DeleteCurrent`: clears and frees the current thread state and
/// releases its GIL.
pub fn delete_current() {
    let ts = Ts::current_raw();
    if ts.is_null() {
        return;
    }
    forget(ts);
    unsafe {
        super::lifecycle::clear_thread_state(ts);
        let interp = (*ts).interp;
        detach_current();
        (*interp).free_thread_state(ts);
    }
}
