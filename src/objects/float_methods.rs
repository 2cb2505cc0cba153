//! The Python-visible methods of `float` (its `tp_methods`), as CPython 3.13 has them.

use super::exceptions::{exc, Exc};
use super::float;
use super::methodargs::{simple, END};
use super::object::{decref, new_ref};
use super::{bool_, long, tuple, unicode};
use crate::abi::*;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use num_bigint::BigInt;

pub static mut FLOAT_METHODS: [PyMethodDef; 5] = [
    simple(c"is_integer", float_is_integer, METH_NOARGS),
    simple(c"as_integer_ratio", float_as_integer_ratio, METH_NOARGS),
    simple(c"conjugate", float_conjugate, METH_NOARGS),
    simple(c"hex", float_hex, METH_NOARGS),
    END,
];

fn value_of(o: *mut PyObject) -> f64 {
    // SAFETY: the descriptor checked that `o` is a float.
    unsafe { float::value(o) }
}

unsafe extern "C" fn float_is_integer(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|_| {
        let v = value_of(o);
        // SAFETY: True and False are immortal.
        Ok::<_, errors::Raised>(unsafe { new_ref(bool_::from_bool(v.is_finite() && v.fract() == 0.0)) })
    })
}

unsafe extern "C" fn float_conjugate(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| float::from_f64(ts, value_of(o)))
}

unsafe extern "C" fn float_as_integer_ratio(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| as_integer_ratio(ts, value_of(o)))
}

unsafe extern "C" fn float_hex(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| unicode::from_str(ts, &hex(value_of(o))))
}

/// The mantissa and binary exponent of a finite `v`: `v == m * 2**e` exactly.
fn decompose(v: f64) -> (i64, i32) {
    let bits = v.to_bits();
    let exponent = ((bits >> 52) & 0x7FF) as i32;
    let fraction = (bits & ((1 << 52) - 1)) as i64;
    let (m, e) = if exponent == 0 { (fraction, -1074) } else { (fraction | (1 << 52), exponent - 1075) };
    (if v.is_sign_negative() { -m } else { m }, e)
}

/// `(numerator, denominator)` in lowest terms, the denominator positive.
fn as_integer_ratio(ts: Ts, v: f64) -> PyResult<*mut PyObject> {
    if v.is_nan() {
        return Err(errors::value_error(ts, "cannot convert NaN to integer ratio"));
    }
    if v.is_infinite() {
        return Err(errors::set_string(ts, exc(Exc::OverflowError), "cannot convert Infinity to integer ratio"));
    }
    let (mut m, mut e) = decompose(v);
    if m == 0 {
        e = 0;
    }
    while e < 0 && m != 0 && m % 2 == 0 {
        m /= 2;
        e += 1;
    }
    let (num, den) = if e >= 0 {
        (BigInt::from(m) << e as usize, BigInt::from(1))
    } else {
        (BigInt::from(m), BigInt::from(1) << (-e) as usize)
    };
    let num = long::from_bigint(ts, &num)?;
    let den = match long::from_bigint(ts, &den) {
        Ok(d) => d,
        Err(err) => {
            unsafe { decref(num) };
            return Err(err);
        }
    };
    let r = tuple::pack(ts, &[num, den]);
    // SAFETY: the tuple holds its own references.
    unsafe {
        decref(num);
        decref(den);
    }
    r
}

/// `float.hex()`: `[-]0x1.<13 hex digits>p<exponent>`, subnormals as `0x0.<...>p-1022`.
fn hex(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v < 0.0 { "-inf".into() } else { "inf".into() };
    }
    let sign = if v.is_sign_negative() { "-" } else { "" };
    if v == 0.0 {
        return format!("{sign}0x0.0p+0");
    }
    let bits = v.to_bits();
    let exponent = ((bits >> 52) & 0x7FF) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (lead, e) = if exponent == 0 { (0, -1022) } else { (1, exponent - 1023) };
    format!("{sign}0x{lead}.{fraction:013x}p{e:+}")
}
