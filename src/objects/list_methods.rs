//! The Python-visible methods of `list` (its `tp_methods`), over the core functions
//! of `list.rs`, as CPython 3.13 has them.

use super::methodargs::{bind, check_positional, fast, fast_kw, positional, simple, slice_index, ssize, Params, END};
use super::object::{decref, new_ref};
use super::{list, long, singletons};
use crate::abi::*;
use crate::protocols::object::{is_true, repr, richcompare_bool};
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;

pub static mut LIST_METHODS: [PyMethodDef; 12] = [
    simple(c"append", list_append, METH_O),
    simple(c"extend", list_extend, METH_O),
    fast(c"insert", list_insert),
    fast(c"pop", list_pop),
    simple(c"remove", list_remove, METH_O),
    fast(c"index", list_index),
    simple(c"count", list_count, METH_O),
    simple(c"reverse", list_reverse, METH_NOARGS),
    fast_kw(c"sort", list_sort),
    simple(c"copy", list_copy, METH_NOARGS),
    simple(c"clear", list_clear, METH_NOARGS),
    END,
];

fn none() -> *mut PyObject {
    // SAFETY: None is immortal.
    unsafe { new_ref(singletons::none()) }
}

unsafe extern "C" fn list_append(l: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| list::append(ts, l, x).map(|()| none()))
}

unsafe extern "C" fn list_extend(l: *mut PyObject, it: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| list::extend(ts, l, it).map(|()| none()))
}

unsafe extern "C" fn list_insert(l: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| insert(ts, l, positional(args, n)).map(|()| none()))
}

unsafe extern "C" fn list_pop(l: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| pop(ts, l, positional(args, n)))
}

unsafe extern "C" fn list_remove(l: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| remove(ts, l, x).map(|()| none()))
}

unsafe extern "C" fn list_index(l: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| index(ts, l, positional(args, n)))
}

unsafe extern "C" fn list_count(l: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| count(ts, l, x))
}

unsafe extern "C" fn list_reverse(l: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|_| {
        list::reverse(l);
        Ok::<_, Raised>(none())
    })
}

unsafe extern "C" fn list_sort(
    l: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    boundary::slot(|ts| sort(ts, l, args, n, kw).map(|()| none()))
}

unsafe extern "C" fn list_copy(l: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| list::from_slice(ts, list::items(l)))
}

unsafe extern "C" fn list_clear(l: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|_| {
        list::clear(l);
        Ok::<_, Raised>(none())
    })
}

/// `l.insert(index, object, /)`.
fn insert(ts: Ts, l: *mut PyObject, args: &[*mut PyObject]) -> PyResult<()> {
    check_positional(ts, "insert", args.len(), 2, 2)?;
    let at = ssize(ts, Some(args[0]), 0)?;
    list::insert(ts, l, at, args[1])
}

/// `l.pop(index=-1, /)`.
fn pop(ts: Ts, l: *mut PyObject, args: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    check_positional(ts, "pop", args.len(), 0, 1)?;
    let n = list::size(l);
    let at = ssize(ts, args.first().copied(), -1)?;
    if n == 0 {
        return Err(errors::index_error(ts, "pop from empty list"));
    }
    let at = if at < 0 { at + n } else { at };
    if at < 0 || at >= n {
        return Err(errors::index_error(ts, "pop index out of range"));
    }
    // SAFETY: held across the removal, which releases the list's reference.
    let item = unsafe { new_ref(list::item(l, at)) };
    if let Err(e) = list::set_slice(ts, l, at, at + 1, None) {
        unsafe { decref(item) };
        return Err(e);
    }
    Ok(item)
}

/// Where `x` first equals an item in `l[start:stop]` (items compared by `==`, each
/// held while compared, the list re-measured after every comparison).
fn position(ts: Ts, l: *mut PyObject, x: *mut PyObject, start: usize, stop: usize) -> PyResult<Option<usize>> {
    let mut i = start;
    while i < stop.min(list::size(l) as usize) {
        // SAFETY: held: the comparison may run code that changes the list.
        let item = unsafe { new_ref(list::item(l, i as isize)) };
        let same = richcompare_bool(ts, item, x, Py_EQ);
        unsafe { decref(item) };
        if same? {
            return Ok(Some(i));
        }
        i += 1;
    }
    Ok(None)
}

/// `l.remove(value, /)`.
fn remove(ts: Ts, l: *mut PyObject, x: *mut PyObject) -> PyResult<()> {
    match position(ts, l, x, 0, usize::MAX)? {
        Some(i) => list::set_slice(ts, l, i as isize, i as isize + 1, None),
        None => Err(errors::value_error(ts, "list.remove(x): x not in list")),
    }
}

/// `l.index(value, start=0, stop=sys.maxsize, /)`.
fn index(ts: Ts, l: *mut PyObject, args: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    check_positional(ts, "index", args.len(), 1, 3)?;
    let n = list::size(l);
    let clamp = |i: isize| if i < 0 { (i + n).max(0) } else { i } as usize;
    if args[1..].contains(&singletons::none()) {
        return Err(errors::type_error(ts, "slice indices must be integers or have an __index__ method"));
    }
    let start = clamp(slice_index(ts, args.get(1).copied(), 0)?);
    let stop = clamp(slice_index(ts, args.get(2).copied(), isize::MAX)?);
    match position(ts, l, args[0], start, stop)? {
        Some(i) => long::from_i64(ts, i as i64),
        None => {
            let shown = repr(ts, args[0])?;
            let text = super::unicode::to_string_lossy(shown);
            unsafe { decref(shown) };
            Err(errors::value_error(ts, &format!("{text} is not in list")))
        }
    }
}

/// `l.count(value, /)`.
fn count(ts: Ts, l: *mut PyObject, x: *mut PyObject) -> PyResult<*mut PyObject> {
    let (mut found, mut i) = (0i64, 0usize);
    while let Some(at) = position(ts, l, x, i, usize::MAX)? {
        found += 1;
        i = at + 1;
    }
    long::from_i64(ts, found)
}

/// `l.sort(*, key=None, reverse=False)`.
fn sort(ts: Ts, l: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t, kw: *mut PyObject) -> PyResult<()> {
    let p = Params { function: "sort", names: &["key", "reverse"], required: 0, positional: 0, keyword_from: 0 };
    let [key, reverse] = bind::<2>(ts, &p, args, n, kw)?;
    let key = key.filter(|&k| k != singletons::none());
    let reverse = match reverse {
        Some(r) => is_true(ts, r)?,
        None => false,
    };
    list::sort_with(ts, l, key, reverse)
}
