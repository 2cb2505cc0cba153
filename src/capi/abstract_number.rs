//! `abstract.h`, number protocol: `PyNumber_*` and `PyIndex_Check`.
//!
//! Operands must not be NULL (`SystemError`). The in-place forms try the left
//! operand's in-place slot first and fall back to the plain operator.

use super::{api, require, IntoC};
use crate::abi::*;
use crate::protocols::number::{self, BinOp, UnaryOp};
use crate::runtime::boundary;
use core::ffi::c_int;
use core::ptr::null_mut;

fn binary(op: BinOp, a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), a, b);
        number::binary(ts, op, a, b).into_c()
    })
}

fn inplace(op: BinOp, a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), a, b);
        number::inplace(ts, op, a, b).into_c()
    })
}

fn unary(op: UnaryOp, o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        number::unary(ts, op, o).into_c()
    })
}

/// `a + b`; sequences concatenate.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Add(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary(BinOp::Add, a, b))
}

/// `a - b`.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Subtract(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary(BinOp::Subtract, a, b))
}

/// `a * b`; a sequence and an int repeat.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Multiply(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary(BinOp::Multiply, a, b))
}

/// `a @ b`.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_MatrixMultiply(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary(BinOp::MatrixMultiply, a, b))
}

/// `a / b`.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_TrueDivide(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary(BinOp::TrueDivide, a, b))
}

/// `a // b`.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_FloorDivide(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary(BinOp::FloorDivide, a, b))
}

/// `a % b`.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Remainder(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary(BinOp::Remainder, a, b))
}

/// `divmod(a, b)`.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Divmod(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary(BinOp::Divmod, a, b))
}

/// `a << b`.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Lshift(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary(BinOp::Lshift, a, b))
}

/// `a >> b`.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Rshift(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary(BinOp::Rshift, a, b))
}

/// `a & b`.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_And(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary(BinOp::And, a, b))
}

/// `a ^ b`.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Xor(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary(BinOp::Xor, a, b))
}

/// `a | b`.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary(BinOp::Or, a, b))
}

#[no_mangle]
pub unsafe extern "C" fn PyNumber_InPlaceAdd(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| inplace(BinOp::Add, a, b))
}

#[no_mangle]
pub unsafe extern "C" fn PyNumber_InPlaceSubtract(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| inplace(BinOp::Subtract, a, b))
}

#[no_mangle]
pub unsafe extern "C" fn PyNumber_InPlaceMultiply(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| inplace(BinOp::Multiply, a, b))
}

#[no_mangle]
pub unsafe extern "C" fn PyNumber_InPlaceMatrixMultiply(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| inplace(BinOp::MatrixMultiply, a, b))
}

#[no_mangle]
pub unsafe extern "C" fn PyNumber_InPlaceTrueDivide(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| inplace(BinOp::TrueDivide, a, b))
}

#[no_mangle]
pub unsafe extern "C" fn PyNumber_InPlaceFloorDivide(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| inplace(BinOp::FloorDivide, a, b))
}

#[no_mangle]
pub unsafe extern "C" fn PyNumber_InPlaceRemainder(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| inplace(BinOp::Remainder, a, b))
}

#[no_mangle]
pub unsafe extern "C" fn PyNumber_InPlaceLshift(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| inplace(BinOp::Lshift, a, b))
}

#[no_mangle]
pub unsafe extern "C" fn PyNumber_InPlaceRshift(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| inplace(BinOp::Rshift, a, b))
}

#[no_mangle]
pub unsafe extern "C" fn PyNumber_InPlaceAnd(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| inplace(BinOp::And, a, b))
}

#[no_mangle]
pub unsafe extern "C" fn PyNumber_InPlaceXor(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| inplace(BinOp::Xor, a, b))
}

#[no_mangle]
pub unsafe extern "C" fn PyNumber_InPlaceOr(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| inplace(BinOp::Or, a, b))
}

/// `pow(a, b, m)`; `m` is `Py_None` (or NULL) for `a ** b`.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Power(a: *mut PyObject, b: *mut PyObject, m: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), a, b);
        number::power(ts, a, b, m).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyNumber_InPlacePower(a: *mut PyObject, b: *mut PyObject, m: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), a, b);
        number::inplace_power(ts, a, b, m).into_c()
    })
}

/// `-o`.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Negative(o: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| unary(UnaryOp::Negative, o))
}

/// `+o`.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Positive(o: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| unary(UnaryOp::Positive, o))
}

/// `abs(o)`.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Absolute(o: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| unary(UnaryOp::Absolute, o))
}

/// `~o`.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Invert(o: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| unary(UnaryOp::Invert, o))
}

/// `o.__index__()` as an exact int.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Index(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        number::index(ts, o).into_c()
    })
}

/// `int(o)`.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Long(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        number::to_int(ts, o).into_c()
    })
}

/// `float(o)`.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Float(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        number::to_float(ts, o).into_c()
    })
}

/// `o.__index__()` as a `Py_ssize_t`. On overflow raises `exc`, or clamps when `exc`
/// is NULL.
#[no_mangle]
pub unsafe extern "C" fn PyNumber_AsSsize_t(o: *mut PyObject, exc: *mut PyObject) -> Py_ssize_t {
    api!(-1, |ts| {
        require!(ts, -1, o);
        let exc = if exc.is_null() { None } else { Some(exc as *mut PyTypeObject) };
        number::as_ssize_t(ts, o, exc).into_c()
    })
}

/// Whether `o` has `__index__`, `__int__` or `__float__` (never fails).
#[no_mangle]
pub unsafe extern "C" fn PyNumber_Check(o: *mut PyObject) -> c_int {
    boundary::guard(|| (!o.is_null() && number::number_check(o)) as c_int)
}

/// Whether `o` has `__index__` (never fails).
#[no_mangle]
pub unsafe extern "C" fn PyIndex_Check(o: *mut PyObject) -> c_int {
    boundary::guard(|| (!o.is_null() && number::index_check(o)) as c_int)
}
