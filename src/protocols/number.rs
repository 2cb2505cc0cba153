//! The number protocol: binary and unary arithmetic through `tp_as_number` slots.
//!
//! A binary operator tries the left operand's slot, then the right operand's when the
//! types differ; a right operand whose type derives from the left one's goes first.
//! A slot declines with `NotImplemented`. `+` and `*` fall back to the sequence
//! protocol (concatenation, repetition) when no number slot accepts the operands.

use crate::abi::*;
use crate::objects::numtext::truncate_chars;
use crate::objects::object::{self, decref, new_ref, type_of};
use crate::objects::typeobject::type_name;
use crate::objects::{bytes, exceptions, float, long, singletons, unicode};
use crate::protocols::object::check_result;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;

/// The binary operators, with their slots and the names their errors show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Subtract,
    Multiply,
    MatrixMultiply,
    TrueDivide,
    FloorDivide,
    Remainder,
    Divmod,
    Lshift,
    Rshift,
    And,
    Xor,
    Or,
}

impl BinOp {
    fn slot(self, nb: &PyNumberMethods) -> binaryfunc {
        match self {
            BinOp::Add => nb.nb_add,
            BinOp::Subtract => nb.nb_subtract,
            BinOp::Multiply => nb.nb_multiply,
            BinOp::MatrixMultiply => nb.nb_matrix_multiply,
            BinOp::TrueDivide => nb.nb_true_divide,
            BinOp::FloorDivide => nb.nb_floor_divide,
            BinOp::Remainder => nb.nb_remainder,
            BinOp::Divmod => nb.nb_divmod,
            BinOp::Lshift => nb.nb_lshift,
            BinOp::Rshift => nb.nb_rshift,
            BinOp::And => nb.nb_and,
            BinOp::Xor => nb.nb_xor,
            BinOp::Or => nb.nb_or,
        }
    }

    fn inplace_slot(self, nb: &PyNumberMethods) -> binaryfunc {
        match self {
            BinOp::Add => nb.nb_inplace_add,
            BinOp::Subtract => nb.nb_inplace_subtract,
            BinOp::Multiply => nb.nb_inplace_multiply,
            BinOp::MatrixMultiply => nb.nb_inplace_matrix_multiply,
            BinOp::TrueDivide => nb.nb_inplace_true_divide,
            BinOp::FloorDivide => nb.nb_inplace_floor_divide,
            BinOp::Remainder => nb.nb_inplace_remainder,
            BinOp::Divmod => None,
            BinOp::Lshift => nb.nb_inplace_lshift,
            BinOp::Rshift => nb.nb_inplace_rshift,
            BinOp::And => nb.nb_inplace_and,
            BinOp::Xor => nb.nb_inplace_xor,
            BinOp::Or => nb.nb_inplace_or,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Subtract => "-",
            BinOp::Multiply => "*",
            BinOp::MatrixMultiply => "@",
            BinOp::TrueDivide => "/",
            BinOp::FloorDivide => "//",
            BinOp::Remainder => "%",
            BinOp::Divmod => "divmod()",
            BinOp::Lshift => "<<",
            BinOp::Rshift => ">>",
            BinOp::And => "&",
            BinOp::Xor => "^",
            BinOp::Or => "|",
        }
    }

    fn inplace_symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+=",
            BinOp::Subtract => "-=",
            BinOp::Multiply => "*=",
            BinOp::MatrixMultiply => "@=",
            BinOp::TrueDivide => "/=",
            BinOp::FloorDivide => "//=",
            BinOp::Remainder => "%=",
            BinOp::Divmod => "divmod()",
            BinOp::Lshift => "<<=",
            BinOp::Rshift => ">>=",
            BinOp::And => "&=",
            BinOp::Xor => "^=",
            BinOp::Or => "|=",
        }
    }
}

/// The unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Negative,
    Positive,
    Absolute,
    Invert,
}

fn number_methods<'a>(o: *mut PyObject) -> Option<&'a PyNumberMethods> {
    // SAFETY: live objects have live types; a non-null table lives as long as its type.
    unsafe {
        let nb = (*type_of(o)).tp_as_number;
        if nb.is_null() {
            None
        } else {
            Some(&*nb)
        }
    }
}

