//! `list`: mutable sequences; items in a separate array that grows geometrically.
//!
//! Any comparison or release of an item may run code that changes the list, so loops
//! re-read the size at every step and hold a reference to the item they work on.

use super::containers::{self, OwnedRefs, Text};
use super::object::{self, decref, incref, xdecref};
use super::slice::{self, Subscript};
use super::{singletons, tuple, typeobject, unicode};
use crate::abi::*;
use crate::memory;
use crate::protocols::object as proto;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ffi::c_int;
use core::ptr::null_mut;

static mut LIST_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(list_length),
    sq_concat: Some(list_concat),
    sq_repeat: Some(list_repeat),
    sq_inplace_concat: Some(list_inplace_concat),
    sq_inplace_repeat: Some(list_inplace_repeat),
    sq_item: Some(list_item),
    sq_ass_item: Some(list_ass_item),
    sq_contains: Some(list_contains),
    ..PySequenceMethods::EMPTY
};

static mut LIST_AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(list_length),
    mp_subscript: Some(list_subscript),
    mp_ass_subscript: Some(list_ass_subscript),
};

#[no_mangle]
pub static mut PyList_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(list_dealloc),
    tp_repr: Some(list_repr),
    // The exported function itself, as in CPython, so extensions comparing the slot
    // against it see a list as unhashable.
    tp_hash: Some(super::typeobject::hash_not_implemented),
    tp_richcompare: Some(list_richcompare),
    tp_iter: Some(list_iter),
    tp_as_sequence: &raw mut LIST_AS_SEQUENCE,
    tp_as_mapping: &raw mut LIST_AS_MAPPING,
    tp_methods: (&raw mut super::list_methods::LIST_METHODS).cast(),
    tp_flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_LIST_SUBCLASS | Py_TPFLAGS_SEQUENCE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"list", core::mem::size_of::<PyListObject>(), 0)
};

#[inline]
pub fn list_type() -> *mut PyTypeObject {
    &raw mut PyList_Type
}

pub fn check(o: *mut PyObject) -> bool {
    object::has_flag(object::type_of(o), Py_TPFLAGS_LIST_SUBCLASS)
}

pub fn check_exact(o: *mut PyObject) -> bool {
    object::type_of(o) == list_type()
}

fn l(o: *mut PyObject) -> &'static mut PyListObject {
    // SAFETY: callers pass lists.
    unsafe { &mut *(o as *mut PyListObject) }
}

pub fn size(o: *mut PyObject) -> isize {
    l(o).ob_base.ob_size
}

/// A list of `n` null slots (to be filled by the caller).
pub fn new(ts: Ts, n: isize) -> PyResult<*mut PyObject> {
    if n < 0 {
        return Err(errors::bad_internal_call(ts));
    }
    let o = object::alloc_object(ts, list_type(), 0)?;
    if n > 0 {
        if let Err(e) = reserve(ts, o, n as usize) {
            unsafe { object::decref(o) };
            return Err(e);
        }
        // SAFETY: `reserve` made room for n zeroed slots.
        unsafe { core::ptr::write_bytes(l(o).ob_item, 0, n as usize) };
    }
    l(o).ob_base.ob_size = n;
    Ok(o)
}

/// A new list holding new references to `items`.
pub fn from_slice(ts: Ts, items: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    let o = new(ts, items.len() as isize)?;
    for (i, &it) in items.iter().enumerate() {
        // SAFETY: the list has `items.len()` empty slots.
        unsafe {
            incref(it);
            *l(o).ob_item.add(i) = it;
        }
    }
    Ok(o)
}

