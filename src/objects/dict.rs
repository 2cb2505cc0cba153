//! `dict`: insertion-ordered hash tables.
//!
//! A table is one heap block: a header, an index array (open addressing, linear
//! probing over slot numbers) and a dense array of entries in insertion order.
//! Deleting leaves a hole in the entries and a tombstone in the index; both go away
//! at the next resize.

use super::object::{self, decref, incref};
use super::unicode;
use crate::abi::*;
use crate::memory;
use crate::protocols;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ptr::null_mut;

/// Same size as CPython's `PyDictObject` (48 bytes) so static subclasses fit.
#[repr(C)]
pub struct DictObject {
    pub ob_base: PyObject,
    pub used: Py_ssize_t,
    _watcher_tag: u64,
    table: *mut Table,
    _values: *mut core::ffi::c_void,
}

#[repr(C)]
struct Table {
    /// Number of index slots, a power of two.
    index_cap: usize,
    entry_cap: usize,
    /// Entries written so far, holes included.
    entries_len: usize,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct Entry {
    pub hash: Py_hash_t,
    pub key: *mut PyObject,
    pub value: *mut PyObject,
}

const EMPTY: i32 = -1;
const TOMBSTONE: i32 = -2;
const MIN_INDEX: usize = 8;

#[no_mangle]
pub static mut PyDict_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(dict_dealloc),
    tp_flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_DICT_SUBCLASS | Py_TPFLAGS_MAPPING,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"dict", core::mem::size_of::<DictObject>(), 0)
};

#[inline]
pub fn dict_type() -> *mut PyTypeObject {
    &raw mut PyDict_Type
}

pub fn check(o: *mut PyObject) -> bool {
    object::has_flag(object::type_of(o), Py_TPFLAGS_DICT_SUBCLASS)
}

pub fn check_exact(o: *mut PyObject) -> bool {
    object::type_of(o) == dict_type()
}

fn d(o: *mut PyObject) -> &'static mut DictObject {
    // SAFETY: callers pass dicts.
    unsafe { &mut *(o as *mut DictObject) }
}

impl Table {
    fn indices(&mut self) -> *mut i32 {
        (self as *mut Table as usize + core::mem::size_of::<Table>()) as *mut i32
    }
    fn entries(&mut self) -> *mut Entry {
        let off = core::mem::size_of::<Table>() + (self.index_cap * 4).next_multiple_of(8);
        (self as *mut Table as usize + off) as *mut Entry
    }
    fn entry(&mut self, i: usize) -> &mut Entry {
        // SAFETY: callers keep `i < entries_len`.
        unsafe { &mut *self.entries().add(i) }
    }
}

fn alloc_table(ts: Ts, index_cap: usize) -> PyResult<*mut Table> {
    let entry_cap = index_cap * 2 / 3;
    let size =
        core::mem::size_of::<Table>() + (index_cap * 4).next_multiple_of(8) + entry_cap * core::mem::size_of::<Entry>();
    let t = memory::alloc_in(ts, size) as *mut Table;
    if t.is_null() {
        return Err(errors::no_memory(ts));
    }
    // SAFETY: fresh block sized for the header, the index and the entries.
    unsafe {
        *t = Table { index_cap, entry_cap, entries_len: 0 };
        core::ptr::write_bytes((*t).indices() as *mut u8, 0xff, index_cap * 4);
    }
    Ok(t)
}

/// A new empty dict; its table is made on first insertion.
pub fn new(ts: Ts) -> PyResult<*mut PyObject> {
    object::alloc_object(ts, dict_type(), 0)
}

pub fn len(o: *mut PyObject) -> Py_ssize_t {
    d(o).used
}

/// The hash of `key`, read from the cache for strings.
fn hash_of(ts: Ts, key: *mut PyObject) -> PyResult<Py_hash_t> {
    if unicode::check_exact(key) {
        return Ok(unicode::hash(key));
    }
    protocols::object::hash(ts, key)
}

enum Found {
    At { slot: usize, entry: usize },
    Vacant,
}

/// Finds `key` in the table of `o`. Comparisons may run code that changes the dict:
/// if the table moved under us, look again.
fn find(ts: Ts, o: *mut PyObject, key: *mut PyObject, hash: Py_hash_t) -> PyResult<Found> {
    'restart: loop {
        let table = d(o).table;
        // SAFETY: a dict with entries has a live table.
        let t = unsafe { &mut *table };
        let mask = t.index_cap - 1;
        let mut slot = hash as usize & mask;
        loop {
            let ix = unsafe { *t.indices().add(slot) };
            if ix == EMPTY {
                return Ok(Found::Vacant);
            }
            if ix != TOMBSTONE {
                let e = *t.entry(ix as usize);
                if e.key == key {
                    return Ok(Found::At { slot, entry: ix as usize });
                }
                if e.hash == hash {
                    let same = if unicode::check_exact(e.key) && unicode::check_exact(key) {
                        unicode::equal(e.key, key)
                    } else {
                        unsafe { incref(e.key) };
                        let r = protocols::object::richcompare_bool(ts, e.key, key, Py_EQ);
                        unsafe { decref(e.key) };
                        if d(o).table != table || t.entry(ix as usize).key != e.key {
                            continue 'restart;
                        }
                        r?
                    };
                    if same {
                        return Ok(Found::At { slot, entry: ix as usize });
                    }
                }
            }
            slot = (slot + 1) & mask;
        }
    }
}

