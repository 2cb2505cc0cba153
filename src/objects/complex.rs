//! `complex`: pairs of doubles in CPython 3.13's layout (`PyComplexObject`, whose
//! `cval` is a `Py_complex`).
//!
//! Arithmetic takes ints and floats on either side as complex numbers with a zero
//! imaginary part, and computes as CPython 3.13 does (textbook products, Smith's
//! division, repeated squaring for small integral exponents), so results agree to
//! the bit, infinities and NaNs included. Only `==` and `!=` compare.

use super::object::{self, decref, new_ref, type_of};
use super::typeobject::type_name;
use super::{bool_, float, long, numtext, singletons, unicode};
use crate::abi::*;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ffi::c_int;

static mut COMPLEX_AS_NUMBER: PyNumberMethods = PyNumberMethods {
    nb_add: Some(complex_add),
    nb_subtract: Some(complex_subtract),
    nb_multiply: Some(complex_multiply),
    nb_power: Some(complex_power),
    nb_negative: Some(complex_negative),
    nb_positive: Some(complex_positive),
    nb_absolute: Some(complex_absolute),
    nb_bool: Some(complex_bool),
    nb_true_divide: Some(complex_true_divide),
    ..PyNumberMethods::EMPTY
};

#[no_mangle]
pub static mut PyComplex_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(complex_repr),
    tp_hash: Some(complex_hash),
    tp_richcompare: Some(complex_richcompare),
    tp_as_number: &raw mut COMPLEX_AS_NUMBER,
    tp_methods: (&raw mut super::complex_methods::COMPLEX_METHODS).cast(),
    tp_members: (&raw mut super::complex_methods::COMPLEX_MEMBERS).cast(),
    tp_new: Some(complex_new),
    tp_flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_IMMUTABLETYPE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"complex", core::mem::size_of::<PyComplexObject>(), 0)
};

#[inline]
pub fn complex_type() -> *mut PyTypeObject {
    &raw mut PyComplex_Type
}

/// `PyComplex_Check`.
pub fn check(o: *mut PyObject) -> bool {
    object::is_subtype(type_of(o), complex_type())
}

pub fn check_exact(o: *mut PyObject) -> bool {
    type_of(o) == complex_type()
}

/// The value of a complex (or subclass) object.
pub fn value(o: *mut PyObject) -> Py_complex {
    // SAFETY: callers pass complex objects.
    unsafe { (*(o as *mut PyComplexObject)).cval }
}

/// A new complex of type `ty` (a subtype's instance from the generic allocator).
pub fn new_of_type(ts: Ts, ty: *mut PyTypeObject, v: Py_complex) -> PyResult<*mut PyObject> {
    let o = if ty == complex_type() {
        object::alloc_fixed::<PyComplexObject>(ts, ty)? as *mut PyObject
    } else {
        object::alloc_object(ts, ty, 0)?
    };
    // SAFETY: a fresh complex object.
    unsafe { (*(o as *mut PyComplexObject)).cval = v };
    Ok(o)
}

pub fn from_value(ts: Ts, v: Py_complex) -> PyResult<*mut PyObject> {
    new_of_type(ts, complex_type(), v)
}

pub fn from_doubles(ts: Ts, real: f64, imag: f64) -> PyResult<*mut PyObject> {
    from_value(ts, Py_complex { real, imag })
}

// ---------------------------------------------------------------------------------
// Arithmetic on values (CPython's _Py_c_* functions)

/// Why an operation has no result: a zero divisor or base (C's `EDOM`), or one too
/// large (`ERANGE`).
#[derive(Debug, PartialEq, Eq)]
pub enum MathError {
    Domain,
    Range,
}

const ONE: Py_complex = Py_complex { real: 1.0, imag: 0.0 };

pub fn sum(a: Py_complex, b: Py_complex) -> Py_complex {
    Py_complex { real: a.real + b.real, imag: a.imag + b.imag }
}

pub fn diff(a: Py_complex, b: Py_complex) -> Py_complex {
    Py_complex { real: a.real - b.real, imag: a.imag - b.imag }
}

pub fn neg(a: Py_complex) -> Py_complex {
    Py_complex { real: -a.real, imag: -a.imag }
}

pub fn prod(a: Py_complex, b: Py_complex) -> Py_complex {
    Py_complex { real: a.real * b.real - a.imag * b.imag, imag: a.real * b.imag + a.imag * b.real }
}

