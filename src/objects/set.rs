//! `set` and `frozenset`: open-addressing hash tables of keys, in CPython's layout
//! (`PySetObject`) and with its probe order: a few neighbouring slots first, then
//! `i = 5*i + 1 + perturb` with the higher hash bits shifted in. Deleted keys leave
//! a dummy behind until the next resize.
//!
//! Comparing keys may run code that changes the set; lookups then start again on
//! whatever table the set holds, and no reference into a table is kept across a
//! comparison.

use super::containers::{self, OwnedRefs, Text};
use super::exceptions::{self, Exc};
use super::object::{self, decref, incref, type_of};
use super::typeobject::type_name;
use super::{bool_, dict, singletons, unicode};
use crate::abi::*;
use crate::memory;
use crate::protocols;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ffi::c_int;
use core::ptr::null_mut;

/// Neighbouring slots looked at before jumping on.
const LINEAR_PROBES: usize = 9;
const PERTURB_SHIFT: u32 = 5;

/// The key of a dummy slot: never an object anyone else sees.
static mut DUMMY: PyObject =
    PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut super::object::PyBaseObject_Type };

fn dummy() -> *mut PyObject {
    &raw mut DUMMY
}

static mut SET_AS_NUMBER: PyNumberMethods = PyNumberMethods {
    nb_subtract: Some(set_sub),
    nb_and: Some(set_and),
    nb_xor: Some(set_xor),
    nb_or: Some(set_or),
    nb_inplace_subtract: Some(set_isub),
    nb_inplace_and: Some(set_iand),
    nb_inplace_xor: Some(set_ixor),
    nb_inplace_or: Some(set_ior),
    ..PyNumberMethods::EMPTY
};

static mut FROZENSET_AS_NUMBER: PyNumberMethods = PyNumberMethods {
    nb_subtract: Some(set_sub),
    nb_and: Some(set_and),
    nb_xor: Some(set_xor),
    nb_or: Some(set_or),
    ..PyNumberMethods::EMPTY
};

static mut SET_AS_SEQUENCE: PySequenceMethods =
    PySequenceMethods { sq_length: Some(set_len), sq_contains: Some(set_contains), ..PySequenceMethods::EMPTY };

const SET_SIZE: usize = core::mem::size_of::<PySetObject>();

#[no_mangle]
pub static mut PySet_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(set_dealloc),
    tp_repr: Some(set_repr),
    tp_as_number: &raw mut SET_AS_NUMBER,
    tp_as_sequence: &raw mut SET_AS_SEQUENCE,
    // The exported function itself, as in CPython (see `PyList_Type`).
    tp_hash: Some(super::typeobject::hash_not_implemented),
    tp_richcompare: Some(set_richcompare),
    tp_iter: Some(set_iter),
    tp_methods: (&raw mut super::set_methods::SET_METHODS).cast(),
    tp_init: Some(set_init),
    tp_new: Some(set_new),
    tp_flags: Py_TPFLAGS_BASETYPE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"set", SET_SIZE, 0)
};

#[no_mangle]
pub static mut PyFrozenSet_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(set_dealloc),
    tp_repr: Some(set_repr),
    tp_as_number: &raw mut FROZENSET_AS_NUMBER,
    tp_as_sequence: &raw mut SET_AS_SEQUENCE,
    tp_hash: Some(frozenset_hash),
    tp_richcompare: Some(set_richcompare),
    tp_iter: Some(set_iter),
    tp_methods: (&raw mut super::set_methods::FROZENSET_METHODS).cast(),
    tp_new: Some(frozenset_new),
    tp_flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_IMMUTABLETYPE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"frozenset", SET_SIZE, 0)
};

#[no_mangle]
pub static mut PySetIter_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(set_iter_dealloc),
    tp_iter: Some(super::iterobject::self_iter),
    tp_iternext: Some(set_iter_next),
    tp_flags: Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"set_iterator", core::mem::size_of::<SetIterObject>(), 0)
};

#[inline]
pub fn set_type() -> *mut PyTypeObject {
    &raw mut PySet_Type
}

#[inline]
pub fn frozenset_type() -> *mut PyTypeObject {
    &raw mut PyFrozenSet_Type
}

/// `PySet_Check`: a set or an instance of a subclass of set.
pub fn check_set(o: *mut PyObject) -> bool {
    object::is_subtype(type_of(o), set_type())
}

