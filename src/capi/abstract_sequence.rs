//! `abstract.h`, the sequence part: `PySequence_*`.

use super::{api, require, IntoC};
use crate::abi::*;
use crate::protocols::sequence;
use core::ffi::c_int;

/// 1 if an item of `seq` equals `ob`, 0 if none does, -1 on error.
#[no_mangle]
pub unsafe extern "C" fn PySequence_Contains(seq: *mut PyObject, ob: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, seq, ob);
        sequence::contains(ts, seq, ob).into_c()
    })
}