/// `a / b` by Smith's method, which avoids overflow in the intermediate products.
pub fn quot(a: Py_complex, b: Py_complex) -> Result<Py_complex, MathError> {
    let (abs_real, abs_imag) = (b.real.abs(), b.imag.abs());
    if abs_real >= abs_imag {
        if abs_real == 0.0 {
            return Err(MathError::Domain);
        }
        let ratio = b.imag / b.real;
        let denom = b.real + b.imag * ratio;
        Ok(Py_complex { real: (a.real + a.imag * ratio) / denom, imag: (a.imag - a.real * ratio) / denom })
    } else if abs_imag >= abs_real {
        let ratio = b.real / b.imag;
        let denom = b.real * ratio + b.imag;
        Ok(Py_complex { real: (a.real * ratio + a.imag) / denom, imag: (a.imag * ratio - a.real) / denom })
    } else {
        // A NaN in the divisor.
        Ok(Py_complex { real: f64::NAN, imag: f64::NAN })
    }
}

/// `a ** b` through polar form.
pub fn pow(a: Py_complex, b: Py_complex) -> Result<Py_complex, MathError> {
    if b.real == 0.0 && b.imag == 0.0 {
        return Ok(ONE);
    }
    if a.real == 0.0 && a.imag == 0.0 {
        if b.imag != 0.0 || b.real < 0.0 {
            return Err(MathError::Domain);
        }
        return Ok(Py_complex { real: 0.0, imag: 0.0 });
    }
    let vabs = a.real.hypot(a.imag);
    let mut len = vabs.powf(b.real);
    let at = a.imag.atan2(a.real);
    let mut phase = at * b.real;
    if b.imag != 0.0 {
        len /= (at * b.imag).exp();
        phase += b.imag * vabs.ln();
    }
    Ok(Py_complex { real: len * phase.cos(), imag: len * phase.sin() })
}

/// `x ** n` for `n >= 0` by repeated squaring.
fn pow_unsigned(x: Py_complex, n: i64) -> Py_complex {
    let (mut r, mut p, mut mask) = (ONE, x, 1i64);
    while mask > 0 && n >= mask {
        if n & mask != 0 {
            r = prod(r, p);
        }
        mask <<= 1;
        p = prod(p, p);
    }
    r
}

fn pow_integer(x: Py_complex, n: i64) -> Result<Py_complex, MathError> {
    if n > 0 {
        Ok(pow_unsigned(x, n))
    } else {
        quot(ONE, pow_unsigned(x, -n))
    }
}

/// `a ** b` as the `**` operator computes it: small integral exponents by repeated
/// multiplication; an infinite result from finite operands is `Range`.
pub fn power_value(a: Py_complex, b: Py_complex) -> Result<Py_complex, MathError> {
    let p = if b.imag == 0.0 && b.real == b.real.floor() && b.real.abs() <= 100.0 {
        pow_integer(a, b.real as i64)?
    } else {
        pow(a, b)?
    };
    if p.real.is_infinite() || p.imag.is_infinite() {
        return Err(MathError::Range);
    }
    Ok(p)
}

/// `abs(z)`; `Range` when it overflows although both parts are finite.
pub fn abs(z: Py_complex) -> Result<f64, MathError> {
    if !z.real.is_finite() || !z.imag.is_finite() {
        if z.real.is_infinite() {
            return Ok(z.real.abs());
        }
        if z.imag.is_infinite() {
            return Ok(z.imag.abs());
        }
        return Ok(f64::NAN);
    }
    let r = z.real.hypot(z.imag);
    if r.is_finite() {
        Ok(r)
    } else {
        Err(MathError::Range)
    }
}

// ---------------------------------------------------------------------------------
// Text

/// A part as `repr` writes it: the float's repr without a trailing `.0`, and with
/// `sign` a leading `+` for non-negative values (NaN is always `+nan`).
fn part_text(v: f64, sign: bool) -> String {
    let mut text = if v.is_nan() { "nan".to_string() } else { numtext::float_repr(v) };
    if let Some(whole) = text.strip_suffix(".0") {
        text = whole.to_string();
    }
    if sign && !text.starts_with('-') {
        text.insert(0, '+');
    }
    text
}

/// `repr(z)` (and `str(z)`): `1j` when the real part is +0, else `(1+2j)`.
pub fn repr_text(z: Py_complex) -> String {
    if z.real == 0.0 && z.real.is_sign_positive() {
        format!("{}j", part_text(z.imag, false))
    } else {
        format!("({}{}j)", part_text(z.real, false), part_text(z.imag, true))
    }
}