/// `PyFrozenSet_Check`.
pub fn check_frozenset(o: *mut PyObject) -> bool {
    object::is_subtype(type_of(o), frozenset_type())
}

/// `PyAnySet_Check`: a set or frozenset, subclasses included.
pub fn check_any(o: *mut PyObject) -> bool {
    check_set(o) || check_frozenset(o)
}

// The set's fields are read and written through its raw pointer, a field at a time;
// no reference into the set or its table outlives the statement that made it.

fn so(o: *mut PyObject) -> *mut PySetObject {
    o as *mut PySetObject
}

pub fn len(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: callers pass sets; a field read.
    unsafe { (*so(o)).used }
}

fn mask(o: *mut PyObject) -> usize {
    // SAFETY: as for `len`.
    unsafe { (*so(o)).mask as usize }
}

fn table(o: *mut PyObject) -> *mut setentry {
    // SAFETY: as for `len`.
    unsafe { (*so(o)).table }
}

fn small_table(o: *mut PyObject) -> *mut setentry {
    // SAFETY: callers pass sets; the address of a field.
    unsafe { (&raw mut (*so(o)).smalltable) as *mut setentry }
}

fn entry(o: *mut PyObject, i: usize) -> setentry {
    // SAFETY: callers keep `i <= mask`; the table has mask + 1 slots.
    unsafe { *table(o).add(i) }
}

fn set_entry(o: *mut PyObject, i: usize, e: setentry) {
    // SAFETY: as for `entry`.
    unsafe { *table(o).add(i) = e }
}

fn is_active(e: setentry) -> bool {
    !e.key.is_null() && e.key != dummy()
}

/// Makes a fresh, zeroed instance an empty set: its table is the inline one.
fn init_empty(o: *mut PyObject) {
    // SAFETY: a fresh instance of a set type, at least `PySetObject` in size.
    unsafe {
        (*so(o)).mask = PySet_MINSIZE as isize - 1;
        (*so(o)).table = small_table(o);
        (*so(o)).hash = -1;
    }
}

/// An empty set of type `ty` (set, frozenset or a subclass).
pub fn new_empty(ts: Ts, ty: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    let o = object::alloc_object(ts, ty, 0)?;
    init_empty(o);
    Ok(o)
}

/// A new set of type `ty` holding the items of `iterable` (none when null).
pub fn new_from(ts: Ts, ty: *mut PyTypeObject, iterable: *mut PyObject) -> PyResult<*mut PyObject> {
    let o = new_empty(ts, ty)?;
    if !iterable.is_null() {
        if let Err(e) = update(ts, o, iterable) {
            unsafe { decref(o) };
            return Err(e);
        }
    }
    Ok(o)
}

/// The slots `hash` visits: from each jump target, it and up to `LINEAR_PROBES`
/// neighbours (when they fit before the end), then the next jump, computed from the
/// target, not from the last neighbour.
struct Probe {
    slot: usize,
    target: usize,
    perturb: usize,
    left_in_run: usize,
}

impl Probe {
    fn new(hash: Py_hash_t, mask: usize) -> Probe {
        let target = hash as usize & mask;
        Probe { slot: target, target, perturb: hash as usize, left_in_run: Self::run(target, mask) }
    }
    fn run(target: usize, mask: usize) -> usize {
        if target + LINEAR_PROBES <= mask {
            LINEAR_PROBES
        } else {
            0
        }
    }
    fn advance(&mut self, mask: usize) {
        if self.left_in_run > 0 {
            self.left_in_run -= 1;
            self.slot += 1;
            return;
        }
        self.perturb >>= PERTURB_SHIFT;
        self.target = self.target.wrapping_mul(5).wrapping_add(1).wrapping_add(self.perturb) & mask;
        self.slot = self.target;
        self.left_in_run = Self::run(self.target, mask);
    }
}

/// What comparing the probed key with a stored one says.
enum Compared {
    Equal,
    Different,
    Mutated,
}

/// Compares `key` with the active entry `i` (same hash) of `o`; identity and exact
/// strings settle it without running code.
fn compare(ts: Ts, o: *mut PyObject, i: usize, key: *mut PyObject) -> PyResult<Compared> {
    let e = entry(o, i);
    if e.key == key {
        return Ok(Compared::Equal);
    }
    if unicode::check_exact(e.key) && unicode::check_exact(key) {
        return Ok(if unicode::equal(e.key, key) { Compared::Equal } else { Compared::Different });
    }
    let before = table(o);
    // SAFETY: the stored key is alive; the reference keeps it so while `==` runs.
    unsafe { incref(e.key) };
    let same = protocols::object::richcompare_bool(ts, e.key, key, Py_EQ);
    unsafe { decref(e.key) };
    let same = same?;
    if table(o) != before || i > mask(o) || entry(o, i).key != e.key {
        return Ok(Compared::Mutated);
    }
    Ok(if same { Compared::Equal } else { Compared::Different })
}

