//! The iterators of the builtin sequences and of dict: `list_iterator`,
//! `tuple_iterator`, `str_iterator`, `bytes_iterator`, `bytearray_iterator`, the generic `iterator` over
//! anything with `sq_item` (`PySeqIter_New`), and dict's key, value and item
//! iterators. Each holds its container until it is exhausted, then lets it go.

use super::object::{self, new_ref, type_of, xdecref};
use super::{bytearray, bytes, dict, exceptions, list, long, tuple, unicode};
use crate::abi::*;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ptr::null_mut;

/// The layout of every sequence iterator: a position and the sequence (null once
/// exhausted).
#[repr(C)]
pub struct SeqIterObject {
    ob_base: PyObject,
    index: Py_ssize_t,
    seq: *mut PyObject,
}

/// The layout of dict's iterators: the dict (null once exhausted), its size when the
/// iteration started, the next entry position, and how many entries are left.
#[repr(C)]
pub struct DictIterObject {
    ob_base: PyObject,
    dict: *mut PyObject,
    used: Py_ssize_t,
    pos: Py_ssize_t,
    remaining: Py_ssize_t,
}

const fn iterator_type(
    name: &'static core::ffi::CStr,
    size: usize,
    dealloc: unsafe extern "C" fn(*mut PyObject),
    next: unsafe extern "C" fn(*mut PyObject) -> *mut PyObject,
) -> PyTypeObject {
    PyTypeObject {
        tp_dealloc: Some(dealloc),
        tp_iter: Some(self_iter),
        tp_iternext: Some(next),
        tp_flags: Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_DISALLOW_INSTANTIATION,
        tp_free: object::DEFAULT_FREE,
        ..PyTypeObject::blank(name, size, 0)
    }
}

const SEQ_ITER: usize = core::mem::size_of::<SeqIterObject>();
const DICT_ITER: usize = core::mem::size_of::<DictIterObject>();

#[no_mangle]
pub static mut PySeqIter_Type: PyTypeObject = iterator_type(c"iterator", SEQ_ITER, seq_iter_dealloc, generic_next);
#[no_mangle]
pub static mut PyListIter_Type: PyTypeObject = iterator_type(c"list_iterator", SEQ_ITER, seq_iter_dealloc, list_next);
#[no_mangle]
pub static mut PyTupleIter_Type: PyTypeObject =
    iterator_type(c"tuple_iterator", SEQ_ITER, seq_iter_dealloc, tuple_next);
#[no_mangle]
pub static mut PyUnicodeIter_Type: PyTypeObject = iterator_type(c"str_iterator", SEQ_ITER, seq_iter_dealloc, str_next);
/// CPython names the iterator of an ASCII str apart.
static mut STR_ASCII_ITER_TYPE: PyTypeObject =
    iterator_type(c"str_ascii_iterator", SEQ_ITER, seq_iter_dealloc, str_next);
#[no_mangle]
pub static mut PyBytesIter_Type: PyTypeObject =
    iterator_type(c"bytes_iterator", SEQ_ITER, seq_iter_dealloc, bytes_next);
#[no_mangle]
pub static mut PyByteArrayIter_Type: PyTypeObject =
    iterator_type(c"bytearray_iterator", SEQ_ITER, seq_iter_dealloc, bytearray_next);
#[no_mangle]
pub static mut PyDictIterKey_Type: PyTypeObject =
    iterator_type(c"dict_keyiterator", DICT_ITER, dict_iter_dealloc, dict_next_key);
#[no_mangle]
pub static mut PyDictIterValue_Type: PyTypeObject =
    iterator_type(c"dict_valueiterator", DICT_ITER, dict_iter_dealloc, dict_next_value);
#[no_mangle]
pub static mut PyDictIterItem_Type: PyTypeObject =
    iterator_type(c"dict_itemiterator", DICT_ITER, dict_iter_dealloc, dict_next_item);

#[no_mangle]
pub static mut PyCallIter_Type: PyTypeObject =
    iterator_type(c"callable_iterator", core::mem::size_of::<CallIterObject>(), call_iter_dealloc, call_iter_next);