/// Makes room for at least `want` items.
pub fn reserve(ts: Ts, o: *mut PyObject, want: usize) -> PyResult<()> {
    let lo = l(o);
    if want <= lo.allocated as usize {
        return Ok(());
    }
    let cap = want.max(lo.allocated as usize + lo.allocated as usize / 8 + 6);
    let Some(bytes) = cap.checked_mul(core::mem::size_of::<*mut PyObject>()).filter(|&b| b <= isize::MAX as usize)
    else {
        return Err(errors::no_memory(ts));
    };
    // SAFETY: ob_item is null or a block of ours.
    let p = unsafe { memory::realloc_in(ts, lo.ob_item as *mut u8, bytes) } as *mut *mut PyObject;
    if p.is_null() {
        return Err(errors::no_memory(ts));
    }
    lo.ob_item = p;
    lo.allocated = cap as isize;
    Ok(())
}

/// Appends a new reference to `item`.
pub fn append(ts: Ts, o: *mut PyObject, item: *mut PyObject) -> PyResult<()> {
    object::refuse_foreign(ts, item)?;
    let n = size(o) as usize;
    reserve(ts, o, n + 1)?;
    let lo = l(o);
    // SAFETY: slot n is within the allocation.
    unsafe {
        object::incref(item);
        *lo.ob_item.add(n) = item;
    }
    lo.ob_base.ob_size += 1;
    Ok(())
}

/// The items as a slice.
pub fn items<'a>(o: *mut PyObject) -> &'a [*mut PyObject] {
    let lo = l(o);
    if lo.ob_item.is_null() {
        return &[];
    }
    // SAFETY: `ob_size` slots are initialised.
    unsafe { core::slice::from_raw_parts(lo.ob_item, lo.ob_base.ob_size as usize) }
}

fn items_mut<'a>(o: *mut PyObject) -> &'a mut [*mut PyObject] {
    let lo = l(o);
    if lo.ob_item.is_null() {
        return &mut [];
    }
    // SAFETY: `ob_size` slots are initialised.
    unsafe { core::slice::from_raw_parts_mut(lo.ob_item, lo.ob_base.ob_size as usize) }
}

/// Borrowed item `i` (unchecked).
#[inline]
pub fn item(o: *mut PyObject, i: isize) -> *mut PyObject {
    // SAFETY: callers check `i` against the size.
    unsafe { *l(o).ob_item.add(i as usize) }
}

/// Borrowed item `i`, or `IndexError`.
pub fn get_item(ts: Ts, o: *mut PyObject, i: isize) -> PyResult<*mut PyObject> {
    if i < 0 || i >= size(o) {
        return Err(errors::index_error(ts, "list index out of range"));
    }
    Ok(item(o, i))
}

/// Stores `v` (a reference the list takes over) at `i`; on error `v` is released.
pub fn set_item_owned(ts: Ts, o: *mut PyObject, i: isize, v: *mut PyObject) -> PyResult<()> {
    if let Err(e) = object::refuse_foreign(ts, v) {
        unsafe { xdecref(v) };
        return Err(e);
    }
    if i < 0 || i >= size(o) {
        unsafe { xdecref(v) };
        return Err(errors::index_error(ts, "list assignment index out of range"));
    }
    // SAFETY: `i` is in range; the old slot is null or owned.
    let old = unsafe { core::mem::replace(&mut *l(o).ob_item.add(i as usize), v) };
    unsafe { xdecref(old) };
    Ok(())
}

/// Inserts a new reference to `v` before `where_`, which counts from the end when
/// negative and is clamped into the list.
pub fn insert(ts: Ts, o: *mut PyObject, where_: isize, v: *mut PyObject) -> PyResult<()> {
    object::refuse_foreign(ts, v)?;
    let n = size(o);
    let at = if where_ < 0 { (where_ + n).max(0) } else { where_.min(n) } as usize;
    reserve(ts, o, n as usize + 1)?;
    let p = l(o).ob_item;
    // SAFETY: room for n + 1 slots; the tail moves up by one.
    unsafe {
        core::ptr::copy(p.add(at), p.add(at + 1), n as usize - at);
        incref(v);
        *p.add(at) = v;
    }
    l(o).ob_base.ob_size = n + 1;
    Ok(())
}