enum Slot {
    /// An active entry holding an equal key.
    Found(usize),
    /// The key is absent: where it would go (the first dummy passed, else the empty
    /// slot that ended the search), and whether that slot is empty.
    Absent { at: usize, empty: bool },
}

/// Finds `key` in `o`, starting again whenever a comparison changed the set.
fn lookup(ts: Ts, o: *mut PyObject, key: *mut PyObject, hash: Py_hash_t) -> PyResult<Slot> {
    'restart: loop {
        let m = mask(o);
        let mut p = Probe::new(hash, m);
        let mut first_dummy = None;
        loop {
            let e = entry(o, p.slot);
            if e.key.is_null() {
                return Ok(match first_dummy {
                    Some(at) => Slot::Absent { at, empty: false },
                    None => Slot::Absent { at: p.slot, empty: true },
                });
            }
            if e.hash == hash && e.key != dummy() {
                match compare(ts, o, p.slot, key)? {
                    Compared::Equal => return Ok(Slot::Found(p.slot)),
                    Compared::Different => {}
                    Compared::Mutated => continue 'restart,
                }
            } else if e.key == dummy() && first_dummy.is_none() {
                first_dummy = Some(p.slot);
            }
            p.advance(m);
        }
    }
}

/// Whether `key` (hashed as `hash`) is in `o`.
pub fn contains_hashed(ts: Ts, o: *mut PyObject, key: *mut PyObject, hash: Py_hash_t) -> PyResult<bool> {
    Ok(matches!(lookup(ts, o, key, hash)?, Slot::Found(_)))
}