/// The number at the start of `s` as `float()` reads one (sign, digits, a point, an
/// exponent; or inf, infinity, nan): its length.
fn number_prefix(s: &[u8]) -> usize {
    let mut i = 0;
    if matches!(s.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    for word in [&b"infinity"[..], b"inf", b"nan"] {
        if s.len() >= i + word.len() && s[i..i + word.len()].eq_ignore_ascii_case(word) {
            return i + word.len();
        }
    }
    let digits = |mut j: usize| {
        while j < s.len() && s[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    let int_end = digits(i);
    let mut end = int_end;
    let mut any = int_end > i;
    if end < s.len() && s[end] == b'.' {
        let frac_end = digits(end + 1);
        any |= frac_end > end + 1;
        end = frac_end;
    }
    if !any {
        return 0;
    }
    if end < s.len() && (s[end] == b'e' || s[end] == b'E') {
        let mut j = end + 1;
        if matches!(s.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let exp_end = digits(j);
        if exp_end > j {
            end = exp_end;
        }
    }
    end
}

/// `complex(text)`: `[ws] ['('] [ws] (real | imag'j' | real ('+'|'-') imag'j') [ws] [')'] [ws]`,
/// where an imaginary coefficient may be left out (`j`, `-j`, `1+j`). Underscores are
/// already gone (`without_underscores`).
pub fn parse(text: &[u8]) -> Option<Py_complex> {
    let trim = |s: &[u8]| -> Vec<u8> { s.trim_ascii().to_vec() };
    let mut s = trim(text);
    if s.first() == Some(&b'(') {
        if s.last() != Some(&b')') {
            return None;
        }
        s = trim(&s[1..s.len() - 1]);
    }
    let float_of = |t: &[u8]| numtext::parse_float(t);
    let is_j = |c: Option<&u8>| matches!(c, Some(b'j' | b'J'));
    let first = number_prefix(&s);
    if first == 0 {
        // A bare `j`, `+j`, `-j`.
        return match s.as_slice() {
            [j] if is_j(Some(j)) => Some(Py_complex { real: 0.0, imag: 1.0 }),
            [b'+', j] if is_j(Some(j)) => Some(Py_complex { real: 0.0, imag: 1.0 }),
            [b'-', j] if is_j(Some(j)) => Some(Py_complex { real: 0.0, imag: -1.0 }),
            _ => None,
        };
    }
    let x = float_of(&s[..first])?;
    let rest = &s[first..];
    if rest.is_empty() {
        return Some(Py_complex { real: x, imag: 0.0 });
    }
    if is_j(rest.first()) && rest.len() == 1 {
        return Some(Py_complex { real: 0.0, imag: x });
    }
    if !matches!(rest[0], b'+' | b'-') {
        return None;
    }
    let second = number_prefix(rest);
    let y = if second == 0 {
        // `1+j`: a sign and no digits.
        if rest.len() == 2 && is_j(rest.get(1)) {
            if rest[0] == b'-' {
                -1.0
            } else {
                1.0
            }
        } else {
            return None;
        }
    } else {
        if !(rest.len() == second + 1 && is_j(rest.get(second))) {
            return None;
        }
        float_of(&rest[..second])?
    };
    Some(Py_complex { real: x, imag: y })
}

/// The text without its underscores, each of which must stand between two digits
/// (PEP 515); None when one does not.
fn without_underscores(text: &[u8]) -> Option<Vec<u8>> {
    let digit = |i: Option<&u8>| i.is_some_and(u8::is_ascii_digit);
    let mut out = Vec::with_capacity(text.len());
    for (i, &c) in text.iter().enumerate() {
        if c != b'_' {
            out.push(c);
        } else if !(i > 0 && digit(text.get(i - 1)) && digit(text.get(i + 1))) {
            return None;
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------------
// Conversions

/// The value of `o` through its `__complex__`, when its type has one.
fn via_dunder(ts: Ts, o: *mut PyObject) -> PyResult<Option<Py_complex>> {
    let Some(f) = super::slotdispatch::lookup_bound(ts, o, "__complex__")? else { return Ok(None) };
    let r = crate::protocols::call::call_slice(ts, f, &[]);
    unsafe { decref(f) };
    let r = r?;
    let v = if check(r) {
        Ok(Some(value(r)))
    } else {
        let name = type_name(type_of(r));
        Err(errors::type_error(ts, &format!("__complex__ returned non-complex (type {name})")))
    };
    unsafe { decref(r) };
    v
}

/// `PyComplex_AsCComplex`: a complex's value, else `__complex__`, else the float
/// value of `o` with a zero imaginary part.
pub fn as_value(ts: Ts, o: *mut PyObject) -> PyResult<Py_complex> {
    if check(o) {
        return Ok(value(o));
    }
    if let Some(v) = via_dunder(ts, o)? {
        return Ok(v);
    }
    Ok(Py_complex { real: float::as_double(ts, o)?, imag: 0.0 })
}

/// The value of an operand of arithmetic: complex, float or int; None otherwise.
fn operand(ts: Ts, o: *mut PyObject) -> PyResult<Option<Py_complex>> {
    if check(o) {
        Ok(Some(value(o)))
    } else if float::check(o) {
        Ok(Some(Py_complex { real: unsafe { float::value(o) }, imag: 0.0 }))
    } else if long::check(o) {
        Ok(Some(Py_complex { real: long::to_f64(ts, o)?, imag: 0.0 }))
    } else {
        Ok(None)
    }
}

/// What `complex(real, imag)` takes a number argument to be: its value, and whether
/// it was complex (so its imaginary part counts). Only the first argument's
/// `__complex__` is used, as in CPython.
fn number_arg(
    ts: Ts,
    o: *mut PyObject,
    use_dunder: bool,
    refused: impl FnOnce(&str) -> String,
) -> PyResult<(Py_complex, bool)> {
    if check(o) {
        return Ok((value(o), true));
    }
    if use_dunder {
        if let Some(v) = via_dunder(ts, o)? {
            return Ok((v, true));
        }
    }
    // SAFETY: a live type; its number table is static or the type's own.
    let nb = unsafe { (*type_of(o)).tp_as_number };
    let is_number = !nb.is_null() && unsafe { (*nb).nb_float.is_some() || (*nb).nb_index.is_some() };
    if !is_number {
        return Err(errors::type_error(ts, &refused(type_name(type_of(o)))));
    }
    Ok((Py_complex { real: float::as_double(ts, o)?, imag: 0.0 }, false))
}

/// `complex.__new__(ty, real=0, imag=0)`: a string is parsed; numbers give
/// `real + imag*1j`, each part's own imaginary part included.
fn new(ts: Ts, ty: *mut PyTypeObject, args: *mut PyObject, kwds: *mut PyObject) -> PyResult<*mut PyObject> {
    use super::methodargs::{bind_tuple_dict, Params};
    let p = Params { function: "complex", names: &["real", "imag"], required: 0, positional: 2, keyword_from: 0 };
    let [real, imag] = bind_tuple_dict::<2>(ts, &p, args, kwds)?;
    if let Some(real) = real {
        if imag.is_none() && check_exact(real) && ty == complex_type() {
            return Ok(unsafe { new_ref(real) });
        }
        if unicode::check(real) {
            if imag.is_some() {
                return Err(errors::type_error(ts, "complex() can't take second arg if first is a string"));
            }
            let text = unicode::to_string_lossy(real);
            let ascii = numtext::ascii_for_parsing(&text);
            let Some(ascii) = without_underscores(&ascii) else {
                let shown = numtext::quote_str(&text);
                return Err(errors::value_error(ts, &format!("could not convert string to complex: {shown}")));
            };
            return match parse(&ascii) {
                Some(v) => new_of_type(ts, ty, v),
                None => Err(errors::value_error(ts, "complex() arg is a malformed string")),
            };
        }
    }
    if imag.is_some_and(unicode::check) {
        return Err(errors::type_error(ts, "complex() second arg can't be a string"));
    }
    let (mut cr, cr_complex) = match real {
        None => (Py_complex { real: 0.0, imag: 0.0 }, false),
        Some(r) => {
            number_arg(ts, r, true, |n| format!("complex() first argument must be a string or a number, not '{n}'"))?
        }
    };
    let Some(imag) = imag else {
        return new_of_type(ts, ty, cr);
    };
    let (ci, ci_complex) =
        number_arg(ts, imag, false, |n| format!("complex() second argument must be a number, not '{n}'"))?;
    let mut imag_part = ci.real;
    if ci_complex {
        cr.real -= ci.imag;
    }
    if cr_complex {
        imag_part += cr.imag;
    }
    new_of_type(ts, ty, Py_complex { real: cr.real, imag: imag_part })
}

// ---------------------------------------------------------------------------------
// Slots

fn raise(ts: Ts, e: MathError, domain: &str, range: &str) -> Raised {
    match e {
        MathError::Domain => errors::zero_division(ts, domain),
        MathError::Range => errors::overflow_error(ts, range),
    }
}

/// A binary operation on two operands taken as complex numbers; `NotImplemented`
/// when either is not a number complex arithmetic takes.
fn binary(
    ts: Ts,
    a: *mut PyObject,
    b: *mut PyObject,
    op: fn(Ts, Py_complex, Py_complex) -> PyResult<*mut PyObject>,
) -> PyResult<*mut PyObject> {
    let Some(x) = operand(ts, a)? else { return Ok(unsafe { new_ref(singletons::not_implemented()) }) };
    let Some(y) = operand(ts, b)? else { return Ok(unsafe { new_ref(singletons::not_implemented()) }) };
    op(ts, x, y)
}

unsafe extern "C" fn complex_add(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| binary(ts, a, b, |ts, x, y| from_value(ts, sum(x, y))))
}

unsafe extern "C" fn complex_subtract(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| binary(ts, a, b, |ts, x, y| from_value(ts, diff(x, y))))
}

unsafe extern "C" fn complex_multiply(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| binary(ts, a, b, |ts, x, y| from_value(ts, prod(x, y))))
}

unsafe extern "C" fn complex_true_divide(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        binary(ts, a, b, |ts, x, y| match quot(x, y) {
            Ok(v) => from_value(ts, v),
            Err(e) => Err(raise(ts, e, "complex division by zero", "complex division")),
        })
    })
}

unsafe extern "C" fn complex_power(a: *mut PyObject, b: *mut PyObject, m: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        if !m.is_null() && m != singletons::none() {
            return Err(errors::value_error(ts, "complex modulo"));
        }
        binary(ts, a, b, |ts, x, y| match power_value(x, y) {
            Ok(v) => from_value(ts, v),
            Err(e) => Err(raise(ts, e, "0.0 to a negative or complex power", "complex exponentiation")),
        })
    })
}

