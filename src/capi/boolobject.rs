//! `boolobject.h`: `True` and `False`.

use crate::abi::*;
use crate::objects::bool_;
use crate::runtime::boundary;
use core::ffi::c_long;

/// `True` when `v` is non-zero, else `False` (immortal, so no reference to count).
#[no_mangle]
pub extern "C" fn PyBool_FromLong(v: c_long) -> *mut PyObject {
    boundary::guard(|| bool_::from_bool(v != 0))
}