/// `key in o` (`PySet_Contains`): an unhashable key is an error.
pub fn contains_key(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<bool> {
    let hash = dict::hash_key(ts, key)?;
    contains_hashed(ts, o, key, hash)
}

/// `key in o` as the `in` operator has it: a set key is looked up as a frozenset.
pub fn contains(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<bool> {
    match contains_key(ts, o, key) {
        Err(Raised) if check_set(key) && unhashable_pending(ts) => {
            errors::clear(ts);
            let frozen = new_from(ts, frozenset_type(), key)?;
            let r = contains_key(ts, o, frozen);
            unsafe { decref(frozen) };
            r
        }
        r => r,
    }
}

fn unhashable_pending(ts: Ts) -> bool {
    object::is_subtype(type_of(ts.exception()), exceptions::exc(Exc::TypeError))
}

/// Adds `key` (a new reference when inserted).
pub fn add(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<()> {
    let hash = dict::hash_key(ts, key)?;
    add_hashed(ts, o, key, hash)
}

pub fn add_hashed(ts: Ts, o: *mut PyObject, key: *mut PyObject, hash: Py_hash_t) -> PyResult<()> {
    object::refuse_foreign(ts, key)?;
    let (at, empty) = match lookup(ts, o, key, hash)? {
        Slot::Found(_) => return Ok(()),
        Slot::Absent { at, empty } => (at, empty),
    };
    // SAFETY: the caller's live key; the table holds a reference from now on.
    unsafe { incref(key) };
    set_entry(o, at, setentry { key, hash });
    // SAFETY: callers pass sets; field updates.
    unsafe {
        (*so(o)).used += 1;
        if empty {
            (*so(o)).fill += 1;
        }
    }
    // SAFETY: as above.
    let fill = unsafe { (*so(o)).fill } as usize;
    if fill * 5 < mask(o) * 3 {
        return Ok(());
    }
    let used = len(o) as usize;
    resize(ts, o, if used > 50_000 { used * 2 } else { used * 4 })
}

/// Rebuilds the table with more than `min_used` slots (a power of two, at least
/// the inline eight), dropping dummies. Runs no Python code.
fn resize(ts: Ts, o: *mut PyObject, min_used: usize) -> PyResult<()> {
    let mut size = PySet_MINSIZE;
    while size <= min_used {
        size <<= 1;
    }
    let live: Vec<setentry> = (0..=mask(o)).map(|i| entry(o, i)).filter(|&e| is_active(e)).collect();
    let new_table = if size == PySet_MINSIZE {
        small_table(o)
    } else {
        let bytes = size.checked_mul(core::mem::size_of::<setentry>()).ok_or_else(|| errors::no_memory(ts))?;
        let t = memory::alloc_in(ts, bytes) as *mut setentry;
        if t.is_null() {
            return Err(errors::no_memory(ts));
        }
        t
    };
    let old = table(o);
    // SAFETY: `new_table` has `size` slots (the inline table has eight); the live
    // entries were copied out above, so the inline table may be the new one too.
    unsafe {
        core::ptr::write_bytes(new_table, 0, size);
        (*so(o)).table = new_table;
        (*so(o)).mask = size as isize - 1;
        (*so(o)).fill = live.len() as isize;
        (*so(o)).used = live.len() as isize;
    }
    for e in live {
        let mut p = Probe::new(e.hash, size - 1);
        while !entry(o, p.slot).key.is_null() {
            p.advance(size - 1);
        }
        set_entry(o, p.slot, e);
    }
    if old != small_table(o) && old != new_table {
        // SAFETY: a table of ours, no longer referred to.
        unsafe { memory::free(old as *mut u8) };
    }
    Ok(())
}

/// Removes `key`; whether it was there (`PySet_Discard`).
pub fn discard(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<bool> {
    let hash = dict::hash_key(ts, key)?;
    discard_hashed(ts, o, key, hash)
}

fn discard_hashed(ts: Ts, o: *mut PyObject, key: *mut PyObject, hash: Py_hash_t) -> PyResult<bool> {
    let Slot::Found(i) = lookup(ts, o, key, hash)? else { return Ok(false) };
    let old = entry(o, i).key;
    set_entry(o, i, setentry { key: dummy(), hash: -1 });
    // SAFETY: callers pass sets; a field update.
    unsafe { (*so(o)).used -= 1 };
    // SAFETY: the table's reference, given up last: releasing may run code.
    unsafe { decref(old) };
    Ok(true)
}

/// Removes and returns an arbitrary key (`PySet_Pop`), or `KeyError`.
pub fn pop(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if len(o) == 0 {
        return Err(errors::set_string(ts, exceptions::exc(Exc::KeyError), "pop from an empty set"));
    }
    let m = mask(o);
    // SAFETY: callers pass sets; a field read.
    let mut i = unsafe { (*so(o)).finger } as usize & m;
    while !is_active(entry(o, i)) {
        i = (i + 1) & m;
    }
    let key = entry(o, i).key;
    set_entry(o, i, setentry { key: dummy(), hash: -1 });
    // SAFETY: field updates; the table's reference passes to the caller.
    unsafe {
        (*so(o)).used -= 1;
        (*so(o)).finger = (i + 1) as isize;
    }
    Ok(key)
}

/// Empties the set. The table is detached first: releasing keys may run code that
/// looks at the set.
pub fn clear(o: *mut PyObject) {
    let old = table(o);
    let live: Vec<*mut PyObject> =
        (0..=mask(o)).map(|i| entry(o, i)).filter(|&e| is_active(e)).map(|e| e.key).collect();
    // SAFETY: callers pass sets; the inline table is reset in place.
    unsafe {
        core::ptr::write_bytes(small_table(o), 0, PySet_MINSIZE);
        (*so(o)).table = small_table(o);
        (*so(o)).mask = PySet_MINSIZE as isize - 1;
        (*so(o)).fill = 0;
        (*so(o)).used = 0;
        (*so(o)).finger = 0;
    }
    if old != small_table(o) {
        // SAFETY: a table of ours, detached above.
        unsafe { memory::free(old as *mut u8) };
    }
    for key in live {
        // SAFETY: the detached table's references, each given up once.
        unsafe { decref(key) };
    }
}

/// The active entries of `o`, keys held, in table order.
fn held_entries(o: *mut PyObject) -> (OwnedRefs, Vec<Py_hash_t>) {
    let live: Vec<setentry> = (0..=mask(o)).map(|i| entry(o, i)).filter(|&e| is_active(e)).collect();
    let keys = OwnedRefs::of(&live.iter().map(|e| e.key).collect::<Vec<_>>());
    (keys, live.iter().map(|e| e.hash).collect())
}

/// The keys of `o` in table order (borrowed).
pub fn keys(o: *mut PyObject) -> Vec<*mut PyObject> {
    (0..=mask(o)).map(|i| entry(o, i)).filter(|&e| is_active(e)).map(|e| e.key).collect()
}

/// Adds every item of `iterable` (`set.update`).
pub fn update(ts: Ts, o: *mut PyObject, iterable: *mut PyObject) -> PyResult<()> {
    if check_any(iterable) {
        let (keys, hashes) = held_entries(iterable);
        for (&k, &h) in keys.0.iter().zip(&hashes) {
            add_hashed(ts, o, k, h)?;
        }
        return Ok(());
    }
    if dict::check_exact(iterable) {
        let entries = dict::entries(iterable);
        let keys = OwnedRefs::of(&entries.iter().map(|e| e.key).collect::<Vec<_>>());
        for (&k, e) in keys.0.iter().zip(&entries) {
            add_hashed(ts, o, k, e.hash)?;
        }
        return Ok(());
    }
    let it = protocols::iter::get_iter(ts, iterable)?;
    let r = add_all_from(ts, o, it);
    unsafe { decref(it) };
    r
}

fn add_all_from(ts: Ts, o: *mut PyObject, it: *mut PyObject) -> PyResult<()> {
    while let Some(x) = protocols::iter::next(ts, it)? {
        let r = add(ts, o, x);
        unsafe { decref(x) };
        r?;
    }
    Ok(())
}

/// The type of a new set made from `o`: set and frozenset subclasses give their
/// base, as CPython's operators do.
fn base_type_of(o: *mut PyObject) -> *mut PyTypeObject {
    if check_set(o) {
        set_type()
    } else {
        frozenset_type()
    }
}

/// A copy of `o` of its base type.
fn copy_base(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    new_from(ts, base_type_of(o), o)
}

/// Runs `fill` on a new set, releasing it if that fails.
fn build(o: *mut PyObject, fill: impl FnOnce(*mut PyObject) -> PyResult<()>) -> PyResult<*mut PyObject> {
    match fill(o) {
        Ok(()) => Ok(o),
        Err(e) => {
            unsafe { decref(o) };
            Err(e)
        }
    }
}

/// `a | b`.
pub fn union(ts: Ts, a: *mut PyObject, b: *mut PyObject) -> PyResult<*mut PyObject> {
    let r = copy_base(ts, a)?;
    build(r, |r| update(ts, r, b))
}

/// `a & b`, iterating the smaller set.
pub fn intersection(ts: Ts, a: *mut PyObject, b: *mut PyObject) -> PyResult<*mut PyObject> {
    let r = new_empty(ts, base_type_of(a))?;
    let (small, large) = if len(b) > len(a) { (a, b) } else { (b, a) };
    build(r, |r| {
        let (keys, hashes) = held_entries(small);
        for (&k, &h) in keys.0.iter().zip(&hashes) {
            if contains_hashed(ts, large, k, h)? {
                add_hashed(ts, r, k, h)?;
            }
        }
        Ok(())
    })
}

/// `a - b`.
pub fn difference(ts: Ts, a: *mut PyObject, b: *mut PyObject) -> PyResult<*mut PyObject> {
    let r = new_empty(ts, base_type_of(a))?;
    build(r, |r| {
        let (keys, hashes) = held_entries(a);
        for (&k, &h) in keys.0.iter().zip(&hashes) {
            if !contains_hashed(ts, b, k, h)? {
                add_hashed(ts, r, k, h)?;
            }
        }
        Ok(())
    })
}

/// `a ^ b`.
pub fn symmetric_difference(ts: Ts, a: *mut PyObject, b: *mut PyObject) -> PyResult<*mut PyObject> {
    let r = copy_base(ts, a)?;
    build(r, |r| symmetric_difference_update(ts, r, b))
}

/// `a -= b`, for sets.
pub fn difference_update(ts: Ts, a: *mut PyObject, b: *mut PyObject) -> PyResult<()> {
    if a == b {
        clear(a);
        return Ok(());
    }
    let (keys, hashes) = held_entries(b);
    for (&k, &h) in keys.0.iter().zip(&hashes) {
        discard_hashed(ts, a, k, h)?;
    }
    Ok(())
}

/// `a ^= b`, for sets.
pub fn symmetric_difference_update(ts: Ts, a: *mut PyObject, b: *mut PyObject) -> PyResult<()> {
    if a == b {
        clear(a);
        return Ok(());
    }
    let (keys, hashes) = held_entries(b);
    for (&k, &h) in keys.0.iter().zip(&hashes) {
        if !discard_hashed(ts, a, k, h)? {
            add_hashed(ts, a, k, h)?;
        }
    }
    Ok(())
}

/// `a &= b`, for sets: `a` keeps only the keys `b` has too.
pub fn intersection_update(ts: Ts, a: *mut PyObject, b: *mut PyObject) -> PyResult<()> {
    let common = intersection(ts, a, b)?;
    clear(a);
    let r = update(ts, a, common);
    unsafe { decref(common) };
    r
}

/// Whether every key of `a` is in `b`.
pub fn is_subset(ts: Ts, a: *mut PyObject, b: *mut PyObject) -> PyResult<bool> {
    if len(a) > len(b) {
        return Ok(false);
    }
    let (keys, hashes) = held_entries(a);
    for (&k, &h) in keys.0.iter().zip(&hashes) {
        if !contains_hashed(ts, b, k, h)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Subset and superset comparisons; `==` is equality of contents.
pub fn richcompare(ts: Ts, v: *mut PyObject, w: *mut PyObject, op: c_int) -> PyResult<*mut PyObject> {
    if !check_any(w) {
        return Ok(singletons::not_implemented());
    }
    let r = match op {
        Py_EQ | Py_NE => {
            // SAFETY: both are sets; field reads of the cached hashes.
            let (hv, hw) = unsafe { ((*so(v)).hash, (*so(w)).hash) };
            let same = len(v) == len(w) && !(hv != -1 && hw != -1 && hv != hw) && is_subset(ts, v, w)?;
            same == (op == Py_EQ)
        }
        Py_LE => is_subset(ts, v, w)?,
        Py_GE => is_subset(ts, w, v)?,
        Py_LT => len(v) < len(w) && is_subset(ts, v, w)?,
        _ => len(v) > len(w) && is_subset(ts, w, v)?,
    };
    Ok(bool_::from_bool(r))
}

fn shuffle_bits(h: u64) -> u64 {
    ((h ^ 89_869_747) ^ (h << 16)).wrapping_mul(3_644_798_167)
}

/// CPython's frozenset hash: the shuffled key hashes combined with xor (so order
/// does not matter), then the size folded in and the bits dispersed. Cached.
pub fn hash(o: *mut PyObject) -> Py_hash_t {
    // SAFETY: callers pass frozensets; field reads and the cache write.
    let cached = unsafe { (*so(o)).hash };
    if cached != -1 {
        return cached;
    }
    let mut h: u64 = 0;
    for i in 0..=mask(o) {
        let e = entry(o, i);
        if is_active(e) {
            h ^= shuffle_bits(e.hash as u64);
        }
    }
    h ^= (len(o) as u64 + 1).wrapping_mul(1_927_868_237);
    h ^= (h >> 11) ^ (h >> 25);
    h = h.wrapping_mul(69_069).wrapping_add(907_133_923);
    let mut h = h as Py_hash_t;
    if h == -1 {
        h = 590_923_713;
    }
    unsafe { (*so(o)).hash = h };
    h
}

/// `set()`, `{1, 2}`, `frozenset({1, 2})`, `Sub({1, 2})`; `Sub(...)` when met again
/// inside itself.
pub fn repr(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let name = type_name(type_of(o));
    let exact_set = type_of(o) == set_type();
    if len(o) == 0 {
        return unicode::from_str(ts, &format!("{name}()"));
    }
    let Some(_guard) = containers::repr_enter(ts, o) else {
        return unicode::from_str(ts, &format!("{name}(...)"));
    };
    let _nested = containers::enter_nested(ts, "while getting the repr of an object")?;
    let keys = OwnedRefs::of(&keys(o));
    let mut text = Text::new();
    if !exact_set {
        text.push_str(name);
        text.push_str("(");
    }
    text.push_str("{");
    for (i, &k) in keys.0.iter().enumerate() {
        if i > 0 {
            text.push_str(", ");
        }
        text.push_repr(ts, k)?;
    }
    text.push_str("}");
    if !exact_set {
        text.push_str(")");
    }
    text.finish(ts)
}

/// The optional single argument of `set(...)`/`frozenset(...)` (null when absent):
/// no keywords when `check_keywords`, at most one positional; `name` is the type's.
fn one_optional_argument(
    ts: Ts,
    base: &str,
    name: &str,
    args: *mut PyObject,
    kwds: *mut PyObject,
    check_keywords: bool,
) -> PyResult<*mut PyObject> {
    if check_keywords && !kwds.is_null() && dict::check(kwds) && dict::len(kwds) > 0 {
        return Err(errors::type_error(ts, &format!("{base}() takes no keyword arguments")));
    }
    let given = super::tuple::items(args);
    match given {
        [] => Ok(null_mut()),
        [one] => Ok(*one),
        _ => Err(errors::type_error(ts, &format!("{name} expected at most 1 argument, got {}", given.len()))),
    }
}

/// `set.__new__`: an empty set; `__init__` checks the arguments and fills it.
fn new_set(ts: Ts, ty: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    new_empty(ts, ty)
}

/// `set.__init__`: empties the set, then adds the items of the argument.
fn init_set(ts: Ts, o: *mut PyObject, args: *mut PyObject, kwds: *mut PyObject) -> PyResult<()> {
    let iterable = one_optional_argument(ts, "set", type_name(type_of(o)), args, kwds, true)?;
    clear(o);
    if iterable.is_null() {
        return Ok(());
    }
    update(ts, o, iterable)
}

/// `frozenset.__new__`: an exact frozenset given to `frozenset()` is returned as is.
fn new_frozenset(ts: Ts, ty: *mut PyTypeObject, args: *mut PyObject, kwds: *mut PyObject) -> PyResult<*mut PyObject> {
    let iterable = one_optional_argument(ts, "frozenset", type_name(ty), args, kwds, ty == frozenset_type())?;
    if ty == frozenset_type() && !iterable.is_null() && type_of(iterable) == frozenset_type() {
        return Ok(unsafe { object::new_ref(iterable) });
    }
    new_from(ts, ty, iterable)
}

// ---------------------------------------------------------------------------------
// Slots

unsafe extern "C" fn set_new(ty: *mut PyTypeObject, _args: *mut PyObject, _kwds: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| new_set(ts, ty))
}

unsafe extern "C" fn set_init(o: *mut PyObject, args: *mut PyObject, kwds: *mut PyObject) -> c_int {
    boundary::slot(|ts| init_set(ts, o, args, kwds))
}

unsafe extern "C" fn frozenset_new(ty: *mut PyTypeObject, args: *mut PyObject, kwds: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| new_frozenset(ts, ty, args, kwds))
}

unsafe extern "C" fn set_dealloc(o: *mut PyObject) {
    boundary::guard(|| containers::dealloc_nested(o, release_set))
}

unsafe fn release_set(o: *mut PyObject) {
    clear(o);
    unsafe { object::free_object(o) }
}

unsafe extern "C" fn set_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| repr(ts, o))
}

unsafe extern "C" fn set_len(o: *mut PyObject) -> Py_ssize_t {
    boundary::guard(|| len(o))
}

unsafe extern "C" fn set_contains(o: *mut PyObject, key: *mut PyObject) -> c_int {
    boundary::slot(|ts| contains(ts, o, key))
}

unsafe extern "C" fn frozenset_hash(o: *mut PyObject) -> Py_hash_t {
    boundary::guard(|| hash(o))
}

unsafe extern "C" fn set_richcompare(v: *mut PyObject, w: *mut PyObject, op: c_int) -> *mut PyObject {
    boundary::slot(|ts| richcompare(ts, v, w, op))
}

/// A binary operator between two sets of any kind; NotImplemented otherwise.
fn binary(
    ts: Ts,
    a: *mut PyObject,
    b: *mut PyObject,
    op: fn(Ts, *mut PyObject, *mut PyObject) -> PyResult<*mut PyObject>,
) -> PyResult<*mut PyObject> {
    if !check_any(a) || !check_any(b) {
        return Ok(singletons::not_implemented());
    }
    op(ts, a, b)
}

/// An in-place operator on a set with another set of any kind; `a` itself back.
fn inplace(
    ts: Ts,
    a: *mut PyObject,
    b: *mut PyObject,
    op: fn(Ts, *mut PyObject, *mut PyObject) -> PyResult<()>,
) -> PyResult<*mut PyObject> {
    if !check_any(b) {
        return Ok(singletons::not_implemented());
    }
    op(ts, a, b)?;
    Ok(unsafe { object::new_ref(a) })
}

unsafe extern "C" fn set_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| binary(ts, a, b, union))
}

