//! `dict`: insertion-ordered hash tables.
//!
//! A table is one heap block: a header, an index array (open addressing, probed
//! in CPython's order, see `Probe`) and a dense array of entries in insertion order.
//! Deleting leaves a hole in the entries and a tombstone in the index; both go away
//! at the next resize.

use super::containers::{self, OwnedRefs, Text};
use super::exceptions::{self, Exc};
use super::object::{self, decref, incref, type_of};
use super::typeobject::type_name;
use super::{bool_, list, singletons, tuple, unicode};
use crate::abi::*;
use crate::memory;
use crate::protocols;
use crate::protocols::object::check_result;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ffi::c_int;
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
#[derive(Clone, Copy)]
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

static mut DICT_AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(dict_length),
    mp_subscript: Some(dict_subscript),
    mp_ass_subscript: Some(dict_ass_subscript),
};

/// Only `in`: everything else a dict does goes through the mapping slots.
static mut DICT_AS_SEQUENCE: PySequenceMethods =
    PySequenceMethods { sq_contains: Some(dict_contains), ..PySequenceMethods::EMPTY };

#[no_mangle]
pub static mut PyDict_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(dict_dealloc),
    tp_repr: Some(dict_repr),
    // The exported function itself, as in CPython (see `PyList_Type`).
    tp_hash: Some(super::typeobject::hash_not_implemented),
    tp_richcompare: Some(dict_richcompare),
    tp_iter: Some(dict_iter),
    tp_as_mapping: &raw mut DICT_AS_MAPPING,
    tp_as_sequence: &raw mut DICT_AS_SEQUENCE,
    tp_methods: (&raw mut super::dict_methods::DICT_METHODS).cast(),
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

// The dict's fields are read and written through its raw pointer, a field at a time:
// comparing keys runs code that may change the dict, so no reference into the dict
// or its table outlives the statement that made it.

fn table_of(o: *mut PyObject) -> Option<TablePtr> {
    // SAFETY: callers pass dicts; the read copies the field.
    let t = unsafe { (*(o as *mut DictObject)).table };
    (!t.is_null()).then_some(TablePtr(t))
}

fn set_table(o: *mut PyObject, t: Option<TablePtr>) {
    // SAFETY: callers pass dicts; a plain field write.
    unsafe { (*(o as *mut DictObject)).table = t.map_or(null_mut(), |t| t.0) };
}

fn set_used(o: *mut PyObject, n: Py_ssize_t) {
    // SAFETY: callers pass dicts; a plain field write.
    unsafe { (*(o as *mut DictObject)).used = n };
}

/// A table the dict holds, reached through its pointer. The table stays live until
/// the dict replaces or drops it (a resize or a clear); code that may run Python
/// code in between takes the dict's table again afterwards.
#[derive(Clone, Copy, PartialEq, Eq)]
struct TablePtr(*mut Table);

impl TablePtr {
    fn header(self) -> Table {
        // SAFETY: a live table starts with its header.
        unsafe { *self.0 }
    }
    fn mask(self) -> usize {
        self.header().index_cap - 1
    }
    fn entries_len(self) -> usize {
        self.header().entries_len
    }
    fn indices(self) -> *mut i32 {
        (self.0 as usize + core::mem::size_of::<Table>()) as *mut i32
    }
    fn entries(self) -> *mut Entry {
        let off = core::mem::size_of::<Table>() + (self.header().index_cap * 4).next_multiple_of(8);
        (self.0 as usize + off) as *mut Entry
    }
    fn index(self, slot: usize) -> i32 {
        // SAFETY: callers keep `slot` within the mask.
        unsafe { *self.indices().add(slot) }
    }
    fn set_index(self, slot: usize, ix: i32) {
        // SAFETY: as for `index`.
        unsafe { *self.indices().add(slot) = ix }
    }
    fn entry(self, i: usize) -> Entry {
        // SAFETY: callers keep `i < entries_len`.
        unsafe { *self.entries().add(i) }
    }
    fn set_entry(self, i: usize, e: Entry) {
        // SAFETY: callers keep `i < entries_len`.
        unsafe { *self.entries().add(i) = e }
    }
    /// Appends `e` and points index `slot` at it; the caller checked there is room.
    fn push(self, slot: usize, e: Entry) {
        let n = self.entries_len();
        // SAFETY: `n < entry_cap`, checked by the caller; a header field write.
        unsafe {
            *self.entries().add(n) = e;
            (*self.0).entries_len = n + 1;
        }
        self.set_index(slot, n as i32);
    }
}