fn sequence_methods<'a>(o: *mut PyObject) -> Option<&'a PySequenceMethods> {
    // SAFETY: as for `number_methods`.
    unsafe {
        let sq = (*type_of(o)).tp_as_sequence;
        if sq.is_null() {
            None
        } else {
            Some(&*sq)
        }
    }
}

/// Whether two optional slots are the same function (compared by address).
fn same_binary(a: Option<BinarySlot>, b: Option<BinarySlot>) -> bool {
    a.map(|f| f as usize) == b.map(|f| f as usize)
}

fn same_ternary(a: Option<TernarySlot>, b: Option<TernarySlot>) -> bool {
    a.map(|f| f as usize) == b.map(|f| f as usize)
}

/// Checks a slot's result: `Ok(None)` when it declined with `NotImplemented`.
fn accepted(ts: Ts, r: *mut PyObject, what: &str) -> PyResult<Option<*mut PyObject>> {
    let r = check_result(ts, r, what)?;
    if r == singletons::not_implemented() {
        unsafe { decref(r) };
        return Ok(None);
    }
    Ok(Some(r))
}

type BinarySlot = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;

fn call_binary(ts: Ts, f: BinarySlot, v: *mut PyObject, w: *mut PyObject) -> PyResult<Option<*mut PyObject>> {
    accepted(ts, unsafe { f(v, w) }, "number slot")
}

/// CPython's `binary_op1`: the operator's slots on both types, in dispatch order;
/// `Ok(None)` when both decline.
pub(crate) fn binary_op1(ts: Ts, op: BinOp, v: *mut PyObject, w: *mut PyObject) -> PyResult<Option<*mut PyObject>> {
    let slot_v = number_methods(v).and_then(|nb| op.slot(nb));
    let mut slot_w = if type_of(v) != type_of(w) { number_methods(w).and_then(|nb| op.slot(nb)) } else { None };
    if same_binary(slot_v, slot_w) {
        slot_w = None;
    }
    if let Some(fv) = slot_v {
        if let Some(fw) = slot_w {
            if object::is_subtype(type_of(w), type_of(v)) {
                if let Some(r) = call_binary(ts, fw, v, w)? {
                    return Ok(Some(r));
                }
                slot_w = None;
            }
        }
        if let Some(r) = call_binary(ts, fv, v, w)? {
            return Ok(Some(r));
        }
    }
    match slot_w {
        Some(fw) => call_binary(ts, fw, v, w),
        None => Ok(None),
    }
}

fn operand_type_error(ts: Ts, symbol: &str, v: *mut PyObject, w: *mut PyObject) -> Raised {
    let (a, b) = (truncate_chars(type_name(type_of(v)), 100), truncate_chars(type_name(type_of(w)), 100));
    errors::type_error(ts, &format!("unsupported operand type(s) for {symbol}: '{a}' and '{b}'"))
}

/// `v op w` for two exact ints of machine size, when the result fits too: exact
/// `int` cannot be subclassed into different behaviour, so the slot dispatch can be
/// skipped without changing the outcome.
fn small_int_fast_path(op: BinOp, v: *mut PyObject, w: *mut PyObject) -> Option<i64> {
    let (a, b) = (long::exact_small_value(v)?, long::exact_small_value(w)?);
    match op {
        BinOp::Add => a.checked_add(b),
        BinOp::Subtract => a.checked_sub(b),
        BinOp::Multiply => a.checked_mul(b),
        BinOp::And => Some(a & b),
        BinOp::Or => Some(a | b),
        BinOp::Xor => Some(a ^ b),
        _ => None,
    }
}

