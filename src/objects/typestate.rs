//! Per-interpreter type state, as CPython 3.12+ keeps it for static types: every
//! interpreter has its own `__dict__` for `int`, `str`, `list`, ... (and for static
//! types that extensions ready), reached through `dict_of`, never through a raw
//! `tp_dict` read; static types are shared, immortal memory whose `tp_dict` stays null.
//! A static type's index into the per-interpreter table is kept in its
//! `tp_subclasses` (index + 1), as CPython does.
//!
//! Also here: `_PyType_Lookup` (a name through the dicts of a type's MRO) with a
//! per-interpreter method cache keyed by version tag and interned name, which
//! `modified` (`PyType_Modified`) invalidates.

use super::object::{self, decref, is_heap_type};
use super::{dict, tuple, unicode};
use crate::abi::*;
use crate::runtime::errors::PyResult;
use crate::runtime::thread::Ts;
use core::cell::UnsafeCell;
use core::ptr::null_mut;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

const CACHE_SIZE: usize = 4096;

#[derive(Clone, Copy)]
struct CacheEntry {
    version: u32,
    /// An interned str of this interpreter (kept alive by the interned table).
    name: *mut PyObject,
    /// Borrowed from a type dict; null caches a miss.
    value: *mut PyObject,
}

const EMPTY_ENTRY: CacheEntry = CacheEntry { version: 0, name: null_mut(), value: null_mut() };

#[derive(Default)]
pub struct TypeState {
    /// The dict of each static type in this interpreter, by index (owned; null: not made).
    static_dicts: Vec<*mut PyObject>,
    /// Empty until the first lookup.
    cache: Vec<CacheEntry>,
}

/// The interpreter's `TypeState`, touched only by the thread holding its GIL.
#[derive(Default)]
pub struct TypeStateCell(UnsafeCell<TypeState>);

/// Runs `f` on the current interpreter's type state. `f` must not run object code (no
/// deallocation, no calls): nothing may reach the state again while it is borrowed.
fn with<R>(ts: Ts, f: impl FnOnce(&mut TypeState) -> R) -> R {
    // SAFETY: the caller holds the interpreter's GIL, and `f` does not re-enter.
    unsafe { f(&mut *ts.interp().types.0.get()) }
}

/// Static types readied so far, by index (addresses; the types are immortal).
static STATIC_TYPES: Mutex<Vec<usize>> = Mutex::new(Vec::new());
/// Version tags: unique in the process and never reused (0 means "none").
static NEXT_VERSION: AtomicU32 = AtomicU32::new(1);

/// Gives `ty` a fresh version tag, or none (0) once the tags are used up.
pub fn assign_version(ty: *mut PyTypeObject) {
    let v = NEXT_VERSION.fetch_add(1, Ordering::Relaxed);
    let v = if v == 0 || v == u32::MAX { 0 } else { v };
    // SAFETY: `ty` is a live type its interpreter (or start-up) is changing.
    unsafe {
        (*ty).tp_version_tag = v;
        if v == 0 {
            NEXT_VERSION.store(u32::MAX, Ordering::Relaxed);
            (*ty).tp_flags &= !Py_TPFLAGS_VALID_VERSION_TAG;
        } else {
            (*ty).tp_flags |= Py_TPFLAGS_VALID_VERSION_TAG;
        }
    }
}

/// Registers a static type being readied: gives it its index and a version tag.
///
/// # Safety
/// `ty` is a static type no other thread is readying or reading the index of.
pub unsafe fn register_static(ty: *mut PyTypeObject) {
    unsafe {
        if !(*ty).tp_subclasses.is_null() {
            return;
        }
        let mut all = STATIC_TYPES.lock().unwrap_or_else(|e| e.into_inner());
        all.push(ty as usize);
        (*ty).tp_subclasses = all.len() as *mut core::ffi::c_void;
    }
    assign_version(ty);
}

fn static_index(ty: *mut PyTypeObject) -> Option<usize> {
    if is_heap_type(ty) {
        return None;
    }
    // SAFETY: a live type; static types keep their index in tp_subclasses.
    let tag = unsafe { (*ty).tp_subclasses } as usize;
    tag.checked_sub(1)
}

/// The type's `__dict__` in the current interpreter (borrowed; null for a static type
/// that was never readied). A static type's is made, with its descriptors, on first use
/// in each interpreter (it then lives as long as the interpreter).
pub fn dict_of(ts: Ts, ty: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    let Some(i) = static_index(ty) else {
        // SAFETY: a live type.
        return Ok(unsafe { (*ty).tp_dict });
    };
    let d = with(ts, |s| s.static_dicts.get(i).copied().unwrap_or(null_mut()));
    if !d.is_null() {
        return Ok(d);
    }
    let d = dict::new(ts)?;
    with(ts, |s| {
        if s.static_dicts.len() <= i {
            s.static_dicts.resize(i + 1, null_mut());
        }
        s.static_dicts[i] = d;
    });
    super::descrobject::add_descriptors(ts, ty, d)?;
    Ok(d)
}

