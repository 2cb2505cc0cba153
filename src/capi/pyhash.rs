//! `pyhash.h`: the hash helpers extensions call directly.

use super::boundary;
use crate::abi::*;
use crate::objects::hash;
use crate::runtime::boundary;
use core::ffi::c_void;

/// The slice `len` bytes at `src` name; empty for a null or non-positive length.
///
/// # Safety
/// A non-null `src` with a positive `len` points to `len` readable bytes.
unsafe fn data<'a>(src: *const c_void, len: Py_ssize_t) -> &'a [u8] {
    if src.is_null() || len <= 0 {
        return &[];
    }
    // SAFETY: the caller promises `len` readable bytes at `src`.
    unsafe { core::slice::from_raw_parts(src as *const u8, len as usize) }
}

/// The hash str and bytes objects use for their data: 0 for no data, never -1.
#[no_mangle]
pub unsafe extern "C" fn _Py_HashBytes(src: *const c_void, len: Py_ssize_t) -> Py_hash_t {
    boundary!(-1, hash::bytes(unsafe { data(src, len) }))
}

/// The hash of a float's value; a NaN hashes by the address of `inst`, the object
/// holding it (as `float.__hash__` does).
#[no_mangle]
pub extern "C" fn _Py_HashDouble(inst: *mut PyObject, v: f64) -> Py_hash_t {
    boundary::guard(|| hash::of_double(inst as *const c_void, v))
}

/// The hash of an address: the pointer rotated right by 4 bits, -1 taken as -2.
#[no_mangle]
pub extern "C" fn Py_HashPointer(ptr: *const c_void) -> Py_hash_t {
    boundary::guard(|| hash::pointer(ptr))
}

/// The identity hash `object.__hash__` gives.
#[no_mangle]
pub extern "C" fn PyObject_GenericHash(o: *mut PyObject) -> Py_hash_t {
    boundary::guard(|| hash::pointer(o as *const c_void))
}

unsafe extern "C" fn raw_siphash13(src: *const c_void, len: Py_ssize_t) -> Py_hash_t {
    boundary!(-1, hash::siphash13(unsafe { data(src, len) }))
}

static mut FUNC_DEF: PyHash_FuncDef = PyHash_FuncDef {
    hash: raw_siphash13,
    name: c"siphash13".as_ptr(),
    hash_bits: hash::HASH_WIDTH_BITS,
    seed_bits: hash::KEY_BITS,
};

/// The description of the str/bytes hash function (`sys.hash_info` reads it).
#[no_mangle]
pub extern "C" fn PyHash_GetFuncDef() -> *mut PyHash_FuncDef {
    boundary::guard(|| &raw mut FUNC_DEF)
}