pub fn static_types() -> [*mut PyTypeObject; 11] {
    [
        &raw mut PyCallIter_Type,
        &raw mut PySeqIter_Type,
        &raw mut PyListIter_Type,
        &raw mut PyTupleIter_Type,
        &raw mut PyUnicodeIter_Type,
        &raw mut STR_ASCII_ITER_TYPE,
        &raw mut PyBytesIter_Type,
        &raw mut PyByteArrayIter_Type,
        &raw mut PyDictIterKey_Type,
        &raw mut PyDictIterValue_Type,
        &raw mut PyDictIterItem_Type,
    ]
}

// Exported under CPython's name from here, as `PyObject_HashNotImplemented` is: it is
// the `tp_iter` slot of every iterator, and extensions put it in their own types.
/// `iter(it)` of an iterator: itself.
#[export_name = "PyObject_SelfIter"]
pub unsafe extern "C" fn self_iter(o: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| unsafe { new_ref(o) })
}

/// Which kind of iterator `list_iter`/`tuple_iter`/... make.
fn new_seq_iter(ts: Ts, ty: *mut PyTypeObject, seq: *mut PyObject) -> PyResult<*mut PyObject> {
    let it = object::alloc_fixed::<SeqIterObject>(ts, ty)?;
    // SAFETY: a fresh, zeroed iterator; it takes a reference to the sequence.
    unsafe { (*it).seq = new_ref(seq) };
    Ok(it as *mut PyObject)
}

/// `iter(list)`.
pub fn list_iter(ts: Ts, seq: *mut PyObject) -> PyResult<*mut PyObject> {
    new_seq_iter(ts, &raw mut PyListIter_Type, seq)
}

/// `iter(tuple)`.
pub fn tuple_iter(ts: Ts, seq: *mut PyObject) -> PyResult<*mut PyObject> {
    new_seq_iter(ts, &raw mut PyTupleIter_Type, seq)
}

/// `iter(str)`.
pub fn str_iter(ts: Ts, seq: *mut PyObject) -> PyResult<*mut PyObject> {
    let ty = if unicode::is_ascii(seq) { &raw mut STR_ASCII_ITER_TYPE } else { &raw mut PyUnicodeIter_Type };
    new_seq_iter(ts, ty, seq)
}

/// `iter(bytes)`.
pub fn bytes_iter(ts: Ts, seq: *mut PyObject) -> PyResult<*mut PyObject> {
    new_seq_iter(ts, &raw mut PyBytesIter_Type, seq)
}

/// `iter(bytearray)`: reads the length again at every step, as the data may change.
pub fn bytearray_iter(ts: Ts, seq: *mut PyObject) -> PyResult<*mut PyObject> {
    new_seq_iter(ts, &raw mut PyByteArrayIter_Type, seq)
}

/// `PySeqIter_New`: iterates any object through `sq_item`, from 0 until `IndexError`.
pub fn seq_iter(ts: Ts, seq: *mut PyObject) -> PyResult<*mut PyObject> {
    new_seq_iter(ts, &raw mut PySeqIter_Type, seq)
}

fn seq_fields(it: *mut PyObject) -> *mut SeqIterObject {
    it as *mut SeqIterObject
}

/// The sequence an iterator still holds, with its next index.
fn seq_state(it: *mut PyObject) -> Option<(*mut PyObject, Py_ssize_t)> {
    // SAFETY: callers pass sequence iterators; plain field reads.
    let (seq, index) = unsafe { ((*seq_fields(it)).seq, (*seq_fields(it)).index) };
    (!seq.is_null()).then_some((seq, index))
}

fn advance(it: *mut PyObject) {
    // SAFETY: callers pass sequence iterators.
    unsafe { (*seq_fields(it)).index += 1 };
}

/// Lets go of the sequence: the iterator stays exhausted from now on.
fn exhaust(it: *mut PyObject) -> *mut PyObject {
    // SAFETY: callers pass sequence iterators; the reference is the iterator's own.
    unsafe {
        let seq = core::mem::replace(&mut (*seq_fields(it)).seq, null_mut());
        xdecref(seq);
    }
    null_mut()
}