/// Empties the list. The list is made empty before any item is released, since
/// releasing may run code that looks at it.
pub fn clear(o: *mut PyObject) {
    let lo = l(o);
    let (p, n) = (lo.ob_item, lo.ob_base.ob_size);
    lo.ob_item = null_mut();
    lo.ob_base.ob_size = 0;
    lo.allocated = 0;
    release_array(p, n);
}

/// Releases `n` items of a detached item array, last first, then the array.
fn release_array(p: *mut *mut PyObject, n: isize) {
    if p.is_null() {
        return;
    }
    for i in (0..n as usize).rev() {
        unsafe { xdecref(*p.add(i)) };
    }
    unsafe { memory::free(p as *mut u8) };
}

/// `o[low:high]` as a new list, bounds clamped.
pub fn slice(ts: Ts, o: *mut PyObject, low: isize, high: isize) -> PyResult<*mut PyObject> {
    let (lo, hi) = containers::clamp_range(size(o), low, high);
    from_slice(ts, &items(o)[lo..hi])
}

/// `o[low:high] = replacement` (a deletion when `None`). The replacement may be any
/// iterable, `o` itself included; its items are gathered before `o` changes.
pub fn set_slice(
    ts: Ts,
    o: *mut PyObject,
    low: isize,
    high: isize,
    replacement: Option<*mut PyObject>,
) -> PyResult<()> {
    let new_items = match replacement {
        None => OwnedRefs(Vec::new()),
        Some(r) if !containers::is_iterable(r) => return Err(errors::type_error(ts, "can only assign an iterable")),
        Some(r) => containers::collect_iterable(ts, r)?,
    };
    replace_range(ts, o, low, high, new_items)
}

/// Appends every item of `iterable`.
pub fn extend(ts: Ts, o: *mut PyObject, iterable: *mut PyObject) -> PyResult<()> {
    let new_items = containers::collect_iterable(ts, iterable)?;
    let n = size(o);
    replace_range(ts, o, n, n, new_items)
}

/// Puts `new_items` (references the list takes over) in place of `o[low:high]`.
fn replace_range(ts: Ts, o: *mut PyObject, low: isize, high: isize, new_items: OwnedRefs) -> PyResult<()> {
    let (lo, hi) = containers::clamp_range(size(o), low, high);
    let n = size(o) as usize;
    let k = new_items.0.len();
    let new_len = n - (hi - lo) + k;
    reserve(ts, o, new_len)?;
    let p = l(o).ob_item;
    if p.is_null() {
        return Ok(()); // an empty list, left empty
    }
    // The replaced items leave the list now and are released once it is consistent.
    let replaced = OwnedRefs(items(o)[lo..hi].to_vec());
    let incoming = new_items.into_vec();
    // SAFETY: room for `new_len` slots; the tail moves to follow the new items.
    unsafe {
        core::ptr::copy(p.add(hi), p.add(lo + k), n - hi);
        core::ptr::copy_nonoverlapping(incoming.as_ptr(), p.add(lo), k);
    }
    l(o).ob_base.ob_size = new_len as isize;
    drop(replaced);
    Ok(())
}

/// Sorts the list in place, stably, comparing with `<` only. The list looks empty
/// while it is being sorted; if a comparison adds items to it, they are discarded
/// and `ValueError` raised. On a failed comparison the list keeps all its items in
/// some order.
pub fn sort(ts: Ts, o: *mut PyObject) -> PyResult<()> {
    sort_with(ts, o, None, false)
}

