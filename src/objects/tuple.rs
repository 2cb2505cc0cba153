//! `tuple`: immutable sequences, items stored inline after the header.

use super::containers::{self, Text};
use super::object::{self, decref, xdecref};
use super::{dict, singletons};
use crate::abi::*;
use crate::memory;
use crate::protocols::object as proto;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ffi::c_int;
use core::ptr::null_mut;

static mut TUPLE_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(tuple_length),
    sq_concat: Some(tuple_concat),
    sq_repeat: Some(tuple_repeat),
    sq_item: Some(tuple_item),
    sq_contains: Some(tuple_contains),
    ..PySequenceMethods::EMPTY
};

static mut TUPLE_AS_MAPPING: PyMappingMethods =
    PyMappingMethods { mp_length: Some(tuple_length), mp_subscript: Some(tuple_subscript), mp_ass_subscript: None };

#[no_mangle]
pub static mut PyTuple_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(tuple_dealloc),
    tp_repr: Some(tuple_repr),
    tp_hash: Some(tuple_hash),
    tp_richcompare: Some(tuple_richcompare),
    tp_iter: Some(tuple_iter),
    tp_as_sequence: &raw mut TUPLE_AS_SEQUENCE,
    tp_as_mapping: &raw mut TUPLE_AS_MAPPING,
    tp_methods: (&raw mut super::tuple_methods::TUPLE_METHODS).cast(),
    tp_flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_TUPLE_SUBCLASS | Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_SEQUENCE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(
        c"tuple",
        core::mem::offset_of!(PyTupleObject, ob_item),
        core::mem::size_of::<*mut PyObject>(),
    )
};

#[inline]
pub fn tuple_type() -> *mut PyTypeObject {
    &raw mut PyTuple_Type
}

pub fn check(o: *mut PyObject) -> bool {
    object::has_flag(object::type_of(o), Py_TPFLAGS_TUPLE_SUBCLASS)
}

pub fn check_exact(o: *mut PyObject) -> bool {
    object::type_of(o) == tuple_type()
}

/// A tuple of `n` empty (null) slots, to be filled before it is shared.
pub fn new(ts: Ts, n: isize) -> PyResult<*mut PyObject> {
    const HEADER: usize = core::mem::offset_of!(PyTupleObject, ob_item);
    let Some(size) = (n as usize).checked_mul(8).and_then(|b| b.checked_add(HEADER)).filter(|_| n >= 0) else {
        return Err(crate::runtime::errors::no_memory(ts));
    };
    let t = crate::memory::alloc_in(ts, size) as *mut PyObject;
    if t.is_null() {
        return Err(crate::runtime::errors::no_memory(ts));
    }
    // SAFETY: a fresh block with room for the header and `n` item slots.
    unsafe {
        object::init_header(t, tuple_type());
        (*(t as *mut PyVarObject)).ob_size = n;
        for i in 0..n as usize {
            *slots(t).add(i) = core::ptr::null_mut();
        }
    }
    Ok(t)
}

/// A tuple holding new references to `items` (the shared `()` when there are none).
pub fn pack(ts: Ts, items: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    if items.is_empty() {
        return Ok(empty());
    }
    let t = new(ts, items.len() as isize)?;
    for (i, &it) in items.iter().enumerate() {
        // SAFETY: `t` has `items.len()` slots; items are live objects.
        unsafe {
            object::incref(it);
            *slots(t).add(i) = it;
        }
    }
    Ok(t)
}

/// An immortal tuple of `items` in memory no interpreter owns: the `tp_bases` and
/// `tp_mro` of static types, which every interpreter reads. Never freed (process life).
/// None when the C library has no memory left.
pub fn new_immortal(items: &[*mut PyObject]) -> Option<*mut PyObject> {
    if items.is_empty() {
        return Some(empty());
    }
    const HEADER: usize = core::mem::offset_of!(PyTupleObject, ob_item);
    let size = HEADER + core::mem::size_of_val(items);
    let layout = std::alloc::Layout::from_size_align(size, 16).expect("tuple layout");
    // SAFETY: a non-zero-sized layout; the block is written in full before it is shared.
    unsafe {
        let t = std::alloc::alloc_zeroed(layout) as *mut PyObject;
        if t.is_null() {
            return None;
        }
        (*t).ob_refcnt = _Py_IMMORTAL_REFCNT;
        (*t).ob_type = tuple_type();
        (*(t as *mut PyVarObject)).ob_size = items.len() as isize;
        core::ptr::copy_nonoverlapping(items.as_ptr(), slots(t), items.len());
        Some(t)
    }
}