/// Steps an iterator over a sequence read with `len` and `item`.
fn step_over(
    ts: Ts,
    it: *mut PyObject,
    len: fn(*mut PyObject) -> isize,
    item: fn(Ts, *mut PyObject, isize) -> PyResult<*mut PyObject>,
) -> *mut PyObject {
    let Some((seq, index)) = seq_state(it) else { return null_mut() };
    if index >= len(seq) {
        return exhaust(it);
    }
    advance(it);
    item(ts, seq, index).unwrap_or(null_mut())
}

fn str_item(ts: Ts, seq: *mut PyObject, i: isize) -> PyResult<*mut PyObject> {
    let c = unicode::char_at(seq, i as usize);
    unicode::from_chars(ts, 1, c, core::iter::once(c))
}

fn bytes_item(ts: Ts, seq: *mut PyObject, i: isize) -> PyResult<*mut PyObject> {
    long::from_i64(ts, bytes::as_slice(seq)[i as usize] as i64)
}

fn bytearray_item(ts: Ts, seq: *mut PyObject, i: isize) -> PyResult<*mut PyObject> {
    long::from_i64(ts, bytearray::as_slice(seq)[i as usize] as i64)
}

unsafe extern "C" fn bytearray_next(it: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| step_over(ts, it, bytearray::len, bytearray_item))
}

// Lists and tuples hand out items they already hold: no thread state is needed.
unsafe extern "C" fn list_next(it: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| step_over_held(it, list::size, list::item))
}

unsafe extern "C" fn tuple_next(it: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| step_over_held(it, tuple::size, tuple::item))
}

/// Steps an iterator over a list or tuple: a new reference to the item it holds.
#[inline]
fn step_over_held(
    it: *mut PyObject,
    len: fn(*mut PyObject) -> isize,
    item: fn(*mut PyObject, isize) -> *mut PyObject,
) -> *mut PyObject {
    let Some((seq, index)) = seq_state(it) else { return null_mut() };
    if index >= len(seq) {
        return exhaust(it);
    }
    advance(it);
    // SAFETY: a live item of the sequence; the caller gets its own reference.
    unsafe { new_ref(item(seq, index)) }
}

unsafe extern "C" fn str_next(it: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| step_over(ts, it, unicode::len, str_item))
}

unsafe extern "C" fn bytes_next(it: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| step_over(ts, it, bytes::len, bytes_item))
}

/// The generic iterator: `seq[i]` until it raises `IndexError` or `StopIteration`,
/// which end the iteration quietly.
unsafe extern "C" fn generic_next(it: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let Some((seq, index)) = seq_state(it) else { return null_mut() };
        match crate::protocols::sequence::get_item(ts, seq, index) {
            Ok(v) => {
                advance(it);
                v
            }
            Err(Raised) => {
                if ends_iteration(ts) {
                    errors::clear(ts);
                    exhaust(it);
                }
                null_mut()
            }
        }
    })
}

fn ends_iteration(ts: Ts) -> bool {
    let exc = type_of(ts.exception());
    object::is_subtype(exc, exceptions::exc(exceptions::Exc::IndexError))
        || object::is_subtype(exc, exceptions::exc(exceptions::Exc::StopIteration))
}

unsafe extern "C" fn seq_iter_dealloc(it: *mut PyObject) {
    boundary::guard(|| unsafe {
        xdecref((*seq_fields(it)).seq);
        object::free_object(it);
    })
}

// ---------------------------------------------------------------------------------
// dict

/// What a dict iterator yields.
#[derive(Clone, Copy)]
pub enum DictIterKind {
    Keys,
    Values,
    Items,
}