/// `x ** y` for a float base a float exponent cannot raise (a negative base and a
/// fractional exponent): the complex result, as CPython's float power gives it.
pub fn float_power(ts: Ts, x: f64, y: f64) -> PyResult<*mut PyObject> {
    match power_value(Py_complex { real: x, imag: 0.0 }, Py_complex { real: y, imag: 0.0 }) {
        Ok(v) => from_value(ts, v),
        Err(e) => Err(raise(ts, e, "0.0 to a negative or complex power", "complex exponentiation")),
    }
}

unsafe extern "C" fn complex_negative(a: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| from_value(ts, neg(value(a))))
}

/// `+z`: the value as an exact complex.
unsafe extern "C" fn complex_positive(a: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| if check_exact(a) { Ok(unsafe { new_ref(a) }) } else { from_value(ts, value(a)) })
}

unsafe extern "C" fn complex_absolute(a: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| match abs(value(a)) {
        Ok(v) => float::from_f64(ts, v),
        Err(_) => Err(errors::overflow_error(ts, "absolute value too large")),
    })
}

unsafe extern "C" fn complex_bool(a: *mut PyObject) -> c_int {
    boundary::guard(|| {
        let v = value(a);
        (v.real != 0.0 || v.imag != 0.0) as c_int
    })
}