/// The dict lookups read: `dict_of`, except that a static type with nothing to put
/// in its dict gets none until someone stores into it (so an interpreter only pays
/// for the dicts it uses).
fn dict_for_lookup(ts: Ts, ty: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    if let Some(i) = static_index(ty) {
        let d = with(ts, |s| s.static_dicts.get(i).copied().unwrap_or(null_mut()));
        if d.is_null() && !super::descrobject::has_descriptors(ty) {
            return Ok(null_mut());
        }
    }
    dict_of(ts, ty)
}

/// The cache slot of (`version`, `name`): by the name's address, as CPython 3.12+
/// does, so that a probe reads nothing of the name.
#[inline]
fn cache_slot(version: u32, name: *mut PyObject) -> usize {
    (version as usize ^ (name as usize >> 3)) & (CACHE_SIZE - 1)
}

/// Looks `name` up in the dicts of `ty`'s MRO, as `_PyType_Lookup` does: the value
/// (borrowed) or null. No exception is raised for a missing name. The cache probe is
/// inlined into the attribute paths; a miss goes to `lookup_uncached`.
#[inline]
pub fn lookup(ts: Ts, ty: *mut PyTypeObject, name: *mut PyObject) -> PyResult<*mut PyObject> {
    // SAFETY: a live type.
    let version = unsafe { (*ty).tp_version_tag };
    if version != 0 {
        let slot = cache_slot(version, name);
        let hit = with(ts, |s| s.cache.get(slot).filter(|e| e.version == version && e.name == name).map(|e| e.value));
        if let Some(v) = hit {
            return Ok(v);
        }
    }
    lookup_uncached(ts, ty, name)
}

/// `lookup` past a cache miss: the MRO's dicts, then the cache entry when the name
/// may be cached (an interned exact str, whose address stays its own while the
/// interpreter lives, and a type with a version tag).
#[inline(never)]
fn lookup_uncached(ts: Ts, ty: *mut PyTypeObject, name: *mut PyObject) -> PyResult<*mut PyObject> {
    // SAFETY: a live type.
    let version = unsafe { (*ty).tp_version_tag };
    let cacheable = version != 0 && unicode::check_exact(name) && unicode::interned_state(name) != 0;
    let v = find_in_mro(ts, ty, name)?;
    if cacheable {
        with(ts, |s| {
            if s.cache.is_empty() {
                s.cache = vec![EMPTY_ENTRY; CACHE_SIZE];
            }
            s.cache[cache_slot(version, name)] = CacheEntry { version, name, value: v };
        });
    }
    Ok(v)
}

fn find_in(ts: Ts, t: *mut PyTypeObject, name: *mut PyObject) -> PyResult<Option<*mut PyObject>> {
    let d = dict_for_lookup(ts, t)?;
    if d.is_null() {
        return Ok(None);
    }
    dict::get_item(ts, d, name)
}

fn find_in_mro(ts: Ts, ty: *mut PyTypeObject, name: *mut PyObject) -> PyResult<*mut PyObject> {
    // SAFETY: a live type; tp_mro is null or a tuple of live types.
    let mro = unsafe { (*ty).tp_mro };
    if !mro.is_null() {
        for &t in tuple::items(mro) {
            if let Some(v) = find_in(ts, t as *mut PyTypeObject, name)? {
                return Ok(v);
            }
        }
        return Ok(null_mut());
    }
    let mut t = ty;
    while !t.is_null() {
        if let Some(v) = find_in(ts, t, name)? {
            return Ok(v);
        }
        t = unsafe { (*t).tp_base };
    }
    if ty != object::base_object_type() {
        if let Some(v) = find_in(ts, object::base_object_type(), name)? {
            return Ok(v);
        }
    }
    Ok(null_mut())
}

/// `PyType_Modified`: `ty`'s dict (or its bases') changed. A heap type gets a new
/// version tag; the interpreter's method cache forgets everything, which covers the
/// subtypes of `ty` too.
pub fn modified(ts: Ts, ty: *mut PyTypeObject) {
    if is_heap_type(ty) {
        assign_version(ty);
    }
    with(ts, |s| s.cache.iter_mut().for_each(|e| *e = EMPTY_ENTRY));
}

/// Drops the interpreter's type dicts and cache (its end).
pub fn clear(ts: Ts) {
    let dicts = with(ts, |s| {
        s.cache = Vec::new();
        core::mem::take(&mut s.static_dicts)
    });
    for d in dicts.into_iter().filter(|d| !d.is_null()) {
        // SAFETY: owned references the state held.
        unsafe { decref(d) };
    }
}