/// The index slots a hash visits, in CPython's order: the low bits of the hash
/// first, then `i = 5*i + 1 + perturb` with the rest of the hash shifted in, 5 bits
/// a step, so that keys whose hashes share their low bits part ways quickly.
struct Probe {
    slot: usize,
    perturb: usize,
    mask: usize,
}

const PERTURB_SHIFT: u32 = 5;

impl Probe {
    fn new(hash: Py_hash_t, mask: usize) -> Probe {
        Probe { slot: hash as usize & mask, perturb: hash as usize, mask }
    }
    fn advance(&mut self) {
        self.perturb >>= PERTURB_SHIFT;
        self.slot = self.slot.wrapping_mul(5).wrapping_add(self.perturb).wrapping_add(1) & self.mask;
    }
}

fn alloc_table(ts: Ts, index_cap: usize) -> PyResult<TablePtr> {
    let entry_cap = index_cap * 2 / 3;
    let size =
        core::mem::size_of::<Table>() + (index_cap * 4).next_multiple_of(8) + entry_cap * core::mem::size_of::<Entry>();
    let t = memory::alloc_in(ts, size) as *mut Table;
    if t.is_null() {
        return Err(errors::no_memory(ts));
    }
    // SAFETY: fresh block sized for the header, the index and the entries.
    unsafe { *t = Table { index_cap, entry_cap, entries_len: 0 } };
    let t = TablePtr(t);
    // SAFETY: the index is `index_cap` i32s; all bytes 0xff is EMPTY (-1).
    unsafe { core::ptr::write_bytes(t.indices() as *mut u8, 0xff, index_cap * 4) };
    Ok(t)
}

/// A new empty dict; its table is made on first insertion.
pub fn new(ts: Ts) -> PyResult<*mut PyObject> {
    object::alloc_object(ts, dict_type(), 0)
}

pub fn len(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: callers pass dicts; the read copies the field.
    unsafe { (*(o as *mut DictObject)).used }
}

/// The hash of `key`, read from the cache for strings.
pub fn hash_key(ts: Ts, key: *mut PyObject) -> PyResult<Py_hash_t> {
    if unicode::check_exact(key) {
        return Ok(unicode::hash(key));
    }
    protocols::object::hash(ts, key)
}

enum Found {
    At { slot: usize, entry: usize },
    Vacant,
}

/// Finds `key` in the table of `o`. The common hit, the very same key object in the
/// first slot probed (interned strings, repeated keys), is settled inline.
#[inline]
fn find(ts: Ts, o: *mut PyObject, key: *mut PyObject, hash: Py_hash_t) -> PyResult<Found> {
    if let Some(t) = table_of(o) {
        let slot = hash as usize & t.mask();
        let ix = t.index(slot);
        if ix >= 0 && t.entry(ix as usize).key == key {
            return Ok(Found::At { slot, entry: ix as usize });
        }
    }
    probe(ts, o, key, hash)
}

/// What one comparison of the probed key with a stored one says.
enum Compared {
    Equal,
    Different,
    /// The comparison changed the table or that entry: look again from the start.
    Mutated,
}

/// The full lookup. A comparison may run code that changes the dict; then the
/// lookup starts again on whatever table the dict holds by then, as CPython does.
#[inline(never)]
fn probe(ts: Ts, o: *mut PyObject, key: *mut PyObject, hash: Py_hash_t) -> PyResult<Found> {
    'restart: loop {
        let Some(t) = table_of(o) else {
            return Ok(Found::Vacant); // emptied by a comparison
        };
        let mut p = Probe::new(hash, t.mask());
        loop {
            let ix = t.index(p.slot);
            if ix == EMPTY {
                return Ok(Found::Vacant);
            }
            if ix != TOMBSTONE {
                match compare_entry(ts, o, t, ix as usize, key, hash)? {
                    Compared::Equal => return Ok(Found::At { slot: p.slot, entry: ix as usize }),
                    Compared::Different => {}
                    Compared::Mutated => continue 'restart,
                }
            }
            p.advance();
        }
    }
}

