//! `pybuffer.h`: the buffer protocol.

use super::{api, boundary, require, IntoC};
use crate::abi::*;
use crate::objects::buffer;
use core::ffi::{c_char, c_int, c_void, CStr};
use core::ptr::null_mut;

/// 1 when `o`'s type exports buffers, else 0 (a function in 3.13, as in CPython).
#[no_mangle]
pub unsafe extern "C" fn PyObject_CheckBuffer(o: *mut PyObject) -> c_int {
    boundary!(0, { (!o.is_null() && buffer::has_buffer(o)) as c_int })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_GetBuffer(o: *mut PyObject, view: *mut Py_buffer, flags: c_int) -> c_int {
    api!(-1, |ts| {
        require!(ts; o, view);
        buffer::get_buffer(ts, o, view, flags).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyBuffer_Release(view: *mut Py_buffer) {
    api!((), |_ts| {
        if !view.is_null() {
            // SAFETY: the caller's view, filled by PyObject_GetBuffer or PyBuffer_FillInfo.
            unsafe { buffer::release(view) }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyBuffer_FillInfo(
    view: *mut Py_buffer,
    o: *mut PyObject,
    buf: *mut c_void,
    len: Py_ssize_t,
    readonly: c_int,
    flags: c_int,
) -> c_int {
    api!(-1, |ts| buffer::fill_info(ts, view, o, buf, len, readonly, flags).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PyBuffer_IsContiguous(view: *const Py_buffer, order: c_char) -> c_int {
    boundary!(0, {
        // SAFETY: the caller's live view.
        match unsafe { view.as_ref() } {
            Some(v) => buffer::is_contiguous(v, order as u8) as c_int,
            None => 0,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyBuffer_GetPointer(view: *const Py_buffer, indices: *const Py_ssize_t) -> *mut c_void {
    boundary!(null_mut(), {
        // SAFETY: the caller's live view and one index per dimension.
        unsafe {
            let Some(v) = view.as_ref() else { return null_mut() };
            let n = v.ndim.max(0) as usize;
            if n > 0 && indices.is_null() {
                return null_mut();
            }
            let idx = if n == 0 { &[][..] } else { core::slice::from_raw_parts(indices, n) };
            buffer::pointer_at(v, idx) as *mut c_void
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyBuffer_SizeFromFormat(format: *const c_char) -> Py_ssize_t {
    api!(-1, |ts| {
        require!(ts; format);
        // SAFETY: a NUL-terminated format string.
        buffer::size_from_format(ts, unsafe { CStr::from_ptr(format) }).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyBuffer_ToContiguous(
    buf: *mut c_void,
    src: *const Py_buffer,
    len: Py_ssize_t,
    order: c_char,
) -> c_int {
    api!(-1, |ts| {
        require!(ts; buf, src);
        // SAFETY: the caller's view and a buffer of `len` bytes.
        unsafe { buffer::to_contiguous(ts, buf as *mut u8, &*src, len, order as u8) }.into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyBuffer_FromContiguous(
    view: *const Py_buffer,
    buf: *const c_void,
    len: Py_ssize_t,
    order: c_char,
) -> c_int {
    api!(-1, |ts| {
        require!(ts; view, buf);
        // SAFETY: the caller's writable view and `len` bytes at `buf`.
        unsafe { buffer::from_contiguous(&*view, buf as *const u8, len, order as u8) };
        0
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_CopyData(dest: *mut PyObject, src: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts; dest, src);
        buffer::copy_data(ts, dest, src).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyBuffer_FillContiguousStrides(
    ndims: c_int,
    shape: *mut Py_ssize_t,
    strides: *mut Py_ssize_t,
    itemsize: c_int,
    order: c_char,
) {
    boundary!((), {
        if ndims <= 0 || shape.is_null() || strides.is_null() {
            return;
        }
        let n = ndims as usize;
        // SAFETY: the caller's arrays of `ndims` entries each.
        let (shape, strides) =
            unsafe { (core::slice::from_raw_parts(shape, n), core::slice::from_raw_parts_mut(strides, n)) };
        buffer::fill_contiguous_strides(shape, strides, itemsize as Py_ssize_t, order as u8)
    })
}