unsafe extern "C" fn set_and(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| binary(ts, a, b, intersection))
}

unsafe extern "C" fn set_sub(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| binary(ts, a, b, difference))
}

unsafe extern "C" fn set_xor(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| binary(ts, a, b, symmetric_difference))
}

unsafe extern "C" fn set_ior(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| inplace(ts, a, b, update))
}

unsafe extern "C" fn set_iand(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| inplace(ts, a, b, intersection_update))
}

unsafe extern "C" fn set_isub(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| inplace(ts, a, b, difference_update))
}

unsafe extern "C" fn set_ixor(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| inplace(ts, a, b, symmetric_difference_update))
}

// ---------------------------------------------------------------------------------
// Iterator

/// The set (null once exhausted), its size when the iteration started, the next
/// slot, and how many keys are left.
#[repr(C)]
struct SetIterObject {
    ob_base: PyObject,
    set: *mut PyObject,
    used: Py_ssize_t,
    pos: Py_ssize_t,
    remaining: Py_ssize_t,
}

fn it_fields(it: *mut PyObject) -> *mut SetIterObject {
    it as *mut SetIterObject
}

/// `iter(set)`.
pub fn iter(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let it = object::alloc_fixed::<SetIterObject>(ts, &raw mut PySetIter_Type)?;
    // SAFETY: a fresh, zeroed iterator; it takes a reference to the set.
    unsafe {
        (*it).set = object::new_ref(o);
        (*it).used = len(o);
        (*it).remaining = len(o);
    }
    Ok(it as *mut PyObject)
}

