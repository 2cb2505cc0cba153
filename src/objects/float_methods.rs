//! The Python-visible methods and attributes of `float` (its `tp_methods` and
//! `tp_getset`), as CPython 3.13 has them.

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

pub static mut FLOAT_METHODS: [PyMethodDef; 6] = [
    simple(c"is_integer", float_is_integer, METH_NOARGS),
    simple(c"as_integer_ratio", float_as_integer_ratio, METH_NOARGS),
    simple(c"conjugate", float_conjugate, METH_NOARGS),
    simple(c"hex", float_hex, METH_NOARGS),
    simple(c"fromhex", float_fromhex, METH_O | METH_CLASS),
    END,
];

unsafe extern "C" fn float_real(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    boundary::slot(|ts| float::from_f64(ts, value_of(o)))
}

unsafe extern "C" fn float_imag(_: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    boundary::slot(|ts| float::from_f64(ts, 0.0))
}

pub static mut FLOAT_GETSET: [PyGetSetDef; 3] = [
    super::typeobject::getset(c"real", float_real),
    super::typeobject::getset(c"imag", float_imag),
    PyGetSetDef {
        name: core::ptr::null(),
        get: None,
        set: None,
        doc: core::ptr::null(),
        closure: core::ptr::null_mut(),
    },
];

/// `float.fromhex(text)` (a class method); a subclass gets `cls(result)`.
unsafe extern "C" fn float_fromhex(cls: *mut PyObject, text: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        if !unicode::check(text) {
            return Err(errors::type_error(ts, "bad argument type for built-in operation"));
        }
        let v = match parse_hex(unicode::to_string_lossy(text).as_bytes()) {
            Ok(v) => v,
            Err(HexError::Invalid) => return Err(errors::value_error(ts, "invalid hexadecimal floating-point string")),
            Err(HexError::TooLarge) => {
                let e = exc(Exc::OverflowError);
                return Err(errors::set_string(ts, e, "hexadecimal value too large to represent as a float"));
            }
        };
        let made = float::from_f64(ts, v)?;
        if cls as *mut PyTypeObject == float::float_type() {
            return Ok(made);
        }
        let r = crate::protocols::call::call_slice(ts, cls, &[made]);
        unsafe { decref(made) };
        r
    })
}

#[derive(Debug, PartialEq)]
enum HexError {
    Invalid,
    TooLarge,
}