/// Compares `key` with entry `ix` of `t`, the table of `o`. Identity and exact
/// strings are settled without running code; otherwise `==` runs, holding the stored
/// key, and its verdict counts only if `o` still holds `t` with that key at `ix`.
/// A failed comparison fails the lookup, mutated dict or not.
fn compare_entry(
    ts: Ts,
    o: *mut PyObject,
    t: TablePtr,
    ix: usize,
    key: *mut PyObject,
    hash: Py_hash_t,
) -> PyResult<Compared> {
    let e = t.entry(ix);
    if e.key == key {
        return Ok(Compared::Equal);
    }
    if e.hash != hash {
        return Ok(Compared::Different);
    }
    if unicode::check_exact(e.key) && unicode::check_exact(key) {
        return Ok(if unicode::equal(e.key, key) { Compared::Equal } else { Compared::Different });
    }
    // SAFETY: the stored key is alive; the reference keeps it so while `==` runs.
    unsafe { incref(e.key) };
    let same = protocols::object::richcompare_bool(ts, e.key, key, Py_EQ);
    // SAFETY: the reference taken above.
    unsafe { decref(e.key) };
    let same = same?;
    let unchanged = table_of(o) == Some(t) && ix < t.entries_len() && t.entry(ix).key == e.key;
    Ok(match (unchanged, same) {
        (false, _) => Compared::Mutated,
        (true, true) => Compared::Equal,
        (true, false) => Compared::Different,
    })
}

