//! `float`: IEEE 754 doubles.
//!
//! Arithmetic accepts ints on either side (converted exactly, or `OverflowError` when
//! they are beyond the double range); comparisons with ints are exact.

use super::long;
use super::{bool_, bytes, numtext, object, singletons, tuple, typeobject, unicode};
use crate::abi::*;
use crate::protocols::number;
use crate::protocols::object::check_result;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ffi::c_int;

static mut FLOAT_AS_NUMBER: PyNumberMethods = PyNumberMethods {
    nb_add: Some(float_add),
    nb_subtract: Some(float_subtract),
    nb_multiply: Some(float_multiply),
    nb_remainder: Some(float_remainder),
    nb_divmod: Some(float_divmod),
    nb_power: Some(float_power),
    nb_negative: Some(float_negative),
    nb_positive: Some(float_exact),
    nb_absolute: Some(float_absolute),
    nb_bool: Some(float_bool),
    nb_int: Some(float_int),
    nb_float: Some(float_exact),
    nb_floor_divide: Some(float_floor_divide),
    nb_true_divide: Some(float_true_divide),
    ..PyNumberMethods::EMPTY
};

#[no_mangle]
pub static mut PyFloat_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(float_repr),
    tp_hash: Some(float_hash),
    tp_richcompare: Some(float_richcompare),
    tp_as_number: &raw mut FLOAT_AS_NUMBER,
    tp_methods: (&raw mut super::float_methods::FLOAT_METHODS).cast(),
    tp_getset: (&raw mut super::float_methods::FLOAT_GETSET).cast(),
    tp_flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_IMMUTABLETYPE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"float", core::mem::size_of::<PyFloatObject>(), 0)
};

#[inline]
pub fn float_type() -> *mut PyTypeObject {
    &raw mut PyFloat_Type
}

pub fn check(o: *mut PyObject) -> bool {
    object::is_subtype(object::type_of(o), float_type())
}

pub fn check_exact(o: *mut PyObject) -> bool {
    object::type_of(o) == float_type()
}

pub fn from_f64(ts: Ts, v: f64) -> PyResult<*mut PyObject> {
    let o = object::alloc_fixed::<PyFloatObject>(ts, float_type())?;
    // SAFETY: fresh float object.
    unsafe { (*o).ob_fval = v };
    Ok(o as *mut PyObject)
}

/// # Safety
/// `o` is a float (or subclass) object.
#[inline]
pub unsafe fn value(o: *mut PyObject) -> f64 {
    unsafe { (*(o as *mut PyFloatObject)).ob_fval }
}

fn short(name: &str) -> &str {
    numtext::truncate_chars(name, 50)
}

/// `PyFloat_AsDouble`: a float's value, else `__float__`, else `__index__`.
pub fn as_double(ts: Ts, o: *mut PyObject) -> PyResult<f64> {
    if check(o) {
        return Ok(unsafe { value(o) });
    }
    let ty = object::type_of(o);
    let nb = unsafe { (*ty).tp_as_number };
    let nb_float = if nb.is_null() { None } else { unsafe { (*nb).nb_float } };
    let Some(nb_float) = nb_float else {
        if number::index_check(o) {
            let i = number::index_raw(ts, o)?;
            let r = long::to_f64(ts, i);
            unsafe { object::decref(i) };
            return r;
        }
        let name = short(typeobject::type_name(ty));
        return Err(errors::type_error(ts, &format!("must be real number, not {name}")));
    };
    let r = check_result(ts, unsafe { nb_float(o) }, "__float__")?;
    let v = if check(r) { Ok(unsafe { value(r) }) } else { Err(float_returned_non_float(ts, o, r)) };
    unsafe { object::decref(r) };
    v
}

/// `TypeError` for an `__float__` that returned `r`, not a float.
pub fn float_returned_non_float(ts: Ts, o: *mut PyObject, r: *mut PyObject) -> Raised {
    let (owner, got) = (typeobject::type_name(object::type_of(o)), typeobject::type_name(object::type_of(r)));
    errors::type_error(ts, &format!("{}.__float__ returned non-float (type {})", short(owner), short(got)))
}

/// `float(text)` for a str or bytes object (`PyFloat_FromString`).
pub fn from_string(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let (parsed, shown) = if unicode::check(o) {
        let text = unicode::to_string_lossy(o);
        (numtext::parse_float(&numtext::ascii_for_parsing(&text)), numtext::quote_str(&text))
    } else if bytes::check(o) {
        // SAFETY: a bytes object holds `len` bytes of data.
        let data = unsafe { core::slice::from_raw_parts(bytes::as_ptr(o), bytes::len(o) as usize) };
        (numtext::parse_float(data), numtext::quote_bytes(data))
    } else {
        let name = numtext::truncate_chars(typeobject::type_name(object::type_of(o)), 200);
        return Err(errors::type_error(
            ts,
            &format!("float() argument must be a string or a real number, not '{name}'"),
        ));
    };
    match parsed {
        Some(v) => from_f64(ts, v),
        None => Err(errors::value_error(ts, &format!("could not convert string to float: {shown}"))),
    }
}