/// `list.sort(key=key, reverse=reverse)`: `sort`, comparing `key(item)` when a key
/// function is given; with `reverse`, equal items keep their order, as in CPython
/// (the items are reversed before and after an ascending sort).
pub fn sort_with(ts: Ts, o: *mut PyObject, key: Option<*mut PyObject>, reverse: bool) -> PyResult<()> {
    let lo = l(o);
    let (p, n, cap) = (lo.ob_item, lo.ob_base.ob_size, lo.allocated);
    if n < 2 && key.is_none() {
        return Ok(());
    }
    lo.ob_item = null_mut();
    lo.ob_base.ob_size = 0;
    lo.allocated = 0;
    // SAFETY: the detached array holds `n` live items (or is null when empty).
    let v: &mut [*mut PyObject] =
        if p.is_null() { &mut [] } else { unsafe { core::slice::from_raw_parts_mut(p, n as usize) } };
    if reverse {
        v.reverse();
    }
    let sorted = match key {
        None => stable_sort(v, &mut |a, b| proto::richcompare_bool(ts, a, b, Py_LT)),
        Some(key) => sort_by_key(ts, v, key),
    };
    if reverse {
        v.reverse();
    }
    let lo = l(o);
    let (intruder, intruder_len) = (lo.ob_item, lo.ob_base.ob_size);
    lo.ob_item = p;
    lo.ob_base.ob_size = n;
    lo.allocated = cap;
    let modified = !intruder.is_null() || intruder_len != 0;
    release_array(intruder, intruder_len);
    sorted?;
    if modified {
        return Err(errors::value_error(ts, "list modified during sort"));
    }
    Ok(())
}

/// Sorts `v` by `key(item)`, each key computed once.
fn sort_by_key(ts: Ts, v: &mut [*mut PyObject], key: *mut PyObject) -> PyResult<()> {
    let mut keys = OwnedRefs(Vec::with_capacity(v.len()));
    for &item in v.iter() {
        keys.0.push(crate::protocols::call::call_slice(ts, key, &[item])?);
    }
    let mut pairs: Vec<(*mut PyObject, *mut PyObject)> = keys.0.iter().copied().zip(v.iter().copied()).collect();
    let sorted = stable_sort(&mut pairs, &mut |a, b| proto::richcompare_bool(ts, a.0, b.0, Py_LT));
    // The items in their new order; on failure still a permutation of them.
    for (slot, pair) in v.iter_mut().zip(&pairs) {
        *slot = pair.1;
    }
    drop(keys);
    sorted
}

/// Items before this many are sorted by binary insertion; longer runs are merged.
const INSERTION_RUN: usize = 32;

/// A stable merge sort with a comparison that may fail. On failure it stops and
/// leaves `v` a permutation of its original items.
pub fn stable_sort<T: Copy, E>(v: &mut [T], less: &mut impl FnMut(T, T) -> Result<bool, E>) -> Result<(), E> {
    for run in v.chunks_mut(INSERTION_RUN) {
        insertion_sort(run, less)?;
    }
    let mut buffer: Vec<T> = Vec::with_capacity(v.len() / 2 + 1);
    let mut width = INSERTION_RUN;
    while width < v.len() {
        let mut lo = 0;
        while lo + width < v.len() {
            let hi = (lo + 2 * width).min(v.len());
            merge(&mut v[lo..hi], width, &mut buffer, less)?;
            lo = hi;
        }
        width *= 2;
    }
    Ok(())
}

