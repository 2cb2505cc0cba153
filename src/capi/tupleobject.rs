//! `tupleobject.h`: tuples.

use super::{api, IntoC};
use crate::abi::*;
use crate::objects::tuple;
use crate::runtime::errors;
use core::ptr::null_mut;

/// A tuple of `n` NULL slots, to be filled with `PyTuple_SetItem`/`PyTuple_SET_ITEM`.
#[no_mangle]
pub unsafe extern "C" fn PyTuple_New(n: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if n < 0 {
            errors::bad_internal_call(ts);
            return null_mut();
        }
        if n == 0 {
            return tuple::empty();
        }
        tuple::new(ts, n).into_c()
    })
}