// ---------------------------------------------------------------------------------
// Arithmetic on doubles

/// The double of a float or int operand; None for other types (NotImplemented).
fn operand(ts: Ts, o: *mut PyObject) -> PyResult<Option<f64>> {
    if check(o) {
        Ok(Some(unsafe { value(o) }))
    } else if long::check(o) {
        long::to_f64(ts, o).map(Some)
    } else {
        Ok(None)
    }
}

/// Python's `divmod` of doubles: the floor quotient and a remainder with the sign of
/// the divisor (`wx != 0`).
fn floor_div_mod(vx: f64, wx: f64) -> (f64, f64) {
    let mut rem = vx % wx;
    // vx - rem is a multiple of wx up to rounding; the quotient is snapped below.
    let mut div = (vx - rem) / wx;
    if rem != 0.0 {
        if (wx < 0.0) != (rem < 0.0) {
            rem += wx;
            div -= 1.0;
        }
    } else {
        rem = 0.0f64.copysign(wx);
    }
    let floor_div = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        0.0f64.copysign(vx / wx)
    };
    (floor_div, rem)
}

fn remainder_of(vx: f64, wx: f64) -> f64 {
    let rem = vx % wx;
    if rem == 0.0 {
        0.0f64.copysign(wx)
    } else if (wx < 0.0) != (rem < 0.0) {
        rem + wx
    } else {
        rem
    }
}

fn is_odd_integer(x: f64) -> bool {
    x.abs() % 2.0 == 1.0
}

/// `OverflowError(34, 'Numerical result out of range')`, as a C `pow` overflow
/// reports itself through `errno`.
fn range_error(ts: Ts) -> Raised {
    let code = match long::from_i64(ts, 34) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let args = unicode::from_str(ts, "Numerical result out of range").and_then(|text| {
        let t = tuple::pack(ts, &[code, text]);
        unsafe { object::decref(text) };
        t
    });
    unsafe { object::decref(code) };
    match args {
        Ok(args) => {
            let exc = super::exceptions::exc(super::exceptions::Exc::OverflowError);
            errors::set_object(ts, exc, args);
            unsafe { object::decref(args) };
            Raised
        }
        Err(e) => e,
    }
}

/// `iv ** iw` with Python's special cases, for a result that is a float.
fn power_of(ts: Ts, iv: f64, iw: f64) -> PyResult<f64> {
    if iw == 0.0 {
        return Ok(1.0);
    }
    if iv.is_nan() {
        return Ok(iv);
    }
    if iw.is_nan() {
        return Ok(if iv == 1.0 { 1.0 } else { iw });
    }
    if iw.is_infinite() {
        let magnitude = iv.abs();
        return Ok(if magnitude == 1.0 {
            1.0
        } else if (iw > 0.0) == (magnitude > 1.0) {
            f64::INFINITY
        } else {
            0.0
        });
    }
    if iv.is_infinite() {
        let odd = is_odd_integer(iw);
        return Ok(match (iw > 0.0, odd) {
            (true, true) => iv,
            (true, false) => iv.abs(),
            (false, true) => 0.0f64.copysign(iv),
            (false, false) => 0.0,
        });
    }
    if iv == 0.0 {
        if iw < 0.0 {
            return Err(errors::zero_division(ts, "0.0 cannot be raised to a negative power"));
        }
        return Ok(if is_odd_integer(iw) { iv } else { 0.0 });
    }
    let (base, negate) = if iv < 0.0 {
        // A fractional power of a negative base is complex: `power` handles it first.
        (-iv, is_odd_integer(iw))
    } else {
        (iv, false)
    };
    if base == 1.0 {
        return Ok(if negate { -1.0 } else { 1.0 });
    }
    let r = base.powf(iw);
    if r.is_infinite() {
        return Err(range_error(ts));
    }
    Ok(if negate { -r } else { r })
}

/// `v ** w` for float or int operands, as the float slot computes it (ints with a
/// negative exponent come here too).
pub fn power(ts: Ts, v: *mut PyObject, w: *mut PyObject) -> PyResult<*mut PyObject> {
    let Some(iv) = operand(ts, v)? else { return Ok(singletons::not_implemented()) };
    let Some(iw) = operand(ts, w)? else { return Ok(singletons::not_implemented()) };
    if iv < 0.0 && iv.is_finite() && iw.is_finite() && iw != iw.floor() {
        // A negative number to a fractional power is complex, as in CPython.
        return super::complex::float_power(ts, iv, iw);
    }
    from_f64(ts, power_of(ts, iv, iw)?)
}

// ---------------------------------------------------------------------------------
// Slots

