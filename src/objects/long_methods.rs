//! The Python-visible methods and attributes of `int` (its `tp_methods` and
//! `tp_getset`), as CPython 3.13 has them.

use super::long::{self, Int};
use super::methodargs::{bind, fast_kw, simple, ssize, str_arg, Params, END};
use super::object::{decref, new_ref};
use super::typeobject::getset;
use super::{bool_, bytes, tuple, unicode};
use crate::abi::*;
use crate::protocols::object::is_true;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use num_bigint::{BigInt, Sign};

const fn class_fast_kw(name: &'static core::ffi::CStr, f: super::methodargs::FastKw) -> PyMethodDef {
    let mut d = fast_kw(name, f);
    d.ml_flags |= METH_CLASS;
    d
}

pub static mut INT_METHODS: [PyMethodDef; 8] = [
    simple(c"bit_length", int_bit_length, METH_NOARGS),
    simple(c"bit_count", int_bit_count, METH_NOARGS),
    fast_kw(c"to_bytes", int_to_bytes),
    class_fast_kw(c"from_bytes", int_from_bytes),
    simple(c"conjugate", int_conjugate, METH_NOARGS),
    simple(c"as_integer_ratio", int_as_integer_ratio, METH_NOARGS),
    simple(c"is_integer", int_is_integer, METH_NOARGS),
    END,
];

unsafe extern "C" fn int_bit_length(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| long::from_u64(ts, long::bit_length(o)))
}

unsafe extern "C" fn int_bit_count(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        // SAFETY: `o` is an int (the descriptor checked its type).
        let v = unsafe { Int::of(o) }.into_big();
        let ones: u64 = v.magnitude().iter_u64_digits().map(|d| u64::from(d.count_ones())).sum();
        long::from_u64(ts, ones)
    })
}

unsafe extern "C" fn int_to_bytes(
    o: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    boundary::slot(|ts| to_bytes(ts, o, args, n, kw))
}

unsafe extern "C" fn int_from_bytes(
    cls: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    boundary::slot(|ts| from_bytes(ts, cls, args, n, kw))
}

/// `real`, `numerator`: the value as an exact int.
unsafe extern "C" fn int_exact(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    boundary::slot(|ts| long::exact_copy(ts, o))
}

unsafe extern "C" fn int_zero(_: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    boundary::slot(|ts| long::from_i64(ts, 0))
}

unsafe extern "C" fn int_one(_: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    boundary::slot(|ts| long::from_i64(ts, 1))
}

pub static mut INT_GETSET: [PyGetSetDef; 5] = [
    getset(c"real", int_exact),
    getset(c"imag", int_zero),
    getset(c"numerator", int_exact),
    getset(c"denominator", int_one),
    PyGetSetDef {
        name: core::ptr::null(),
        get: None,
        set: None,
        doc: core::ptr::null(),
        closure: core::ptr::null_mut(),
    },
];

unsafe extern "C" fn int_conjugate(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| long::exact_copy(ts, o))
}

unsafe extern "C" fn int_as_integer_ratio(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        let num = long::exact_copy(ts, o)?;
        let one = long::from_i64(ts, 1)?;
        let r = tuple::pack(ts, &[num, one]);
        unsafe {
            decref(num);
            decref(one);
        }
        r
    })
}

unsafe extern "C" fn int_is_integer(_: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|_| {
        // SAFETY: True is immortal.
        Ok::<_, errors::Raised>(unsafe { new_ref(bool_::py_true()) })
    })
}

/// `byteorder`: `"big"` (true) or `"little"`.
fn big_endian(ts: Ts, function: &str, v: Option<*mut PyObject>) -> PyResult<bool> {
    let Some(v) = v else { return Ok(true) };
    let v = str_arg(ts, function, "argument 'byteorder'", v)?;
    if unicode::equal_to_utf8(v, b"big") {
        Ok(true)
    } else if unicode::equal_to_utf8(v, b"little") {
        Ok(false)
    } else {
        Err(errors::value_error(ts, "byteorder must be either 'little' or 'big'"))
    }
}

fn flag(ts: Ts, v: Option<*mut PyObject>) -> PyResult<bool> {
    v.map_or(Ok(false), |v| is_true(ts, v))
}

/// `i.to_bytes(length=1, byteorder='big', *, signed=False)`.
fn to_bytes(
    ts: Ts,
    o: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> PyResult<*mut PyObject> {
    const NAMES: &[&str] = &["length", "byteorder", "signed"];
    let p = Params { function: "to_bytes", names: NAMES, required: 0, positional: 2, keyword_from: 0 };
    let [length, order, signed] = bind::<3>(ts, &p, args, n, kw)?;
    let length = ssize(ts, length, 1)?;
    let big = big_endian(ts, "to_bytes", order)?;
    let signed = flag(ts, signed)?;
    if length < 0 {
        return Err(errors::value_error(ts, "length argument must be non-negative"));
    }
    // SAFETY: `o` is an int (the descriptor checked its type).
    let v = unsafe { Int::of(o) }.into_big();
    if !signed && v.sign() == Sign::Minus {
        return Err(errors::overflow_error(ts, "can't convert negative int to unsigned"));
    }
    let mut le = if signed { v.to_signed_bytes_le() } else { v.to_bytes_le().1 };
    if v.sign() == Sign::NoSign {
        le.clear();
    }
    let length = length as usize;
    if le.len() > length {
        return Err(errors::overflow_error(ts, "int too big to convert"));
    }
    let pad = if v.sign() == Sign::Minus { 0xFF } else { 0 };
    le.resize(length, pad);
    if big {
        le.reverse();
    }
    bytes::from_slice(ts, &le)
}

/// `int.from_bytes(bytes, byteorder='big', *, signed=False)`; a subclass `cls` is
/// called with the int.
fn from_bytes(
    ts: Ts,
    cls: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> PyResult<*mut PyObject> {
    const NAMES: &[&str] = &["bytes", "byteorder", "signed"];
    let p = Params { function: "from_bytes", names: NAMES, required: 1, positional: 2, keyword_from: 0 };
    let [data, order, signed] = bind::<3>(ts, &p, args, n, kw)?;
    let big = big_endian(ts, "from_bytes", order)?;
    let signed = flag(ts, signed)?;
    let data = bytes::from_object(ts, data.unwrap_or(core::ptr::null_mut()))?;
    let raw = bytes::as_slice(data);
    let v = match (big, signed) {
        (true, true) => BigInt::from_signed_bytes_be(raw),
        (false, true) => BigInt::from_signed_bytes_le(raw),
        (true, false) => BigInt::from_bytes_be(Sign::Plus, raw),
        (false, false) => BigInt::from_bytes_le(Sign::Plus, raw),
    };
    // SAFETY: the bytes we made.
    unsafe { decref(data) };
    let i = long::from_bigint(ts, &v)?;
    if cls == long::long_type() as *mut PyObject {
        return Ok(i);
    }
    let r = crate::protocols::call::call_slice(ts, cls, &[i]);
    unsafe { decref(i) };
    r
}
