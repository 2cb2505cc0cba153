//! The Python-visible methods of `bytearray` (its `tp_methods`), as CPython 3.13 has
//! them: the ones it shares with `bytes` are `bytes_methods.rs`'s own functions
//! (which build results of their object's kind), then the mutators.

use super::bytearray::{self, byte_value};
use super::bytes_methods::*;
use super::methodargs::{check_positional, fast, fast_kw, positional, simple, ssize, END};
use super::object::{new_ref, type_of};
use super::typeobject::type_name;
use super::{long, singletons, unicode};
use crate::abi::*;
use crate::protocols;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;

pub static mut BYTEARRAY_METHODS: [PyMethodDef; 37] = bytes_like_methods![
    simple(c"fromhex", bytearray_fromhex, METH_O | METH_CLASS),
    simple(c"append", bytearray_append, METH_O),
    simple(c"extend", bytearray_extend, METH_O),
    fast(c"pop", bytearray_pop),
    fast(c"insert", bytearray_insert),
    simple(c"remove", bytearray_remove, METH_O),
    simple(c"clear", bytearray_clear, METH_NOARGS),
    simple(c"copy", bytearray_copy, METH_NOARGS),
    simple(c"reverse", bytearray_reverse, METH_NOARGS),
];

fn none() -> *mut PyObject {
    // SAFETY: None is immortal.
    unsafe { new_ref(singletons::none()) }
}

/// Inserts `byte` at `at` (clamped into the data).
fn insert_byte(ts: Ts, o: *mut PyObject, at: usize, byte: u8) -> PyResult<*mut PyObject> {
    bytearray::replace_range(ts, o, at, at, &[byte])?;
    Ok(none())
}

unsafe extern "C" fn bytearray_append(o: *mut PyObject, item: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        let byte = byte_value(ts, item)?;
        insert_byte(ts, o, bytearray::len(o) as usize, byte)
    })
}

unsafe extern "C" fn bytearray_insert(o: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| {
        let args = positional(args, n);
        check_positional(ts, "insert", args.len(), 2, 2)?;
        let index = ssize(ts, Some(args[0]), 0)?;
        let byte = byte_value(ts, args[1])?;
        let len = bytearray::len(o);
        let at = if index < 0 { (index + len).max(0) } else { index.min(len) };
        insert_byte(ts, o, at as usize, byte)
    })
}

unsafe extern "C" fn bytearray_extend(o: *mut PyObject, iterable: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        let data = extension(ts, iterable)?;
        let n = bytearray::len(o) as usize;
        bytearray::replace_range(ts, o, n, n, &data)?;
        Ok(none())
    })
}

/// The bytes `extend` appends: a buffer's, or those of an iterable of ints.
fn extension(ts: Ts, iterable: *mut PyObject) -> PyResult<Vec<u8>> {
    if let Some(data) = super::buffer::copy_of(ts, iterable)? {
        return Ok(data);
    }
    if unicode::check(iterable) {
        return Err(errors::type_error(ts, "expected iterable of integers; got: 'str'"));
    }
    if !super::containers::is_iterable(iterable) {
        let name = type_name(type_of(iterable));
        return Err(errors::type_error(ts, &format!("can't extend bytearray with {name}")));
    }
    let items = protocols::iter::collect(ts, iterable)?;
    items.0.iter().map(|&item| byte_value(ts, item)).collect()
}

unsafe extern "C" fn bytearray_pop(o: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| {
        let args = positional(args, n);
        check_positional(ts, "pop", args.len(), 0, 1)?;
        let index = ssize(ts, args.first().copied(), -1)?;
        let len = bytearray::len(o);
        if len == 0 {
            return Err(errors::index_error(ts, "pop from empty bytearray"));
        }
        let at = if index < 0 { index + len } else { index };
        if at < 0 || at >= len {
            return Err(errors::index_error(ts, "pop index out of range"));
        }
        let byte = bytearray::as_slice(o)[at as usize];
        bytearray::replace_range(ts, o, at as usize, at as usize + 1, &[])?;
        long::from_i64(ts, i64::from(byte))
    })
}

unsafe extern "C" fn bytearray_remove(o: *mut PyObject, value: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        let byte = byte_value(ts, value)?;
        let Some(at) = bytearray::as_slice(o).iter().position(|&b| b == byte) else {
            return Err(errors::value_error(ts, "value not found in bytearray"));
        };
        bytearray::replace_range(ts, o, at, at + 1, &[])?;
        Ok(none())
    })
}

unsafe extern "C" fn bytearray_clear(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        bytearray::replace_range(ts, o, 0, bytearray::len(o) as usize, &[])?;
        Ok(none())
    })
}

unsafe extern "C" fn bytearray_copy(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| bytearray::from_slice(ts, bytearray::as_slice(o)))
}

unsafe extern "C" fn bytearray_reverse(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        let reversed: Vec<u8> = bytearray::as_slice(o).iter().rev().copied().collect();
        bytearray::replace_range(ts, o, 0, reversed.len(), &reversed)?;
        Ok::<_, errors::Raised>(none())
    })
}