/// Binary insertion sort: each item goes after every equal one before it.
fn insertion_sort<T: Copy, E>(v: &mut [T], less: &mut impl FnMut(T, T) -> Result<bool, E>) -> Result<(), E> {
    for i in 1..v.len() {
        let x = v[i];
        let (mut lo, mut hi) = (0, i);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if less(x, v[mid])? {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        v[lo..=i].rotate_right(1);
    }
    Ok(())
}

/// Merges the sorted runs `v[..mid]` and `v[mid..]`. The left run is copied out;
/// on failure its unmerged rest fills the gap, which is exactly its size.
fn merge<T: Copy, E>(
    v: &mut [T],
    mid: usize,
    buffer: &mut Vec<T>,
    less: &mut impl FnMut(T, T) -> Result<bool, E>,
) -> Result<(), E> {
    if !less(v[mid], v[mid - 1])? {
        return Ok(()); // already in order
    }
    buffer.clear();
    buffer.extend_from_slice(&v[..mid]);
    let (mut i, mut j, mut out) = (0, mid, 0);
    let mut result = Ok(());
    while i < buffer.len() && j < v.len() {
        match less(v[j], buffer[i]) {
            Ok(true) => {
                v[out] = v[j];
                j += 1;
            }
            Ok(false) => {
                v[out] = buffer[i];
                i += 1;
            }
            Err(e) => {
                result = Err(e);
                break;
            }
        }
        out += 1;
    }
    v[out..out + buffer.len() - i].copy_from_slice(&buffer[i..]);
    result
}

const INDEX_MESSAGE: &str = "list indices must be integers or slices, not {}";

/// `o[key]`: an item, or a new list for a slice.
pub fn subscript(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<*mut PyObject> {
    match slice::subscript_key(ts, key, size(o), INDEX_MESSAGE)? {
        Subscript::Index(i) => get_item(ts, o, i).map(|it| unsafe { object::new_ref(it) }),
        Subscript::Slice { start, step, count } => {
            let all = items(o);
            let picked: Vec<*mut PyObject> = slice::positions(start, step, count).map(|p| all[p]).collect();
            from_slice(ts, &picked)
        }
    }
}

/// `o[key] = value`, or `del o[key]` when `value` is None. A slice with a step other
/// than 1 takes exactly as many items as it selects.
pub fn ass_subscript(ts: Ts, o: *mut PyObject, key: *mut PyObject, value: Option<*mut PyObject>) -> PyResult<()> {
    match slice::subscript_key(ts, key, size(o), INDEX_MESSAGE)? {
        Subscript::Index(i) => match value {
            Some(v) => {
                unsafe { incref(v) };
                set_item_owned(ts, o, i, v)
            }
            None if i < 0 || i >= size(o) => Err(errors::index_error(ts, "list assignment index out of range")),
            None => set_slice(ts, o, i, i + 1, None),
        },
        Subscript::Slice { start, step: 1, count } => set_slice(ts, o, start, start + count, value),
        Subscript::Slice { start, step, count } => match value {
            None => delete_extended(ts, o, start, step, count),
            Some(v) => assign_extended(ts, o, start, step, count, v),
        },
    }
}

/// `del o[start::step]` for `count` items.
fn delete_extended(ts: Ts, o: *mut PyObject, start: isize, step: isize, count: isize) -> PyResult<()> {
    let mut gone = vec![false; size(o) as usize];
    for p in slice::positions(start, step, count) {
        gone[p] = true;
    }
    let kept: Vec<*mut PyObject> = items(o).iter().zip(&gone).filter(|(_, &g)| !g).map(|(&it, _)| it).collect();
    let n = size(o);
    replace_range(ts, o, 0, n, OwnedRefs::of(&kept))
}

/// `o[start::step] = v` for `count` items: `v` must have exactly that many.
fn assign_extended(
    ts: Ts,
    o: *mut PyObject,
    start: isize,
    step: isize,
    count: isize,
    v: *mut PyObject,
) -> PyResult<()> {
    let incoming = crate::protocols::sequence::fast_items(ts, v, "must assign iterable to extended slice")?;
    if incoming.0.len() as isize != count {
        let message =
            format!("attempt to assign sequence of size {} to extended slice of size {count}", incoming.0.len());
        return Err(errors::value_error(ts, &message));
    }
    for &it in &incoming.0 {
        object::refuse_foreign(ts, it)?;
    }
    // Iterating `v` may have run code that shrank the list.
    let last = start + (count - 1) * step;
    if count > 0 && start.max(last) >= size(o) {
        return Err(errors::value_error(ts, "list changed size during assignment"));
    }
    let all = items_mut(o);
    let incoming = incoming.into_vec();
    // The replaced items leave the list now and are released once it is consistent.
    let replaced: Vec<*mut PyObject> = slice::positions(start, step, count)
        .zip(incoming)
        .map(|(p, new)| core::mem::replace(&mut all[p], new))
        .collect();
    drop(OwnedRefs(replaced));
    Ok(())
}

/// Reverses the list in place.
pub fn reverse(o: *mut PyObject) {
    items_mut(o).reverse();
}

/// A tuple of the list's items.
pub fn as_tuple(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    tuple::pack(ts, items(o))
}

/// `a + b` for two lists.
pub fn concat(ts: Ts, a: *mut PyObject, b: *mut PyObject) -> PyResult<*mut PyObject> {
    if !check(b) {
        let name = typeobject::type_name(object::type_of(b));
        return Err(errors::type_error(ts, &format!("can only concatenate list (not \"{name}\") to list")));
    }
    let mut all = Vec::with_capacity((size(a) + size(b)) as usize);
    all.extend_from_slice(items(a));
    all.extend_from_slice(items(b));
    from_slice(ts, &all)
}

/// `items` `n` times over; `MemoryError` when that cannot be counted.
pub fn repeated(ts: Ts, items: &[*mut PyObject], n: isize) -> PyResult<Vec<*mut PyObject>> {
    let n = n.max(0) as usize;
    if items.len().checked_mul(n).is_none_or(|total| total > isize::MAX as usize / 8) {
        return Err(errors::no_memory(ts));
    }
    Ok(items.repeat(n))
}

/// `o * n` as a new list.
pub fn repeat(ts: Ts, o: *mut PyObject, n: isize) -> PyResult<*mut PyObject> {
    from_slice(ts, &repeated(ts, items(o), n)?)
}

/// `o *= n`: the list's own items `n` times over (empty for `n <= 0`).
pub fn inplace_repeat(ts: Ts, o: *mut PyObject, n: isize) -> PyResult<()> {
    if n <= 0 {
        clear(o);
        return Ok(());
    }
    let all = repeated(ts, items(o), n)?;
    let size = size(o);
    replace_range(ts, o, 0, size, OwnedRefs::of(&all))
}

/// `v in o`.
pub fn contains(ts: Ts, o: *mut PyObject, v: *mut PyObject) -> PyResult<bool> {
    let mut i = 0;
    while i < size(o) {
        let it = item(o, i);
        unsafe { incref(it) };
        let same = proto::richcompare_bool(ts, it, v, Py_EQ);
        unsafe { decref(it) };
        if same? {
            return Ok(true);
        }
        i += 1;
    }
    Ok(false)
}

/// `[x, y, ...]`; `[...]` for a list met again inside itself.
pub fn repr(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if size(o) == 0 {
        return unicode::from_str(ts, "[]");
    }
    let Some(_guard) = containers::repr_enter(ts, o) else {
        return unicode::from_str(ts, "[...]");
    };
    let _nested = containers::enter_nested(ts, "while getting the repr of an object")?;
    let mut text = Text::new();
    text.push_str("[");
    let mut i = 0;
    while i < size(o) {
        if i > 0 {
            text.push_str(", ");
        }
        let it = item(o, i);
        unsafe { incref(it) };
        let r = text.push_repr(ts, it);
        unsafe { decref(it) };
        r?;
        i += 1;
    }
    text.push_str("]");
    text.finish(ts)
}

unsafe extern "C" fn list_dealloc(o: *mut PyObject) {
    boundary::guard(|| {
        containers::dealloc_nested(o, release_list);
    })
}

unsafe fn release_list(o: *mut PyObject) {
    for &it in items(o) {
        unsafe { xdecref(it) };
    }
    unsafe {
        memory::free(l(o).ob_item as *mut u8);
        object::free_object(o);
    }
}

unsafe extern "C" fn list_length(o: *mut PyObject) -> Py_ssize_t {
    boundary::guard(|| size(o))
}

unsafe extern "C" fn list_item(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    boundary::with_thread_state(|ts| get_item(ts, o, i).map(|it| unsafe { object::new_ref(it) }).unwrap_or(null_mut()))
}

/// `o[i] = v`, or `del o[i]` when `v` is null.
unsafe extern "C" fn list_ass_item(o: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| {
        if i < 0 || i >= size(o) {
            errors::index_error(ts, "list assignment index out of range");
            return -1;
        }
        let r = if v.is_null() {
            set_slice(ts, o, i, i + 1, None)
        } else {
            unsafe { incref(v) };
            set_item_owned(ts, o, i, v)
        };
        r.map_or(-1, |()| 0)
    })
}

unsafe extern "C" fn list_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| concat(ts, a, b).unwrap_or(null_mut()))
}