unsafe extern "C" fn complex_repr(a: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| unicode::from_str(ts, &repr_text(value(a))))
}

/// The hash of the real part plus 1000003 times the hash of the imaginary part, so
/// a complex equal to an int or float hashes as it does.
pub fn hash(o: *mut PyObject) -> Py_hash_t {
    let v = value(o);
    let inst = o as *const core::ffi::c_void;
    let real = super::hash::of_double(inst, v.real) as u64;
    let imag = super::hash::of_double(inst, v.imag) as u64;
    let combined = real.wrapping_add(1_000_003u64.wrapping_mul(imag)) as i64;
    if combined == -1 {
        -2
    } else {
        combined as Py_hash_t
    }
}

unsafe extern "C" fn complex_hash(a: *mut PyObject) -> Py_hash_t {
    boundary::guard(|| hash(a))
}

fn richcompare(ts: Ts, a: *mut PyObject, b: *mut PyObject, op: c_int) -> PyResult<*mut PyObject> {
    if (op != Py_EQ && op != Py_NE) || !check(a) {
        return Ok(unsafe { new_ref(singletons::not_implemented()) });
    }
    let x = value(a);
    let equal = if long::check(b) {
        if x.imag != 0.0 {
            false
        } else {
            // The exact comparison of a float with an int.
            let real = float::from_f64(ts, x.real)?;
            let r = crate::protocols::object::richcompare(ts, real, b, op);
            unsafe { decref(real) };
            return r;
        }
    } else if float::check(b) {
        x.real == unsafe { float::value(b) } && x.imag == 0.0
    } else if check(b) {
        let y = value(b);
        x.real == y.real && x.imag == y.imag
    } else {
        return Ok(unsafe { new_ref(singletons::not_implemented()) });
    };
    Ok(unsafe { new_ref(bool_::from_bool(equal == (op == Py_EQ))) })
}