#[inline]
pub fn size(t: *mut PyObject) -> isize {
    // SAFETY: callers pass tuples.
    unsafe { (*(t as *mut PyVarObject)).ob_size }
}

/// The item array.
#[inline]
pub fn slots(t: *mut PyObject) -> *mut *mut PyObject {
    // SAFETY: callers pass tuples; items start at ob_item.
    unsafe { (*(t as *mut PyTupleObject)).ob_item.as_mut_ptr() }
}

/// Borrowed item `i` (unchecked).
#[inline]
pub fn item(t: *mut PyObject, i: isize) -> *mut PyObject {
    // SAFETY: callers check `i` against the size.
    unsafe { *slots(t).add(i as usize) }
}

/// The items as a slice (slots may be null while a tuple is being filled).
pub fn items<'a>(t: *mut PyObject) -> &'a [*mut PyObject] {
    // SAFETY: `size(t)` slots follow the header.
    unsafe { core::slice::from_raw_parts(slots(t), size(t) as usize) }
}

unsafe extern "C" fn tuple_dealloc(t: *mut PyObject) {
    boundary::guard(|| {
        containers::dealloc_nested(t, release_tuple);
    })
}

unsafe fn release_tuple(t: *mut PyObject) {
    for &it in items(t) {
        unsafe { xdecref(it) };
    }
    unsafe { object::free_object(t) }
}

#[repr(C)]
struct EmptyTuple {
    head: PyVarObject,
}

/// `()`, shared and immortal.
static mut EMPTY: EmptyTuple = EmptyTuple {
    head: PyVarObject {
        ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut PyTuple_Type },
        ob_size: 0,
    },
};

pub fn empty() -> *mut PyObject {
    &raw mut EMPTY as *mut PyObject
}

/// Borrowed item `i`, or `IndexError`.
pub fn get_item(ts: Ts, t: *mut PyObject, i: isize) -> PyResult<*mut PyObject> {
    if i < 0 || i >= size(t) {
        return Err(errors::index_error(ts, "tuple index out of range"));
    }
    Ok(item(t, i))
}

/// Stores `v` (a reference the tuple takes over, null allowed) at `i`. Only a tuple
/// nobody else can see yet (refcount 1) may change; on any error `v` is released.
pub fn set_item_owned(ts: Ts, t: *mut PyObject, i: isize, v: *mut PyObject) -> PyResult<()> {
    if !check(t) || unsafe { (*t).ob_refcnt } != 1 {
        unsafe { xdecref(v) };
        return Err(errors::bad_internal_call(ts));
    }
    if i < 0 || i >= size(t) {
        unsafe { xdecref(v) };
        return Err(errors::index_error(ts, "tuple assignment index out of range"));
    }
    if let Err(e) = object::refuse_foreign(ts, v) {
        unsafe { xdecref(v) };
        return Err(e);
    }
    // SAFETY: `i` is in range; the old slot is null or owned.
    let old = unsafe { core::mem::replace(&mut *slots(t).add(i as usize), v) };
    unsafe { xdecref(old) };
    Ok(())
}

/// `t[low:high]` with the bounds clamped; a whole exact tuple is returned as is.
pub fn slice(ts: Ts, t: *mut PyObject, low: isize, high: isize) -> PyResult<*mut PyObject> {
    let (lo, hi) = containers::clamp_range(size(t), low, high);
    if lo == 0 && hi == size(t) as usize && check_exact(t) {
        return Ok(unsafe { object::new_ref(t) });
    }
    pack(ts, &items(t)[lo..hi])
}