unsafe extern "C" fn list_repeat(o: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| repeat(ts, o, n))
}

unsafe extern "C" fn list_inplace_concat(o: *mut PyObject, other: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| extend(ts, o, other).map(|()| unsafe { object::new_ref(o) }))
}

unsafe extern "C" fn list_inplace_repeat(o: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| inplace_repeat(ts, o, n).map(|()| unsafe { object::new_ref(o) }))
}

unsafe extern "C" fn list_contains(o: *mut PyObject, v: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| contains(ts, o, v).map_or(-1, c_int::from))
}

unsafe extern "C" fn list_subscript(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| subscript(ts, o, key))
}

unsafe extern "C" fn list_ass_subscript(o: *mut PyObject, key: *mut PyObject, v: *mut PyObject) -> c_int {
    boundary::slot(|ts| ass_subscript(ts, o, key, (!v.is_null()).then_some(v)))
}

unsafe extern "C" fn list_iter(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| super::iterobject::list_iter(ts, o).unwrap_or(null_mut()))
}

unsafe extern "C" fn list_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| repr(ts, o).unwrap_or(null_mut()))
}

unsafe extern "C" fn list_richcompare(v: *mut PyObject, w: *mut PyObject, op: c_int) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        if !check(v) || !check(w) {
            return singletons::not_implemented();
        }
        containers::compare_sequences(ts, v, w, op, size, item).unwrap_or(null_mut())
    })
}