fn iter_next(ts: Ts, it: *mut PyObject) -> *mut PyObject {
    let f = it_fields(it);
    // SAFETY: a set iterator; field reads and writes, no reference kept.
    unsafe {
        let s = (*f).set;
        if s.is_null() {
            return null_mut();
        }
        if (*f).used != len(s) {
            errors::set_string(ts, exceptions::exc(Exc::RuntimeError), "Set changed size during iteration");
            (*f).used = -1; // stays failed
            return null_mut();
        }
        let mut i = (*f).pos as usize;
        while i <= mask(s) && !is_active(entry(s, i)) {
            i += 1;
        }
        (*f).pos = i as isize + 1;
        if i > mask(s) {
            (*f).set = null_mut();
            decref(s);
            return null_mut();
        }
        (*f).remaining -= 1;
        object::new_ref(entry(s, i).key)
    }
}

/// What a set iterator has left, for `PyObject_LengthHint`; None for other objects.
pub fn iter_remaining(it: *mut PyObject) -> Option<Py_ssize_t> {
    if type_of(it) != &raw mut PySetIter_Type {
        return None;
    }
    let f = it_fields(it);
    // SAFETY: a set iterator; field reads.
    Some(unsafe {
        if !(*f).set.is_null() && (*f).used == len((*f).set) {
            (*f).remaining
        } else {
            0
        }
    })
}