/// `v op w` (`PyNumber_Add` and its siblings).
pub fn binary(ts: Ts, op: BinOp, v: *mut PyObject, w: *mut PyObject) -> PyResult<*mut PyObject> {
    if let Some(r) = small_int_fast_path(op, v, w) {
        return long::from_i64(ts, r);
    }
    if let Some(r) = binary_op1(ts, op, v, w)? {
        return Ok(r);
    }
    match op {
        BinOp::Add => {
            if let Some(concat) = sequence_methods(v).and_then(|sq| sq.sq_concat) {
                return check_result(ts, unsafe { concat(v, w) }, "sq_concat");
            }
        }
        BinOp::Multiply => {
            if let Some(repeat) = sequence_methods(v).and_then(|sq| sq.sq_repeat) {
                return sequence_repeat(ts, repeat, v, w);
            }
            if let Some(repeat) = sequence_methods(w).and_then(|sq| sq.sq_repeat) {
                return sequence_repeat(ts, repeat, w, v);
            }
        }
        _ => {}
    }
    Err(operand_type_error(ts, op.symbol(), v, w))
}

/// CPython's `binary_iop1`: the in-place slot of `v`, then both plain slots;
/// `Ok(None)` when all decline.
pub(crate) fn inplace_op1(ts: Ts, op: BinOp, v: *mut PyObject, w: *mut PyObject) -> PyResult<Option<*mut PyObject>> {
    if let Some(f) = number_methods(v).and_then(|nb| op.inplace_slot(nb)) {
        if let Some(r) = call_binary(ts, f, v, w)? {
            return Ok(Some(r));
        }
    }
    binary_op1(ts, op, v, w)
}

/// `v op= w`: the in-place slot of `v` first, then the plain operator.
pub fn inplace(ts: Ts, op: BinOp, v: *mut PyObject, w: *mut PyObject) -> PyResult<*mut PyObject> {
    if let Some(f) = number_methods(v).and_then(|nb| op.inplace_slot(nb)) {
        if let Some(r) = call_binary(ts, f, v, w)? {
            return Ok(r);
        }
    }
    if let Some(r) = binary_op1(ts, op, v, w)? {
        return Ok(r);
    }
    match op {
        BinOp::Add => {
            if let Some(sq) = sequence_methods(v) {
                if let Some(concat) = sq.sq_inplace_concat.or(sq.sq_concat) {
                    return check_result(ts, unsafe { concat(v, w) }, "sq_concat");
                }
            }
        }
        BinOp::Multiply => {
            if let Some(sq) = sequence_methods(v) {
                if let Some(repeat) = sq.sq_inplace_repeat.or(sq.sq_repeat) {
                    return sequence_repeat(ts, repeat, v, w);
                }
            } else if let Some(repeat) = sequence_methods(w).and_then(|sq| sq.sq_repeat) {
                // The right operand is not modified in place.
                return sequence_repeat(ts, repeat, w, v);
            }
        }
        _ => {}
    }
    Err(operand_type_error(ts, op.inplace_symbol(), v, w))
}

type RepeatSlot = unsafe extern "C" fn(*mut PyObject, Py_ssize_t) -> *mut PyObject;

fn sequence_repeat(ts: Ts, repeat: RepeatSlot, seq: *mut PyObject, n: *mut PyObject) -> PyResult<*mut PyObject> {
    if !index_check(n) {
        let name = truncate_chars(type_name(type_of(n)), 200);
        return Err(errors::type_error(ts, &format!("can't multiply sequence by non-int of type '{name}'")));
    }
    let count = as_ssize_t(ts, n, Some(exceptions::exc(exceptions::Exc::OverflowError)))?;
    check_result(ts, unsafe { repeat(seq, count) }, "sq_repeat")
}

type TernarySlot = unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject;

fn power_slot(o: *mut PyObject) -> Option<TernarySlot> {
    number_methods(o).and_then(|nb| nb.nb_power)
}

fn call_power(
    ts: Ts,
    f: TernarySlot,
    v: *mut PyObject,
    w: *mut PyObject,
    z: *mut PyObject,
) -> PyResult<Option<*mut PyObject>> {
    accepted(ts, unsafe { f(v, w, z) }, "nb_power")
}