/// `t[key]`: an item, or a tuple for a slice (an exact tuple's whole slice is itself).
pub fn subscript(ts: Ts, t: *mut PyObject, key: *mut PyObject) -> PyResult<*mut PyObject> {
    use super::slice::{self, Subscript};
    match slice::subscript_key(ts, key, size(t), "tuple indices must be integers or slices, not {}")? {
        Subscript::Index(i) => get_item(ts, t, i).map(|it| unsafe { object::new_ref(it) }),
        Subscript::Slice { step: 1, count, .. } if count == size(t) && check_exact(t) => {
            Ok(unsafe { object::new_ref(t) })
        }
        Subscript::Slice { start, step, count } => {
            let all = items(t);
            let picked: Vec<*mut PyObject> = slice::positions(start, step, count).map(|p| all[p]).collect();
            pack(ts, &picked)
        }
    }
}

/// `a + b` for two tuples.
pub fn concat(ts: Ts, a: *mut PyObject, b: *mut PyObject) -> PyResult<*mut PyObject> {
    if !check(b) {
        let name = super::typeobject::type_name(object::type_of(b));
        return Err(errors::type_error(ts, &format!("can only concatenate tuple (not \"{name}\") to tuple")));
    }
    for (whole, other) in [(a, b), (b, a)] {
        if size(other) == 0 && check_exact(whole) {
            return Ok(unsafe { object::new_ref(whole) });
        }
    }
    let mut all = Vec::with_capacity((size(a) + size(b)) as usize);
    all.extend_from_slice(items(a));
    all.extend_from_slice(items(b));
    pack(ts, &all)
}