#[cfg(test)]
mod tests {
    use super::stable_sort;

    fn sort_pairs(v: &mut [(u32, u32)]) {
        stable_sort(v, &mut |a: (u32, u32), b: (u32, u32)| Ok::<bool, ()>(a.0 < b.0)).unwrap();
    }

    #[test]
    fn sorts_and_keeps_equal_items_in_order() {
        for n in [0usize, 1, 2, 5, 31, 32, 33, 64, 100, 1000, 4099] {
            let mut v: Vec<(u32, u32)> = (0..n as u32).map(|i| ((i * 7919) % 13, i)).collect();
            sort_pairs(&mut v);
            for w in v.windows(2) {
                assert!(w[0].0 < w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1), "n={n}: {w:?}");
            }
        }
    }

    #[test]
    fn sorted_and_reversed_inputs() {
        let mut up: Vec<(u32, u32)> = (0..500).map(|i| (i, i)).collect();
        sort_pairs(&mut up);
        assert!(up.iter().enumerate().all(|(i, p)| p.0 == i as u32));
        let mut down: Vec<(u32, u32)> = (0..500).rev().map(|i| (i, i)).collect();
        sort_pairs(&mut down);
        assert!(down.iter().enumerate().all(|(i, p)| p.0 == i as u32));
    }

    #[test]
    fn a_failing_comparison_leaves_a_permutation() {
        for fail_at in [0usize, 1, 10, 100, 500, 900] {
            let mut v: Vec<u32> = (0..300).map(|i| (i * 37) % 300).collect();
            let mut calls = 0;
            let r = stable_sort(&mut v, &mut |a: u32, b: u32| {
                calls += 1;
                if calls > fail_at {
                    Err("boom")
                } else {
                    Ok(a < b)
                }
            });
            assert_eq!(r, Err("boom"));
            let mut seen = v.clone();
            seen.sort();
            assert_eq!(seen, (0..300).collect::<Vec<u32>>(), "fail_at={fail_at}");
        }
    }
}