fn binary_slot(a: *mut PyObject, b: *mut PyObject, op: fn(Ts, f64, f64) -> PyResult<*mut PyObject>) -> *mut PyObject {
    boundary::slot(|ts| {
        let Some(x) = operand(ts, a)? else { return Ok(singletons::not_implemented()) };
        let Some(y) = operand(ts, b)? else { return Ok(singletons::not_implemented()) };
        op(ts, x, y)
    })
}

unsafe extern "C" fn float_add(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary_slot(a, b, |ts, x, y| from_f64(ts, x + y)))
}

unsafe extern "C" fn float_subtract(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary_slot(a, b, |ts, x, y| from_f64(ts, x - y)))
}

unsafe extern "C" fn float_multiply(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary_slot(a, b, |ts, x, y| from_f64(ts, x * y)))
}

unsafe extern "C" fn float_true_divide(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| {
        binary_slot(a, b, |ts, x, y| {
            if y == 0.0 {
                return Err(errors::zero_division(ts, "float division by zero"));
            }
            from_f64(ts, x / y)
        })
    })
}

unsafe extern "C" fn float_remainder(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| {
        binary_slot(a, b, |ts, x, y| {
            if y == 0.0 {
                return Err(errors::zero_division(ts, "float modulo by zero"));
            }
            from_f64(ts, remainder_of(x, y))
        })
    })
}

unsafe extern "C" fn float_floor_divide(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| {
        binary_slot(a, b, |ts, x, y| {
            if y == 0.0 {
                return Err(errors::zero_division(ts, "float floor division by zero"));
            }
            from_f64(ts, floor_div_mod(x, y).0)
        })
    })
}

unsafe extern "C" fn float_divmod(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| {
        binary_slot(a, b, |ts, x, y| {
            if y == 0.0 {
                return Err(errors::zero_division(ts, "float divmod()"));
            }
            let (q, r) = floor_div_mod(x, y);
            let q = from_f64(ts, q)?;
            let r = match from_f64(ts, r) {
                Ok(r) => r,
                Err(e) => {
                    unsafe { object::decref(q) };
                    return Err(e);
                }
            };
            let t = tuple::pack(ts, &[q, r]);
            unsafe {
                object::decref(q);
                object::decref(r);
            }
            t
        })
    })
}

unsafe extern "C" fn float_power(a: *mut PyObject, b: *mut PyObject, m: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        if !m.is_null() && m != singletons::none() {
            return Err(errors::type_error(ts, "pow() 3rd argument not allowed unless all arguments are integers"));
        }
        power(ts, a, b)
    })
}

unsafe extern "C" fn float_negative(a: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| from_f64(ts, -unsafe { value(a) }))
}

unsafe extern "C" fn float_absolute(a: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| from_f64(ts, unsafe { value(a) }.abs()))
}

/// `+a` and `float(a)`: the value as an exact float.
unsafe extern "C" fn float_exact(a: *mut PyObject) -> *mut PyObject {
    boundary::slot(
        |ts| if check_exact(a) { Ok(unsafe { object::new_ref(a) }) } else { from_f64(ts, unsafe { value(a) }) },
    )
}

unsafe extern "C" fn float_int(a: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| long::from_f64(ts, unsafe { value(a) }))
}

unsafe extern "C" fn float_bool(a: *mut PyObject) -> c_int {
    boundary::guard(|| (unsafe { value(a) } != 0.0) as c_int)
}

unsafe extern "C" fn float_repr(a: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| unicode::from_str(ts, &numtext::float_repr(unsafe { value(a) })))
}

unsafe extern "C" fn float_hash(a: *mut PyObject) -> Py_hash_t {
    boundary::guard(|| super::hash::of_double(a as *const core::ffi::c_void, unsafe { value(a) }))
}

unsafe extern "C" fn float_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    boundary::guard(|| {
        if !check(a) {
            return singletons::not_implemented();
        }
        let x = unsafe { value(a) };
        let ordering = if check(b) {
            x.partial_cmp(&unsafe { value(b) })
        } else if long::check(b) {
            long::compare_f64_with(x, b)
        } else {
            return singletons::not_implemented();
        };
        bool_::from_bool(match ordering {
            Some(ordering) => long::ordering_satisfies(ordering, op),
            None => op == Py_NE,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_division_follows_the_divisor_sign() {
        assert_eq!(floor_div_mod(7.0, 2.0), (3.0, 1.0));
        assert_eq!(floor_div_mod(-7.0, 2.0), (-4.0, 1.0));
        assert_eq!(floor_div_mod(7.0, -2.0), (-4.0, -1.0));
        let (q, r) = floor_div_mod(-0.0, 5.0);
        assert!(q == 0.0 && q.is_sign_negative() && r == 0.0 && r.is_sign_positive());
        assert_eq!(remainder_of(-1.0, 3.0), 2.0);
        assert!(remainder_of(4.0, -2.0).is_sign_negative());
        assert_eq!(floor_div_mod(1.0, 0.1).0, 9.0);
    }
}