/// `v in t`.
pub fn contains(ts: Ts, t: *mut PyObject, v: *mut PyObject) -> PyResult<bool> {
    for &it in items(t) {
        if proto::richcompare_bool(ts, it, v, Py_EQ)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `()`, `(x,)` or `(x, y, ...)`; `(...)` for a tuple met again inside itself.
pub fn repr(ts: Ts, t: *mut PyObject) -> PyResult<*mut PyObject> {
    if size(t) == 0 {
        return super::unicode::from_str(ts, "()");
    }
    let Some(_guard) = containers::repr_enter(ts, t) else {
        return super::unicode::from_str(ts, "(...)");
    };
    let _nested = containers::enter_nested(ts, "while getting the repr of an object")?;
    let mut text = Text::new();
    text.push_str("(");
    for (i, &it) in items(t).iter().enumerate() {
        if i > 0 {
            text.push_str(", ");
        }
        if it.is_null() {
            text.push_str("<NULL>");
        } else {
            text.push_repr(ts, it)?;
        }
    }
    text.push_str(if size(t) == 1 { ",)" } else { ")" });
    text.finish(ts)
}

/// Combines the item hashes in order (the xxHash64 lane mixing): equal tuples hash
/// equal, and the order of items matters.
pub fn hash(ts: Ts, t: *mut PyObject) -> PyResult<Py_hash_t> {
    const PRIME_1: u64 = 0x9E37_79B1_85EB_CA87;
    const PRIME_2: u64 = 0xC2B2_AE3D_27D4_EB4F;
    const PRIME_5: u64 = 0x27D4_EB2F_1656_67C5;
    let _nested = containers::enter_nested(ts, "while hashing")?;
    let mut acc = PRIME_5;
    for &it in items(t) {
        let lane = dict::hash_key(ts, it)? as u64;
        acc = acc.wrapping_add(lane.wrapping_mul(PRIME_2)).rotate_left(31).wrapping_mul(PRIME_1);
    }
    acc = acc.wrapping_add(size(t) as u64 ^ (PRIME_5 ^ 3_527_539));
    let h = acc as Py_hash_t;
    Ok(if h == -1 { 1_546_275_796 } else { h })
}

/// `_PyTuple_Resize`: grows or shrinks the tuple in `*pv`, which only its caller may
/// hold (refcount 1; any empty tuple qualifies). On failure the tuple is released and
/// `*pv` set to null.
pub fn resize(ts: Ts, pv: &mut *mut PyObject, newsize: isize) -> PyResult<()> {
    let v = *pv;
    let resizable = !v.is_null() && check_exact(v) && (size(v) == 0 || unsafe { (*v).ob_refcnt } == 1);
    if !resizable || newsize < 0 {
        *pv = null_mut();
        unsafe { xdecref(v) };
        return Err(errors::bad_internal_call(ts));
    }
    let old = size(v);
    if old == newsize {
        return Ok(());
    }
    if newsize == 0 || old == 0 {
        // Empty tuples may be shared: never resize one in place.
        unsafe { decref(v) };
        *pv = null_mut();
        *pv = if newsize == 0 { empty() } else { new(ts, newsize)? };
        return Ok(());
    }
    for i in newsize..old {
        let gone = unsafe { core::mem::replace(&mut *slots(v).add(i as usize), null_mut()) };
        unsafe { xdecref(gone) };
    }
    reallocate(ts, pv, old, newsize)
}

/// Moves the tuple in `*pv` (already cut down to `newsize` live slots) to a block
/// sized for `newsize` items, zeroing new slots.
fn reallocate(ts: Ts, pv: &mut *mut PyObject, old: isize, newsize: isize) -> PyResult<()> {
    let v = *pv;
    let bytes = object::instance_size(tuple_type(), newsize);
    let p = match bytes {
        Some(b) => unsafe { memory::realloc_in(ts, v as *mut u8, b) as *mut PyObject },
        None => null_mut(),
    };
    if p.is_null() {
        // SAFETY: the old block is intact; its slots past `newsize` were emptied.
        unsafe {
            (*(v as *mut PyVarObject)).ob_size = newsize.min(old);
            decref(v);
        }
        *pv = null_mut();
        return Err(errors::no_memory(ts));
    }
    unsafe {
        if newsize > old {
            core::ptr::write_bytes(slots(p).add(old as usize), 0, (newsize - old) as usize);
        }
        (*(p as *mut PyVarObject)).ob_size = newsize;
    }
    *pv = p;
    Ok(())
}

unsafe extern "C" fn tuple_length(t: *mut PyObject) -> Py_ssize_t {
    boundary::guard(|| size(t))
}

unsafe extern "C" fn tuple_item(t: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    boundary::with_thread_state(|ts| get_item(ts, t, i).map(|o| unsafe { object::new_ref(o) }).unwrap_or(null_mut()))
}

unsafe extern "C" fn tuple_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| concat(ts, a, b).unwrap_or(null_mut()))
}

/// `t * n`; an exact tuple once over is itself.
pub fn repeat(ts: Ts, t: *mut PyObject, n: isize) -> PyResult<*mut PyObject> {
    if n == 1 && check_exact(t) {
        return Ok(unsafe { object::new_ref(t) });
    }
    pack(ts, &super::list::repeated(ts, items(t), n)?)
}

unsafe extern "C" fn tuple_repeat(t: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| repeat(ts, t, n))
}

unsafe extern "C" fn tuple_contains(t: *mut PyObject, v: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| contains(ts, t, v).map_or(-1, c_int::from))
}

unsafe extern "C" fn tuple_subscript(t: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| subscript(ts, t, key))
}

unsafe extern "C" fn tuple_iter(t: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| super::iterobject::tuple_iter(ts, t).unwrap_or(null_mut()))
}

unsafe extern "C" fn tuple_repr(t: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| repr(ts, t).unwrap_or(null_mut()))
}

unsafe extern "C" fn tuple_hash(t: *mut PyObject) -> Py_hash_t {
    boundary::with_thread_state(|ts| hash(ts, t).unwrap_or(-1))
}

unsafe extern "C" fn tuple_richcompare(v: *mut PyObject, w: *mut PyObject, op: c_int) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        if !check(v) || !check(w) {
            return singletons::not_implemented();
        }
        containers::compare_sequences(ts, v, w, op, size, item).unwrap_or(null_mut())
    })
}