/// `pow(v, w, z)` (`z` is `None` for two arguments); `symbol` names the operator in
/// the error.
fn ternary(ts: Ts, v: *mut PyObject, w: *mut PyObject, z: *mut PyObject, symbol: &str) -> PyResult<*mut PyObject> {
    let slot_v = power_slot(v);
    let mut slot_w = if type_of(v) != type_of(w) { power_slot(w) } else { None };
    if same_ternary(slot_v, slot_w) {
        slot_w = None;
    }
    if let Some(fv) = slot_v {
        if let Some(fw) = slot_w {
            if object::is_subtype(type_of(w), type_of(v)) {
                if let Some(r) = call_power(ts, fw, v, w, z)? {
                    return Ok(r);
                }
                slot_w = None;
            }
        }
        if let Some(r) = call_power(ts, fv, v, w, z)? {
            return Ok(r);
        }
    }
    if let Some(fw) = slot_w {
        if let Some(r) = call_power(ts, fw, v, w, z)? {
            return Ok(r);
        }
    }
    if z != singletons::none() {
        let slot_z = power_slot(z);
        if !same_ternary(slot_z, slot_v) && !same_ternary(slot_z, slot_w) {
            if let Some(fz) = slot_z {
                if let Some(r) = call_power(ts, fz, v, w, z)? {
                    return Ok(r);
                }
            }
        }
        let names = [v, w, z].map(|o| truncate_chars(type_name(type_of(o)), 100));
        return Err(errors::type_error(
            ts,
            &format!("unsupported operand type(s) for {symbol}: '{}', '{}', '{}'", names[0], names[1], names[2]),
        ));
    }
    Err(operand_type_error(ts, symbol, v, w))
}

/// `pow(v, w, z)`; `z` may be null or `None` for the two-argument form.
pub fn power(ts: Ts, v: *mut PyObject, w: *mut PyObject, z: *mut PyObject) -> PyResult<*mut PyObject> {
    let z = if z.is_null() { singletons::none() } else { z };
    ternary(ts, v, w, z, "** or pow()")
}

/// `v **= w` (with an optional modulus).
pub fn inplace_power(ts: Ts, v: *mut PyObject, w: *mut PyObject, z: *mut PyObject) -> PyResult<*mut PyObject> {
    let z = if z.is_null() { singletons::none() } else { z };
    if let Some(f) = number_methods(v).and_then(|nb| nb.nb_inplace_power) {
        if let Some(r) = call_power(ts, f, v, w, z)? {
            return Ok(r);
        }
    }
    ternary(ts, v, w, z, "**=")
}

/// `-o`, `+o`, `abs(o)`, `~o`.
pub fn unary(ts: Ts, op: UnaryOp, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let slot = number_methods(o).and_then(|nb| match op {
        UnaryOp::Negative => nb.nb_negative,
        UnaryOp::Positive => nb.nb_positive,
        UnaryOp::Absolute => nb.nb_absolute,
        UnaryOp::Invert => nb.nb_invert,
    });
    if let Some(f) = slot {
        return check_result(ts, unsafe { f(o) }, "unary number slot");
    }
    let what = match op {
        UnaryOp::Negative => "unary -",
        UnaryOp::Positive => "unary +",
        UnaryOp::Absolute => "abs()",
        UnaryOp::Invert => "unary ~",
    };
    let name = truncate_chars(type_name(type_of(o)), 200);
    Err(errors::type_error(ts, &format!("bad operand type for {what}: '{name}'")))
}

/// `PyIndex_Check`: whether `o` has `__index__`.
pub fn index_check(o: *mut PyObject) -> bool {
    number_methods(o).is_some_and(|nb| nb.nb_index.is_some())
}

/// `PyNumber_Check`: whether `o` converts to a number.
pub fn number_check(o: *mut PyObject) -> bool {
    number_methods(o).is_some_and(|nb| nb.nb_index.is_some() || nb.nb_int.is_some() || nb.nb_float.is_some())
}

fn non_int_result(ts: Ts, method: &str, r: *mut PyObject) -> Raised {
    let name = truncate_chars(type_name(type_of(r)), 200);
    let raised = errors::type_error(ts, &format!("{method} returned non-int (type {name})"));
    unsafe { decref(r) };
    raised
}