unsafe extern "C" fn complex_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    boundary::slot(|ts| richcompare(ts, a, b, op))
}

unsafe extern "C" fn complex_new(ty: *mut PyTypeObject, args: *mut PyObject, kwds: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| new(ts, ty, args, kwds))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(real: f64, imag: f64) -> Py_complex {
        Py_complex { real, imag }
    }

    #[test]
    fn repr_as_cpython_writes_it() {
        assert_eq!(repr_text(c(0.0, 1.0)), "1j");
        assert_eq!(repr_text(c(1.0, 2.0)), "(1+2j)");
        assert_eq!(repr_text(c(-0.0, 0.0)), "(-0+0j)");
        assert_eq!(repr_text(c(0.0, -0.0)), "-0j");
        assert_eq!(repr_text(c(f64::INFINITY, -f64::INFINITY)), "(inf-infj)");
        assert_eq!(repr_text(c(1.0, -f64::NAN)), "(1+nanj)");
        assert_eq!(repr_text(c(1e16, 1.5)), "(1e+16+1.5j)");
        assert_eq!(repr_text(c(0.1, 1e-7)), "(0.1+1e-07j)");
    }

    #[test]
    fn parses_the_literal_forms() {
        assert_eq!(parse(b" ( 1+2j ) "), Some(c(1.0, 2.0)));
        assert_eq!(parse(b"1e3-2.5J"), Some(c(1000.0, -2.5)));
        assert_eq!(parse(b"-j"), Some(c(0.0, -1.0)));
        assert_eq!(parse(b"1+j"), Some(c(1.0, 1.0)));
        assert_eq!(without_underscores(b"1_000+2_0j").as_deref(), Some(&b"1000+20j"[..]));
        assert_eq!(without_underscores(b"1__0"), None);
        assert_eq!(without_underscores(b"_1"), None);
        assert_eq!(parse(b"+1.5e-3"), Some(c(0.0015, 0.0)));
        assert_eq!(parse(b"(1)"), Some(c(1.0, 0.0)));
        assert_eq!(parse(b"3j"), Some(c(0.0, 3.0)));
        let special = parse(b"inf+nanj").unwrap();
        assert!(special.real.is_infinite() && special.imag.is_nan());
        for bad in [&b""[..], b"1+2j)", b"j1", b"1+", b"()", b"x", b"1__0", b"1+2", b"1j+2", b"1_0"] {
            assert_eq!(parse(bad), None, "{:?}", core::str::from_utf8(bad));
        }
    }

    #[test]
    fn arithmetic_follows_cpython() {
        assert_eq!(quot(c(2.0, 3.0), c(0.0, 2.0)), Ok(c(1.5, -1.0)));
        assert_eq!(quot(c(1.0, 0.0), c(0.0, 0.0)), Err(MathError::Domain));
        assert_eq!(power_value(c(1.0, 2.0), c(3.0, 0.0)), Ok(c(-11.0, -2.0)));
        assert_eq!(power_value(c(1.0, 2.0), c(-2.0, 0.0)), Ok(c(-0.12, -0.16)));
        assert_eq!(power_value(c(0.0, 0.0), c(-1.0, 0.0)), Err(MathError::Domain));
        assert_eq!(power_value(c(10.0, 0.0), c(1000.5, 0.0)), Err(MathError::Range));
        let squared = power_value(c(1e200, 1e200), c(2.0, 0.0)).unwrap();
        assert!(squared.real.is_nan() && squared.imag.is_nan());
        assert_eq!(abs(c(3.0, 4.0)), Ok(5.0));
        assert_eq!(abs(c(1e308, 1e308)), Ok(1.4142135623730951e308));
        assert_eq!(abs(c(f64::MAX, f64::MAX)), Err(MathError::Range));
    }
}