/// `[ws] [sign] ('inf' | 'infinity' | 'nan' | ['0x'] hexdigits ['.' hexdigits] ['p' [sign] digits]) [ws]`,
/// correctly rounded (half to even), subnormals included.
fn parse_hex(text: &[u8]) -> Result<f64, HexError> {
    let s = text.trim_ascii();
    let (negative, s) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let signed = |v: f64| if negative { -v } else { v };
    if s.eq_ignore_ascii_case(b"inf") || s.eq_ignore_ascii_case(b"infinity") {
        return Ok(signed(f64::INFINITY));
    }
    if s.eq_ignore_ascii_case(b"nan") {
        return Ok(signed(f64::NAN));
    }
    let s = if s.len() >= 2 && s[0] == b'0' && (s[1] == b'x' || s[1] == b'X') { &s[2..] } else { s };
    let hex_run = |from: usize| s[from..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
    let int_len = hex_run(0);
    let mut at = int_len;
    let mut frac_len = 0;
    if s.get(at) == Some(&b'.') {
        frac_len = hex_run(at + 1);
        at += 1 + frac_len;
    }
    if int_len + frac_len == 0 {
        return Err(HexError::Invalid);
    }
    let fraction = if frac_len > 0 { &s[int_len + 1..int_len + 1 + frac_len] } else { &[][..] };
    let digits: Vec<u8> = s[..int_len].iter().chain(fraction).copied().collect();
    let mut exponent: i64 = 0;
    if matches!(s.get(at), Some(b'p' | b'P')) {
        at += 1;
        let exp_negative = match s.get(at) {
            Some(b'-') => {
                at += 1;
                true
            }
            Some(b'+') => {
                at += 1;
                false
            }
            _ => false,
        };
        let run = s[at..].iter().take_while(|c| c.is_ascii_digit()).count();
        if run == 0 {
            return Err(HexError::Invalid);
        }
        for &d in &s[at..at + run] {
            // Saturates: far beyond any double either way.
            exponent = (exponent * 10 + i64::from(d - b'0')).min(1 << 40);
        }
        if exp_negative {
            exponent = -exponent;
        }
        at += run;
    }
    if at != s.len() {
        return Err(HexError::Invalid);
    }
    let mut mantissa = num_bigint::BigUint::parse_bytes(&digits, 16).ok_or(HexError::Invalid)?;
    let mut e = exponent - 4 * frac_len as i64;
    if mantissa == num_bigint::BigUint::from(0u32) {
        return Ok(signed(0.0));
    }
    // Drop low bits to 53 significant ones, or fewer so the exponent stays >= -1074.
    let bits = mantissa.bits() as i64;
    let shift = (bits - 53).max(-1074 - e);
    if shift > 0 {
        mantissa = round_half_even(&mantissa, shift as u64);
        e += shift;
    }
    if mantissa == num_bigint::BigUint::from(0u32) {
        return Ok(signed(0.0));
    }
    if e + mantissa.bits() as i64 > 1024 {
        return Err(HexError::TooLarge);
    }
    let mut v = num_traits::ToPrimitive::to_f64(&mantissa).ok_or(HexError::TooLarge)?;
    // Exact scaling by powers of two, in steps a double can hold.
    while e > 0 {
        let step = e.min(1000);
        v *= 2f64.powi(step as i32);
        e -= step;
    }
    while e < 0 {
        let step = (-e).min(1000);
        v /= 2f64.powi(step as i32);
        e += step;
    }
    if v.is_infinite() {
        return Err(HexError::TooLarge);
    }
    Ok(signed(v))
}

/// `m >> shift`, rounded to nearest with ties to even.
fn round_half_even(m: &num_bigint::BigUint, shift: u64) -> num_bigint::BigUint {
    let one = num_bigint::BigUint::from(1u32);
    let kept = m >> shift;
    let dropped = m - (&kept << shift);
    let half = &one << (shift - 1);
    if dropped > half || (dropped == half && kept.bit(0)) {
        kept + one
    } else {
        kept
    }
}

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

#[cfg(test)]
mod tests {
    use super::{parse_hex, HexError};

    #[test]
    fn hex_floats_round_to_nearest_even() {
        assert_eq!(parse_hex(b"0x1.8p3"), Ok(12.0));
        assert_eq!(parse_hex(b" -0X1P-2 "), Ok(-0.25));
        assert_eq!(parse_hex(b"0x.8"), Ok(0.5));
        assert_eq!(parse_hex(b"1"), Ok(1.0));
        assert_eq!(parse_hex(b"0x1.p1"), Ok(2.0));
        assert_eq!(parse_hex(b"0x1p-1074"), Ok(5e-324));
        assert_eq!(parse_hex(b"0x1p-1075"), Ok(0.0));
        assert_eq!(parse_hex(b"0x3p-1076"), Ok(5e-324));
        assert_eq!(parse_hex(b"0x1.00000000000008p0"), Ok(1.0));
        assert_eq!(parse_hex(b"0x1.000000000000080000000001p0"), Ok(1.0000000000000002));
        assert_eq!(parse_hex(b"0x1.fffffffffffffp1023"), Ok(f64::MAX));
        assert_eq!(parse_hex(b"0x1.fffffffffffff8p1023"), Err(HexError::TooLarge));
        assert_eq!(parse_hex(b"0x1p2000"), Err(HexError::TooLarge));
        assert_eq!(parse_hex(b"0x1p-99999999999"), Ok(0.0));
        assert_eq!(parse_hex(b"-inf"), Ok(f64::NEG_INFINITY));
        for bad in [&b"0x"[..], b"x", b"0x1p+", b"0x1q", b"", b"0x.p1", b"1.2.3"] {
            assert_eq!(parse_hex(bad), Err(HexError::Invalid), "{:?}", core::str::from_utf8(bad));
        }
    }
}