/// An iterator over the keys, values or items of dict `d`.
pub fn dict_iter(ts: Ts, d: *mut PyObject, kind: DictIterKind) -> PyResult<*mut PyObject> {
    let ty = match kind {
        DictIterKind::Keys => &raw mut PyDictIterKey_Type,
        DictIterKind::Values => &raw mut PyDictIterValue_Type,
        DictIterKind::Items => &raw mut PyDictIterItem_Type,
    };
    let it = object::alloc_fixed::<DictIterObject>(ts, ty)?;
    // SAFETY: a fresh, zeroed iterator; it takes a reference to the dict.
    unsafe {
        (*it).dict = new_ref(d);
        (*it).used = dict::len(d);
        (*it).remaining = dict::len(d);
    }
    Ok(it as *mut PyObject)
}

fn dict_fields(it: *mut PyObject) -> *mut DictIterObject {
    it as *mut DictIterObject
}

/// The next entry of a dict iterator; null with `RuntimeError` if the dict changed
/// size since the iteration started (and from then on), null without an exception at
/// the end.
fn dict_step(ts: Ts, it: *mut PyObject) -> Option<dict::Entry> {
    let f = dict_fields(it);
    // SAFETY: callers pass dict iterators; plain field reads and writes, no
    // reference kept.
    unsafe {
        let d = (*f).dict;
        if d.is_null() {
            return None;
        }
        if (*f).used != dict::len(d) {
            errors::set_string(
                ts,
                exceptions::exc(exceptions::Exc::RuntimeError),
                "dictionary changed size during iteration",
            );
            (*f).used = -1; // stays failed
            return None;
        }
        let mut pos = (*f).pos;
        let Some(e) = dict::next(d, &mut pos) else {
            dict_exhaust(it);
            return None;
        };
        if (*f).remaining == 0 {
            // Same size but more entries: keys were replaced while iterating.
            errors::set_string(
                ts,
                exceptions::exc(exceptions::Exc::RuntimeError),
                "dictionary keys changed during iteration",
            );
            dict_exhaust(it);
            return None;
        }
        (*f).pos = pos;
        (*f).remaining -= 1;
        Some(e)
    }
}

fn dict_exhaust(it: *mut PyObject) {
    // SAFETY: callers pass dict iterators; the reference is the iterator's own.
    unsafe {
        let d = core::mem::replace(&mut (*dict_fields(it)).dict, null_mut());
        xdecref(d);
    }
}

unsafe extern "C" fn dict_next_key(it: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| dict_step(ts, it).map_or(null_mut(), |e| unsafe { new_ref(e.key) }))
}

unsafe extern "C" fn dict_next_value(it: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| dict_step(ts, it).map_or(null_mut(), |e| unsafe { new_ref(e.value) }))
}

unsafe extern "C" fn dict_next_item(it: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let Some(e) = dict_step(ts, it) else { return null_mut() };
        tuple::pack(ts, &[e.key, e.value]).unwrap_or(null_mut())
    })
}

unsafe extern "C" fn dict_iter_dealloc(it: *mut PyObject) {
    boundary::guard(|| unsafe {
        xdecref((*dict_fields(it)).dict);
        object::free_object(it);
    })
}

/// How many items a builtin iterator has left, for `PyObject_LengthHint`; None for
/// other objects.
pub fn remaining(it: *mut PyObject) -> Option<Py_ssize_t> {
    if let Some(n) = super::set::iter_remaining(it).or_else(|| super::range::iter_remaining(it)) {
        return Some(n);
    }
    let ty = type_of(it);
    let seq_len: Option<fn(*mut PyObject) -> isize> = if ty == &raw mut PyListIter_Type {
        Some(list::size)
    } else if ty == &raw mut PyTupleIter_Type {
        Some(tuple::size)
    } else if ty == &raw mut PyUnicodeIter_Type || ty == &raw mut STR_ASCII_ITER_TYPE {
        Some(unicode::len)
    } else if ty == &raw mut PyBytesIter_Type {
        Some(bytes::len)
    } else if ty == &raw mut PyByteArrayIter_Type {
        Some(bytearray::len)
    } else {
        None
    };
    if let Some(len) = seq_len {
        return Some(seq_state(it).map_or(0, |(seq, index)| (len(seq) - index).max(0)));
    }
    if [&raw mut PyDictIterKey_Type, &raw mut PyDictIterValue_Type, &raw mut PyDictIterItem_Type].contains(&ty) {
        let f = dict_fields(it);
        // SAFETY: a dict iterator; plain field reads.
        return Some(unsafe {
            if !(*f).dict.is_null() && (*f).used == dict::len((*f).dict) {
                (*f).remaining
            } else {
                0
            }
        });
    }
    None
}