/// The value for `key` (borrowed), or None. Raises only if hashing or comparing fails.
pub fn get_item(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<Option<*mut PyObject>> {
    let hash = hash_key(ts, key)?;
    get_item_hashed(ts, o, key, hash)
}

pub fn get_item_hashed(
    ts: Ts,
    o: *mut PyObject,
    key: *mut PyObject,
    hash: Py_hash_t,
) -> PyResult<Option<*mut PyObject>> {
    if len(o) == 0 {
        return Ok(None);
    }
    match find(ts, o, key, hash)? {
        Found::At { entry, .. } => Ok(table_of(o).map(|t| t.entry(entry).value)),
        Found::Vacant => Ok(None),
    }
}

/// Stores `value` under `key` (both gain a reference).
pub fn set_item(ts: Ts, o: *mut PyObject, key: *mut PyObject, value: *mut PyObject) -> PyResult<()> {
    let hash = hash_key(ts, key)?;
    set_item_hashed(ts, o, key, hash, value)
}

pub fn set_item_hashed(
    ts: Ts,
    o: *mut PyObject,
    key: *mut PyObject,
    hash: Py_hash_t,
    value: *mut PyObject,
) -> PyResult<()> {
    object::refuse_foreign(ts, key)?;
    object::refuse_foreign(ts, value)?;
    if len(o) > 0 {
        if let Found::At { entry, .. } = find(ts, o, key, hash)? {
            // `find` ran no code after settling on `entry`: the table is the dict's.
            let t = table_of(o).expect("a found entry has a table");
            let mut e = t.entry(entry);
            let old = core::mem::replace(&mut e.value, value);
            // SAFETY: the caller's references; the entry now holds one to `value`,
            // and the one it held to `old` is given up last, as that may run code.
            unsafe { incref(value) };
            t.set_entry(entry, e);
            unsafe { decref(old) };
            return Ok(());
        }
    }
    insert_absent(ts, o, key, hash, value)
}

/// Adds an entry for a key known to be absent (both gain a reference). Runs no
/// Python code.
fn insert_absent(ts: Ts, o: *mut PyObject, key: *mut PyObject, hash: Py_hash_t, value: *mut PyObject) -> PyResult<()> {
    let t = match table_of(o) {
        None => {
            let t = alloc_table(ts, MIN_INDEX)?;
            set_table(o, Some(t));
            t
        }
        Some(t) if t.entries_len() == t.header().entry_cap => resize(ts, o, (len(o) as usize + 1) * 2)?,
        Some(t) => t,
    };
    let slot = vacant_slot(t, hash);
    // SAFETY: the caller's live objects; the new entry holds a reference to each.
    unsafe {
        incref(key);
        incref(value);
    }
    t.push(slot, Entry { hash, key, value });
    set_used(o, len(o) + 1);
    Ok(())
}

/// Makes room for `n` entries at once (before a bulk insertion).
fn reserve(ts: Ts, o: *mut PyObject, n: usize) -> PyResult<()> {
    match table_of(o) {
        None => set_table(o, Some(alloc_table(ts, index_cap_for(n))?)),
        Some(t) if t.header().entry_cap < n => {
            resize(ts, o, n)?;
        }
        Some(_) => {}
    }
    Ok(())
}

/// The smallest index size whose table holds `entries`.
fn index_cap_for(entries: usize) -> usize {
    let mut index_cap = MIN_INDEX;
    while index_cap * 2 / 3 < entries {
        index_cap *= 2;
    }
    index_cap
}

/// First free (empty or tombstone) index slot for `hash`; the key is known absent.
fn vacant_slot(t: TablePtr, hash: Py_hash_t) -> usize {
    let mut p = Probe::new(hash, t.mask());
    loop {
        let ix = t.index(p.slot);
        if ix == EMPTY || ix == TOMBSTONE {
            return p.slot;
        }
        p.advance();
    }
}

/// Rebuilds the table with room for at least `min_entries`, dropping holes, and
/// returns the new one. Runs no Python code.
fn resize(ts: Ts, o: *mut PyObject, min_entries: usize) -> PyResult<TablePtr> {
    let new = alloc_table(ts, index_cap_for(min_entries))?;
    if let Some(old) = table_of(o) {
        for i in 0..old.entries_len() {
            let e = old.entry(i);
            if !e.key.is_null() {
                new.push(vacant_slot(new, e.hash), e);
            }
        }
        // SAFETY: the old table is ours and nothing refers to it past this point.
        unsafe { memory::free(old.0 as *mut u8) };
    }
    set_table(o, Some(new));
    Ok(new)
}

/// Removes `key`; returns whether it was there.
pub fn del_item(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<bool> {
    Ok(pop_item(ts, o, key)?.map(|v| unsafe { decref(v) }).is_some())
}

/// Removes `key` and hands back its value (a new reference), or None.
pub fn pop_item(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<Option<*mut PyObject>> {
    let hash = hash_key(ts, key)?;
    if len(o) == 0 {
        return Ok(None);
    }
    match find(ts, o, key, hash)? {
        Found::Vacant => Ok(None),
        Found::At { slot, entry } => {
            // `find` ran no code after settling on `entry`: the table is the dict's.
            let t = table_of(o).expect("a found entry has a table");
            let e = t.entry(entry);
            t.set_entry(entry, Entry { hash: 0, key: null_mut(), value: null_mut() });
            t.set_index(slot, TOMBSTONE);
            set_used(o, len(o) - 1);
            // SAFETY: the entry's reference, given up last: releasing may run code.
            unsafe { decref(e.key) };
            Ok(Some(e.value))
        }
    }
}

/// The next live entry at or after `*pos`, advancing `*pos` past it (`PyDict_Next`).
pub fn next(o: *mut PyObject, pos: &mut Py_ssize_t) -> Option<Entry> {
    let t = table_of(o)?;
    if *pos < 0 {
        return None;
    }
    while (*pos as usize) < t.entries_len() {
        let e = t.entry(*pos as usize);
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

/// Empties the dict, releasing keys and values. The table is detached first: the
/// releases may run code that looks at the dict again.
pub fn clear(o: *mut PyObject) {
    let Some(t) = table_of(o) else { return };
    set_table(o, None);
    set_used(o, 0);
    for i in 0..t.entries_len() {
        let e = t.entry(i);
        if !e.key.is_null() {
            // SAFETY: the detached table's references, each given up once.
            unsafe {
                decref(e.key);
                decref(e.value);
            }
        }
    }
    // SAFETY: detached above; nothing else refers to it.
    unsafe { memory::free(t.0 as *mut u8) };
}

/// Raises `KeyError(key)`; the key is wrapped so that a tuple key stays one argument.
pub fn key_error(ts: Ts, key: *mut PyObject) -> Raised {
    match tuple::pack(ts, &[key]) {
        Ok(args) => {
            errors::set_object(ts, exceptions::exc(Exc::KeyError), args);
            unsafe { decref(args) };
            Raised
        }
        Err(e) => e,
    }
}

/// `d[key]` as a new reference, or `KeyError`.
pub fn subscript(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<*mut PyObject> {
    match get_item(ts, o, key)? {
        Some(v) => Ok(unsafe { object::new_ref(v) }),
        None => Err(key_error(ts, key)),
    }
}

/// `del d[key]`, or `KeyError`.
pub fn del_item_or_raise(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<()> {
    if del_item(ts, o, key)? {
        Ok(())
    } else {
        Err(key_error(ts, key))
    }
}

/// `key in d`.
pub fn contains(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<bool> {
    Ok(get_item(ts, o, key)?.is_some())
}

/// `d.setdefault(key, default)`: the value now stored under `key` (borrowed), and
/// whether it was inserted by this call.
pub fn set_default(
    ts: Ts,
    o: *mut PyObject,
    key: *mut PyObject,
    default: *mut PyObject,
) -> PyResult<(*mut PyObject, bool)> {
    let hash = hash_key(ts, key)?;
    if let Some(v) = get_item_hashed(ts, o, key, hash)? {
        return Ok((v, false));
    }
    set_item_hashed(ts, o, key, hash, default)?;
    Ok((default, true))
}

/// A list of the keys, in insertion order.
pub fn keys(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let keys: Vec<*mut PyObject> = entries(o).iter().map(|e| e.key).collect();
    list::from_slice(ts, &keys)
}

/// A list of the values, in insertion order.
pub fn values(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let values: Vec<*mut PyObject> = entries(o).iter().map(|e| e.value).collect();
    list::from_slice(ts, &values)
}

/// A list of `(key, value)` tuples, in insertion order.
pub fn items(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let all = entries(o);
    let out = list::new(ts, all.len() as isize)?;
    for (i, e) in all.iter().enumerate() {
        match tuple::pack(ts, &[e.key, e.value]) {
            // SAFETY: the list has `all.len()` empty slots; nothing ran since `entries`.
            Ok(pair) => unsafe { *(*(out as *mut PyListObject)).ob_item.add(i) = pair },
            Err(err) => {
                unsafe { decref(out) };
                return Err(err);
            }
        }
    }
    Ok(out)
}

/// A new dict with the same entries (a shallow copy).
pub fn copy(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let c = new(ts)?;
    if let Err(e) = copy_entries_into(ts, o, c) {
        unsafe { decref(c) };
        return Err(e);
    }
    Ok(c)
}

/// Inserts every entry of `o` into the empty dict `c`; no Python code runs.
fn copy_entries_into(ts: Ts, o: *mut PyObject, c: *mut PyObject) -> PyResult<()> {
    let all = entries(o);
    if all.is_empty() {
        return Ok(());
    }
    reserve(ts, c, all.len())?;
    for e in all {
        insert_absent(ts, c, e.key, e.hash, e.value)?;
    }
    Ok(())
}

/// Stores `value` under `key` unless `override_` is false and the key is present.
fn merge_one(
    ts: Ts,
    a: *mut PyObject,
    key: *mut PyObject,
    hash: Py_hash_t,
    value: *mut PyObject,
    override_: bool,
) -> PyResult<()> {
    if !override_ && get_item_hashed(ts, a, key, hash)?.is_some() {
        return Ok(());
    }
    set_item_hashed(ts, a, key, hash, value)
}

/// `PyDict_Merge`: adds the pairs of mapping `b` to `a`, replacing values of keys
/// already present only when `override_` holds. `b` may be any dict, or any object
/// with a `keys()` method and subscripting.
pub fn merge(ts: Ts, a: *mut PyObject, b: *mut PyObject, override_: bool) -> PyResult<()> {
    if !check(b) {
        return merge_mapping(ts, a, b, override_);
    }
    if a == b || len(b) == 0 {
        return Ok(());
    }
    if len(a) == 0 && check_exact(b) {
        return copy_entries_into(ts, b, a);
    }
    // A snapshot of `b`, held: comparing keys may run code that changes either dict.
    let pairs = entries(b);
    let keys = OwnedRefs::of(&pairs.iter().map(|e| e.key).collect::<Vec<_>>());
    let values = OwnedRefs::of(&pairs.iter().map(|e| e.value).collect::<Vec<_>>());
    reserve(ts, a, len(a) as usize + pairs.len())?;
    for (i, e) in pairs.iter().enumerate() {
        merge_one(ts, a, keys.0[i], e.hash, values.0[i], override_)?;
    }
    Ok(())
}

/// Merges a mapping that is not a dict, through `b.keys()` and `b[key]`.
fn merge_mapping(ts: Ts, a: *mut PyObject, b: *mut PyObject, override_: bool) -> PyResult<()> {
    let keys_method = protocols::attr::getattr_str(ts, b, "keys")?;
    let keys = call_without_arguments(ts, keys_method);
    unsafe { decref(keys_method) };
    let keys = keys?;
    let collected = containers::collect_iterable(ts, keys);
    unsafe { decref(keys) };
    for &key in &collected?.0 {
        let value = get_from_mapping(ts, b, key)?;
        let r = hash_key(ts, key).and_then(|h| merge_one(ts, a, key, h, value, override_));
        unsafe { decref(value) };
        r?;
    }
    Ok(())
}

fn call_without_arguments(ts: Ts, f: *mut PyObject) -> PyResult<*mut PyObject> {
    let Some(call) = (unsafe { (*type_of(f)).tp_call }) else {
        return Err(errors::type_error(ts, &format!("'{}' object is not callable", type_name(type_of(f)))));
    };
    check_result(ts, unsafe { call(f, tuple::empty(), null_mut()) }, "__call__")
}

fn get_from_mapping(ts: Ts, m: *mut PyObject, key: *mut PyObject) -> PyResult<*mut PyObject> {
    let mapping = unsafe { (*type_of(m)).tp_as_mapping };
    match unsafe { mapping.as_ref() }.and_then(|mp| mp.mp_subscript) {
        Some(f) => check_result(ts, unsafe { f(m, key) }, "__getitem__"),
        None => Err(errors::type_error(ts, &format!("'{}' object is not subscriptable", type_name(type_of(m))))),
    }
}

/// `PyDict_MergeFromSeq2`: adds the pairs of an iterable of 2-item iterables.
pub fn merge_from_pairs(ts: Ts, a: *mut PyObject, seq: *mut PyObject, override_: bool) -> PyResult<()> {
    let elements = containers::collect_iterable(ts, seq)?;
    for (i, &element) in elements.0.iter().enumerate() {
        if !containers::is_iterable(element) {
            let message = format!("cannot convert dictionary update sequence element #{i} to a sequence");
            return Err(errors::type_error(ts, &message));
        }
        let pair = containers::collect_iterable(ts, element)?;
        if pair.0.len() != 2 {
            let n = pair.0.len();
            let message = format!("dictionary update sequence element #{i} has length {n}; 2 is required");
            return Err(errors::value_error(ts, &message));
        }
        let (key, value) = (pair.0[0], pair.0[1]);
        merge_one(ts, a, key, hash_key(ts, key)?, value, override_)?;
    }
    Ok(())
}

/// `a == b`: the same keys, each with equal values.
pub fn equal(ts: Ts, a: *mut PyObject, b: *mut PyObject) -> PyResult<bool> {
    if len(a) != len(b) {
        return Ok(false);
    }
    let _nested = containers::enter_nested(ts, "in comparison")?;
    let mut pos = 0;
    while let Some(e) = next(a, &mut pos) {
        let held = OwnedRefs::of(&[e.key, e.value]);
        let Some(other) = get_item_hashed(ts, b, e.key, e.hash)? else { return Ok(false) };
        let other = OwnedRefs::of(&[other]);
        if !protocols::object::richcompare_bool(ts, held.0[1], other.0[0], Py_EQ)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `{k: v, ...}`; `{...}` for a dict met again inside itself.
pub fn repr(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if len(o) == 0 {
        return unicode::from_str(ts, "{}");
    }
    let Some(_guard) = containers::repr_enter(ts, o) else {
        return unicode::from_str(ts, "{...}");
    };
    let _nested = containers::enter_nested(ts, "while getting the repr of an object")?;
    let mut text = Text::new();
    text.push_str("{");
    let mut pos = 0;
    let mut first = true;
    while let Some(e) = next(o, &mut pos) {
        if !first {
            text.push_str(", ");
        }
        first = false;
        let held = OwnedRefs::of(&[e.key, e.value]);
        text.push_repr(ts, held.0[0])?;
        text.push_str(": ");
        text.push_repr(ts, held.0[1])?;
    }
    text.push_str("}");
    text.finish(ts)
}

unsafe extern "C" fn dict_length(o: *mut PyObject) -> Py_ssize_t {
    boundary::guard(|| len(o))
}

unsafe extern "C" fn dict_subscript(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| subscript(ts, o, key).unwrap_or(null_mut()))
}

/// `d[key] = v`, or `del d[key]` when `v` is null.
unsafe extern "C" fn dict_ass_subscript(o: *mut PyObject, key: *mut PyObject, v: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| {
        let r = if v.is_null() { del_item_or_raise(ts, o, key) } else { set_item(ts, o, key, v) };
        r.map_or(-1, |()| 0)
    })
}

unsafe extern "C" fn dict_contains(o: *mut PyObject, key: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| contains(ts, o, key).map_or(-1, c_int::from))
}

unsafe extern "C" fn dict_iter(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        super::iterobject::dict_iter(ts, o, super::iterobject::DictIterKind::Keys).unwrap_or(null_mut())
    })
}

unsafe extern "C" fn dict_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| repr(ts, o).unwrap_or(null_mut()))
}

/// Only `==` and `!=` are defined between dicts.
unsafe extern "C" fn dict_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        if !check(a) || !check(b) || (op != Py_EQ && op != Py_NE) {
            return singletons::not_implemented();
        }
        match equal(ts, a, b) {
            Ok(same) => bool_::from_bool(same == (op == Py_EQ)),
            Err(Raised) => null_mut(),
        }
    })
}