unsafe extern "C" fn set_iter(o: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| iter(ts, o))
}

unsafe extern "C" fn set_iter_next(it: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| iter_next(ts, it))
}

unsafe extern "C" fn set_iter_dealloc(it: *mut PyObject) {
    boundary::guard(|| unsafe {
        object::xdecref((*it_fields(it)).set);
        object::free_object(it);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visits(hash: Py_hash_t, mask: usize, n: usize) -> Vec<usize> {
        let mut p = Probe::new(hash, mask);
        (0..n)
            .map(|_| {
                let s = p.slot;
                p.advance(mask);
                s
            })
            .collect()
    }

    #[test]
    fn small_tables_jump_at_once_large_ones_scan_neighbours_first() {
        // 8 slots: slot 3 + 9 neighbours would pass the end, so the first step jumps.
        assert_eq!(visits(3, 7, 2), vec![3, (3 * 5 + 1) & 7]);
        // 64 slots: ten neighbours, then a jump with the next hash bits.
        let v = visits(1 << 8 | 2, 63, 11);
        assert_eq!(&v[..10], &[2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        assert_eq!(v[10], (2 * 5 + 1 + ((1 << 8 | 2) >> 5)) & 63);
    }

    #[test]
    fn probing_reaches_every_slot() {
        for hash in [0, 5, -7, 1 << 40] {
            let mut seen = visits(hash, 127, 2000);
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len(), 128, "hash {hash}");
        }
    }

    #[test]
    fn layout_is_cpythons() {
        assert_eq!(core::mem::size_of::<PySetObject>(), 200);
        assert_eq!(core::mem::offset_of!(PySetObject, used), 24);
        assert_eq!(core::mem::offset_of!(PySetObject, smalltable), 64);
    }
}