// ---------------------------------------------------------------------------------
// Calling until a sentinel

/// `iter(callable, sentinel)`: both null once exhausted.
#[repr(C)]
pub struct CallIterObject {
    ob_base: PyObject,
    callable: *mut PyObject,
    sentinel: *mut PyObject,
}

/// `PyCallIter_New`: calls `callable` with no arguments for each item, until it
/// returns a value equal to `sentinel` or raises `StopIteration`.
pub fn call_iter(ts: Ts, callable: *mut PyObject, sentinel: *mut PyObject) -> PyResult<*mut PyObject> {
    object::refuse_foreign(ts, callable)?;
    object::refuse_foreign(ts, sentinel)?;
    let it = object::alloc_fixed::<CallIterObject>(ts, &raw mut PyCallIter_Type)?;
    // SAFETY: a fresh iterator; it takes a reference to both.
    unsafe {
        (*it).callable = new_ref(callable);
        (*it).sentinel = new_ref(sentinel);
    }
    Ok(it as *mut PyObject)
}

fn call_iter_exhaust(it: *mut PyObject) {
    let f = it as *mut CallIterObject;
    // SAFETY: a callable iterator; its own references, each given up once.
    unsafe {
        let callable = core::mem::replace(&mut (*f).callable, null_mut());
        let sentinel = core::mem::replace(&mut (*f).sentinel, null_mut());
        xdecref(callable);
        xdecref(sentinel);
    }
}

/// `callable()` through its type's `tp_call`.
fn call_no_args(ts: Ts, callable: *mut PyObject) -> PyResult<*mut PyObject> {
    // SAFETY: a live object's type; `tp_call` follows CPython's contract.
    let Some(call) = (unsafe { (*type_of(callable)).tp_call }) else {
        let name = super::typeobject::type_name(type_of(callable));
        return Err(errors::type_error(ts, &format!("'{name}' object is not callable")));
    };
    crate::protocols::object::check_result(ts, unsafe { call(callable, tuple::empty(), null_mut()) }, "__call__")
}

fn call_iter_step(ts: Ts, it: *mut PyObject) -> PyResult<*mut PyObject> {
    let f = it as *mut CallIterObject;
    // SAFETY: a callable iterator; field reads.
    let (callable, sentinel) = unsafe { ((*f).callable, (*f).sentinel) };
    if callable.is_null() {
        return Ok(null_mut());
    }
    // Held: the call may run code that exhausts this iterator.
    let held = super::containers::OwnedRefs::of(&[callable, sentinel]);
    let result = match call_no_args(ts, held.0[0]) {
        Ok(r) => r,
        Err(Raised) => {
            if object::is_subtype(type_of(ts.exception()), exceptions::exc(exceptions::Exc::StopIteration)) {
                errors::clear(ts);
                call_iter_exhaust(it);
                return Ok(null_mut());
            }
            return Err(Raised);
        }
    };
    match crate::protocols::object::richcompare_bool(ts, held.0[1], result, Py_EQ) {
        Ok(false) => Ok(result),
        Ok(true) => {
            unsafe { object::decref(result) };
            call_iter_exhaust(it);
            Ok(null_mut())
        }
        Err(e) => {
            unsafe { object::decref(result) };
            Err(e)
        }
    }
}

unsafe extern "C" fn call_iter_next(it: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| call_iter_step(ts, it))
}

unsafe extern "C" fn call_iter_dealloc(it: *mut PyObject) {
    boundary::guard(|| {
        call_iter_exhaust(it);
        unsafe { object::free_object(it) };
    })
}