/// The value for `key` (borrowed), or None. Raises only if hashing or comparing fails.
pub fn get_item(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<Option<*mut PyObject>> {
    let hash = hash_of(ts, key)?;
    get_item_hashed(ts, o, key, hash)
}

pub fn get_item_hashed(
    ts: Ts,
    o: *mut PyObject,
    key: *mut PyObject,
    hash: Py_hash_t,
) -> PyResult<Option<*mut PyObject>> {
    if d(o).used == 0 {
        return Ok(None);
    }
    match find(ts, o, key, hash)? {
        Found::At { entry, .. } => Ok(Some(unsafe { (*d(o).table).entry(entry).value })),
        Found::Vacant => Ok(None),
    }
}

/// Stores `value` under `key` (both gain a reference).
pub fn set_item(ts: Ts, o: *mut PyObject, key: *mut PyObject, value: *mut PyObject) -> PyResult<()> {
    let hash = hash_of(ts, key)?;
    set_item_hashed(ts, o, key, hash, value)
}

pub fn set_item_hashed(
    ts: Ts,
    o: *mut PyObject,
    key: *mut PyObject,
    hash: Py_hash_t,
    value: *mut PyObject,
) -> PyResult<()> {
    if d(o).table.is_null() {
        d(o).table = alloc_table(ts, MIN_INDEX)?;
    }
    if d(o).used > 0 {
        if let Found::At { entry, .. } = find(ts, o, key, hash)? {
            let e = unsafe { (*d(o).table).entry(entry) };
            unsafe { incref(value) };
            let old = core::mem::replace(&mut e.value, value);
            unsafe { decref(old) };
            return Ok(());
        }
    }
    let t = unsafe { &mut *d(o).table };
    if t.entries_len == t.entry_cap {
        resize(ts, o, (d(o).used as usize + 1) * 3)?;
    }
    let t = unsafe { &mut *d(o).table };
    let slot = vacant_slot(t, hash);
    let n = t.entries_len;
    unsafe {
        incref(key);
        incref(value);
        *t.entries().add(n) = Entry { hash, key, value };
        *t.indices().add(slot) = n as i32;
    }
    t.entries_len += 1;
    d(o).used += 1;
    Ok(())
}

/// First free (empty or tombstone) index slot for `hash`; the key is known absent.
fn vacant_slot(t: &mut Table, hash: Py_hash_t) -> usize {
    let mask = t.index_cap - 1;
    let mut slot = hash as usize & mask;
    loop {
        let ix = unsafe { *t.indices().add(slot) };
        if ix == EMPTY || ix == TOMBSTONE {
            return slot;
        }
        slot = (slot + 1) & mask;
    }
}

/// Rebuilds the table with room for at least `min_entries`, dropping holes.
fn resize(ts: Ts, o: *mut PyObject, min_entries: usize) -> PyResult<()> {
    let mut index_cap = MIN_INDEX;
    while index_cap * 2 / 3 < min_entries {
        index_cap *= 2;
    }
    let new = alloc_table(ts, index_cap)?;
    let old = d(o).table;
    // SAFETY: both tables are live and distinct.
    unsafe {
        let (nt, ot) = (&mut *new, &mut *old);
        for i in 0..ot.entries_len {
            let e = *ot.entry(i);
            if e.key.is_null() {
                continue;
            }
            let slot = vacant_slot(nt, e.hash);
            *nt.entries().add(nt.entries_len) = e;
            *nt.indices().add(slot) = nt.entries_len as i32;
            nt.entries_len += 1;
        }
        memory::free(old as *mut u8);
    }
    d(o).table = new;
    Ok(())
}

/// Removes `key`; returns whether it was there. The removed value is returned to
/// the caller through `take` when given, else released.
pub fn del_item(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<bool> {
    Ok(pop_item(ts, o, key)?.map(|v| unsafe { decref(v) }).is_some())
}

/// Removes `key` and hands back its value (a new reference), or None.
pub fn pop_item(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<Option<*mut PyObject>> {
    let hash = hash_of(ts, key)?;
    if d(o).used == 0 {
        return Ok(None);
    }
    match find(ts, o, key, hash)? {
        Found::Vacant => Ok(None),
        Found::At { slot, entry } => {
            let t = unsafe { &mut *d(o).table };
            let e = core::mem::replace(t.entry(entry), Entry { hash: 0, key: null_mut(), value: null_mut() });
            unsafe { *t.indices().add(slot) = TOMBSTONE };
            d(o).used -= 1;
            unsafe { decref(e.key) };
            Ok(Some(e.value))
        }
    }
}

/// The next live entry at or after `*pos`, advancing `*pos` past it (`PyDict_Next`).
pub fn next(o: *mut PyObject, pos: &mut Py_ssize_t) -> Option<Entry> {
    let table = d(o).table;
    if table.is_null() || *pos < 0 {
        return None;
    }
    let t = unsafe { &mut *table };
    while (*pos as usize) < t.entries_len {
        let e = *t.entry(*pos as usize);
        *pos += 1;
        if !e.key.is_null() {
            return Some(e);
        }
    }
    None
}

/// Every live entry, in insertion order (borrowed references).
pub fn entries(o: *mut PyObject) -> Vec<Entry> {
    let mut pos = 0;
    let mut out = Vec::with_capacity(len(o) as usize);
    while let Some(e) = next(o, &mut pos) {
        out.push(e);
    }
    out
}

/// Empties the dict, releasing keys and values.
pub fn clear(o: *mut PyObject) {
    let table = core::mem::replace(&mut d(o).table, null_mut());
    d(o).used = 0;
    if table.is_null() {
        return;
    }
    let t = unsafe { &mut *table };
    for i in 0..t.entries_len {
        let e = *t.entry(i);
        if !e.key.is_null() {
            unsafe {
                decref(e.key);
                decref(e.value);
            }
        }
    }
    unsafe { memory::free(table as *mut u8) };
}

unsafe extern "C" fn dict_dealloc(o: *mut PyObject) {
    clear(o);
    unsafe { object::free_object(o) }
}
