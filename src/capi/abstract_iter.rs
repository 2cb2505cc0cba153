//! `abstract.h`, the iterator part: `PyObject_GetIter`, `PyIter_Next`, `PyIter_Check`,
//! `PyIter_Send`, `PySeqIter_New`, `PyCallIter_New`, `PyObject_GetAIter`, `PyAIter_Check`,
//! `PyObject_LengthHint`.

use super::{api, require, IntoC};
use crate::abi::*;
use crate::objects::iterobject;
use crate::protocols::iter::{self, Sent, PYGEN_ERROR, PYGEN_NEXT, PYGEN_RETURN};
use crate::runtime::boundary;
use core::ffi::c_int;
use core::ptr::null_mut;

#[no_mangle]
pub unsafe extern "C" fn PyObject_GetIter(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        iter::get_iter(ts, o).into_c()
    })
}

/// The next item, or NULL: with no exception set at the end (a `StopIteration` the
/// iterator raised is cleared), with one on error.
#[no_mangle]
pub unsafe extern "C" fn PyIter_Next(it: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| {
        // The common case needs no thread state: the iterator gives an item.
        if !it.is_null() {
            // SAFETY: a live object's type.
            if let Some(f) = unsafe { (*crate::objects::object::type_of(it)).tp_iternext } {
                // SAFETY: tp_iternext takes the iterator.
                let x = unsafe { f(it) };
                if !x.is_null() {
                    return x;
                }
                return api!(null_mut(), |ts| iter::after_exhaustion(ts));
            }
        }
        iter_next_slow(it)
    })
}

fn iter_next_slow(it: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), it);
        match iter::next(ts, it) {
            Ok(Some(x)) => x,
            Ok(None) | Err(_) => null_mut(),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyIter_Check(o: *mut PyObject) -> c_int {
    boundary::guard(|| (!o.is_null() && iter::is_iterator(o)) as c_int)
}

/// Sends `arg` into `it`: `PYGEN_NEXT` with the value produced, `PYGEN_RETURN` with
/// the return value, or `PYGEN_ERROR` with an exception set (and `*result` NULL).
#[no_mangle]
pub unsafe extern "C" fn PyIter_Send(it: *mut PyObject, arg: *mut PyObject, result: *mut *mut PyObject) -> c_int {
    api!(PYGEN_ERROR, |ts| {
        require!(ts, PYGEN_ERROR, it, arg, result);
        let (status, value) = match iter::send(ts, it, arg) {
            Ok(Sent::Next(v)) => (PYGEN_NEXT, v),
            Ok(Sent::Return(v)) => (PYGEN_RETURN, v),
            Err(_) => (PYGEN_ERROR, null_mut()),
        };
        // SAFETY: the caller passes a writable pointer.
        unsafe { *result = value };
        status
    })
}

/// 1 if `o` is an async iterator (its type has `am_anext`), else 0.
#[no_mangle]
pub unsafe extern "C" fn PyAIter_Check(o: *mut PyObject) -> c_int {
    boundary::guard(|| (!o.is_null() && iter::is_async_iterator(o)) as c_int)
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_GetAIter(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        iter::get_async_iter(ts, o).into_c()
    })
}

/// An iterator calling `callable` until it returns `sentinel` (or raises
/// `StopIteration`).
#[no_mangle]
pub unsafe extern "C" fn PyCallIter_New(callable: *mut PyObject, sentinel: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), callable, sentinel);
        iterobject::call_iter(ts, callable, sentinel).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PySeqIter_New(seq: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), seq);
        iterobject::seq_iter(ts, seq).into_c()
    })
}

/// `len(o)`, else what an iterator says it has left, else `default`; -1 on error.
#[no_mangle]
pub unsafe extern "C" fn PyObject_LengthHint(o: *mut PyObject, default: Py_ssize_t) -> Py_ssize_t {
    api!(-1, |ts| {
        require!(ts, -1, o);
        iter::length_hint(ts, o, default).into_c()
    })
}
