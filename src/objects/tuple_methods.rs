//! The Python-visible methods of `tuple` (its `tp_methods`): `index` and `count`.

use super::methodargs::{check_positional, fast, positional, simple, slice_index, END};
use super::object::{decref, new_ref};
use super::{long, singletons, tuple};
use crate::abi::*;
use crate::protocols::object::richcompare_bool;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;

pub static mut TUPLE_METHODS: [PyMethodDef; 3] =
    [fast(c"index", tuple_index), simple(c"count", tuple_count, METH_O), END];

unsafe extern "C" fn tuple_index(t: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| index(ts, t, positional(args, n)))
}

unsafe extern "C" fn tuple_count(t: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| count(ts, t, x))
}

/// Whether item `i` of `t` equals `x` (the item held while compared).
fn equal_at(ts: Ts, t: *mut PyObject, i: usize, x: *mut PyObject) -> PyResult<bool> {
    // SAFETY: a tuple's items live as long as it; held across code the comparison runs.
    let item = unsafe { new_ref(tuple::items(t)[i]) };
    let r = richcompare_bool(ts, item, x, Py_EQ);
    unsafe { decref(item) };
    r
}

/// `t.index(value, start=0, stop=sys.maxsize, /)`.
fn index(ts: Ts, t: *mut PyObject, args: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    check_positional(ts, "index", args.len(), 1, 3)?;
    if args[1..].contains(&singletons::none()) {
        return Err(errors::type_error(ts, "slice indices must be integers or have an __index__ method"));
    }
    let n = tuple::size(t);
    let clamp = |i: isize| if i < 0 { (i + n).max(0) } else { i.min(n) } as usize;
    let start = clamp(slice_index(ts, args.get(1).copied(), 0)?);
    let stop = clamp(slice_index(ts, args.get(2).copied(), isize::MAX)?);
    for i in start..stop.max(start) {
        if equal_at(ts, t, i, args[0])? {
            return long::from_i64(ts, i as i64);
        }
    }
    Err(errors::value_error(ts, "tuple.index(x): x not in tuple"))
}

/// `t.count(value, /)`.
fn count(ts: Ts, t: *mut PyObject, x: *mut PyObject) -> PyResult<*mut PyObject> {
    let mut found = 0i64;
    for i in 0..tuple::size(t) as usize {
        found += i64::from(equal_at(ts, t, i, x)?);
    }
    long::from_i64(ts, found)
}