/// `o.__index__()` as an int, possibly of a subclass (CPython's `_PyNumber_Index`).
pub fn index_raw(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if long::check(o) {
        return Ok(unsafe { new_ref(o) });
    }
    let Some(f) = number_methods(o).and_then(|nb| nb.nb_index) else {
        let name = truncate_chars(type_name(type_of(o)), 200);
        return Err(errors::type_error(ts, &format!("'{name}' object cannot be interpreted as an integer")));
    };
    let r = check_result(ts, unsafe { f(o) }, "__index__")?;
    if !long::check(r) {
        return Err(non_int_result(ts, "__index__", r));
    }
    Ok(r)
}

/// Replaces an int of a subclass by an exact int of the same value.
fn into_exact_int(ts: Ts, i: *mut PyObject) -> PyResult<*mut PyObject> {
    if long::check_exact(i) {
        return Ok(i);
    }
    let exact = long::exact_copy(ts, i);
    unsafe { decref(i) };
    exact
}

/// `PyNumber_Index`: `o.__index__()` as an exact int.
pub fn index(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    into_exact_int(ts, index_raw(ts, o)?)
}

/// `PyNumber_AsSsize_t`: `o.__index__()` as a `Py_ssize_t`. On overflow `exc` is raised,
/// or without `exc` the value is clamped.
pub fn as_ssize_t(ts: Ts, o: *mut PyObject, exc: Option<*mut PyTypeObject>) -> PyResult<isize> {
    let i = index_raw(ts, o)?;
    let small = unsafe { long::small_value(i) };
    let negative = long::is_negative(i);
    unsafe { decref(i) };
    match (small, exc) {
        (Some(v), _) => Ok(v as isize),
        (None, None) => Ok(if negative { isize::MIN } else { isize::MAX }),
        (None, Some(exc)) => {
            let name = truncate_chars(type_name(type_of(o)), 200);
            Err(errors::set_string(ts, exc, &format!("cannot fit '{name}' into an index-sized integer")))
        }
    }
}

/// `int(o)` (`PyNumber_Long`).
pub fn to_int(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if long::check_exact(o) {
        return Ok(unsafe { new_ref(o) });
    }
    let nb = number_methods(o);
    if let Some(f) = nb.and_then(|nb| nb.nb_int) {
        let r = check_result(ts, unsafe { f(o) }, "__int__")?;
        if !long::check(r) {
            return Err(non_int_result(ts, "__int__", r));
        }
        return into_exact_int(ts, r);
    }
    if nb.is_some_and(|nb| nb.nb_index.is_some()) {
        return index(ts, o);
    }
    if unicode::check(o) {
        return long::from_unicode(ts, o, 10);
    }
    if bytes::check(o) {
        // SAFETY: a bytes object holds `len` bytes of data.
        let data = unsafe { core::slice::from_raw_parts(bytes::as_ptr(o), bytes::len(o) as usize) };
        return long::from_bytes_text(ts, data, 10);
    }
    let name = truncate_chars(type_name(type_of(o)), 200);
    Err(errors::type_error(
        ts,
        &format!("int() argument must be a string, a bytes-like object or a real number, not '{name}'"),
    ))
}

/// `float(o)` (`PyNumber_Float`).
pub fn to_float(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if float::check_exact(o) {
        return Ok(unsafe { new_ref(o) });
    }
    let nb = number_methods(o);
    if let Some(f) = nb.and_then(|nb| nb.nb_float) {
        let r = check_result(ts, unsafe { f(o) }, "__float__")?;
        if float::check_exact(r) {
            return Ok(r);
        }
        if !float::check(r) {
            let raised = float::float_returned_non_float(ts, o, r);
            unsafe { decref(r) };
            return Err(raised);
        }
        let v = unsafe { float::value(r) };
        unsafe { decref(r) };
        return float::from_f64(ts, v);
    }
    if nb.is_some_and(|nb| nb.nb_index.is_some()) {
        let i = index_raw(ts, o)?;
        let v = long::to_f64(ts, i);
        unsafe { decref(i) };
        return float::from_f64(ts, v?);
    }
    if float::check(o) {
        return float::from_f64(ts, unsafe { float::value(o) });
    }
    float::from_string(ts, o)
}