unsafe extern "C" fn dict_dealloc(o: *mut PyObject) {
    boundary::guard(|| {
        containers::dealloc_nested(o, release_dict);
    })
}

unsafe fn release_dict(o: *mut PyObject) {
    clear(o);
    unsafe { object::free_object(o) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_sizes_keep_a_third_free() {
        assert_eq!(index_cap_for(0), MIN_INDEX);
        assert_eq!(index_cap_for(5), 8);
        assert_eq!(index_cap_for(6), 16);
        assert_eq!(index_cap_for(10_000), 16_384);
        for n in [1usize, 7, 100, 12_345] {
            let cap = index_cap_for(n);
            assert!(cap.is_power_of_two() && cap * 2 / 3 >= n && (cap / 2) * 2 / 3 < n.max(6));
        }
    }

    /// The slots `hash` visits in a table of `cap` slots, first `steps` of them.
    fn visits(hash: Py_hash_t, cap: usize, steps: usize) -> Vec<usize> {
        let mut p = Probe::new(hash, cap - 1);
        (0..steps)
            .map(|_| {
                let s = p.slot;
                p.advance();
                s
            })
            .collect()
    }

    #[test]
    fn probing_reaches_every_slot() {
        // Once the hash bits are used up, i = 5i + 1 runs through the whole table.
        for hash in [0, 1, -2, 1 << 40, 0x7fff_ffff_ffff_ffff] {
            let mut seen = visits(hash, 64, 64 + 64);
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len(), 64, "hash {hash:#x}");
        }
    }

    #[test]
    fn hashes_sharing_low_bits_part_ways() {
        // Strided ints (stride 2**15) all start at slot 0 of a 2**15-slot table;
        // the high bits must send them to different second slots.
        let cap = 1 << 15;
        let seconds: Vec<usize> = (0..32).map(|i| visits(i << 15, cap, 2)[1]).collect();
        let mut distinct = seconds.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), seconds.len());
        // CPython's sequence for hash 2**15 in 8 slots: 0, then 5*0 + 1024 + 1.
        assert_eq!(visits(1 << 15, 8, 3), vec![0, 1025 & 7, (5 + 32 + 1) & 7]);
    }
}
