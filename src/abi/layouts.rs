//! Object layouts that CPython's public macros read directly (`PyTuple_GET_ITEM`,
//! `PyBytes_AS_STRING`, `PyUnicode_DATA` ...), so they must match 3.13 byte for byte.
#![allow(non_camel_case_types, non_snake_case)]

use super::object::{PyObject, PyVarObject, Py_hash_t, Py_ssize_t};
use core::ffi::{c_char, c_int, c_void};

#[repr(C)]
pub struct PyTupleObject {
    pub ob_base: PyVarObject,
    pub ob_item: [*mut PyObject; 1],
}

#[repr(C)]
pub struct PyListObject {
    pub ob_base: PyVarObject,
    pub ob_item: *mut *mut PyObject,
    pub allocated: Py_ssize_t,
}

#[repr(C)]
pub struct PyFloatObject {
    pub ob_base: PyObject,
    pub ob_fval: f64,
}

#[repr(C)]
pub struct PyBytesObject {
    pub ob_base: PyVarObject,
    pub ob_shash: Py_hash_t,
    pub ob_sval: [c_char; 1],
}

/// A bytearray: `ob_alloc` bytes at `ob_bytes`, of which `Py_SIZE` from `ob_start`
/// (which a deleted prefix moves forward) are the data, followed by a NUL;
/// `ob_exports` counts the buffer views that pin the storage.
#[repr(C)]
pub struct PyByteArrayObject {
    pub ob_base: PyVarObject,
    pub ob_alloc: Py_ssize_t,
    pub ob_bytes: *mut c_char,
    pub ob_start: *mut c_char,
    pub ob_exports: Py_ssize_t,
}

/// A complex number's value (`Py_complex`), passed to and returned from C by value.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Py_complex {
    pub real: f64,
    pub imag: f64,
}

#[repr(C)]
pub struct PyComplexObject {
    pub ob_base: PyObject,
    pub cval: Py_complex,
}

/// The head of every str. `state` packs: interned (2 bits), kind (3), compact (1),
/// ascii (1), statically_allocated (1).
#[repr(C)]
pub struct PyASCIIObject {
    pub ob_base: PyObject,
    pub length: Py_ssize_t,
    pub hash: Py_hash_t,
    pub state: u32,
}

/// A str holding non-ASCII text: its UTF-8 form is made on demand and cached.
#[repr(C)]
pub struct PyCompactUnicodeObject {
    pub _base: PyASCIIObject,
    pub utf8_length: Py_ssize_t,
    pub utf8: *mut c_char,
}

/// A str whose characters live in a separate block (`data`), CPython's layout for
/// instances of str subclasses: `PyUnicode_DATA` reads `data` when the compact bit
/// of `state` is clear.
#[repr(C)]
pub struct PyUnicodeObject {
    pub _base: PyCompactUnicodeObject,
    pub data: *mut c_void,
}

pub const PyUnicode_1BYTE_KIND: u32 = 1;
pub const PyUnicode_2BYTE_KIND: u32 = 2;
pub const PyUnicode_4BYTE_KIND: u32 = 4;

/// The instance layout of `BaseException` and the builtin exceptions without extra fields.
#[repr(C)]
pub struct PyBaseExceptionObject {
    pub ob_base: PyObject,
    pub dict: *mut PyObject,
    pub args: *mut PyObject,
    pub notes: *mut PyObject,
    pub traceback: *mut PyObject,
    pub context: *mut PyObject,
    pub cause: *mut PyObject,
    pub suppress_context: c_char,
}

/// What `PyHash_GetFuncDef` describes: the function that hashes str and bytes data.
#[repr(C)]
pub struct PyHash_FuncDef {
    pub hash: unsafe extern "C" fn(*const c_void, Py_ssize_t) -> Py_hash_t,
    pub name: *const c_char,
    pub hash_bits: c_int,
    pub seed_bits: c_int,
}

/// The value part of an int (CPython's `struct _PyLongValue`): `lv_tag` packs the sign
/// (low 2 bits: 0 positive, 1 zero, 2 negative), a reserved bit, and above them the
/// number of digits; `ob_digit` holds the magnitude in 30-bit digits, least
/// significant first, as many as the tag says (at least one is always allocated).
/// C sees it through `include/cpython/longintrepr.h`, not through cbindgen.
#[repr(C)]
pub struct PyLongValue {
    pub lv_tag: usize,
    pub ob_digit: [u32; 1],
}

/// An int (CPython's `struct _longobject`, `PyLongObject`): 32 bytes for one or two
/// digits, `24 + 4 * ndigits` bytes beyond that.
#[repr(C)]
pub struct PyLongObject {
    pub ob_base: PyObject,
    pub long_value: PyLongValue,
}

/// A builtin function or method made from a `PyMethodDef` (`builtin_function_or_method`).
/// CPython's inline `PyCFunction_GET_*` read these fields, so the layout is 3.13's.
#[repr(C)]
pub struct PyCFunctionObject {
    pub ob_base: PyObject,
    pub m_ml: *mut super::object::PyMethodDef,
    pub m_self: *mut PyObject,
    pub m_module: *mut PyObject,
    pub m_weakreflist: *mut PyObject,
    pub vectorcall: super::object::vectorcallfunc,
}

/// A builtin method that knows the class defining it (`METH_METHOD`, PEP 573).
#[repr(C)]
pub struct PyCMethodObject {
    pub func: PyCFunctionObject,
    pub mm_class: *mut super::object::PyTypeObject,
}

/// One slot of a set's table: unused (null key, hash 0), dummy (the set's dummy
/// key, hash -1) or active.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct setentry {
    pub key: *mut PyObject,
    pub hash: Py_hash_t,
}

/// Slots of the table every set holds inline.
pub const PySet_MINSIZE: usize = 8;

/// A set or frozenset, CPython's layout (200 bytes): `PySet_GET_SIZE` reads `used`.
/// `table` points at `smalltable` until the set outgrows it; `hash` caches a
/// frozenset's hash (-1 until computed); `finger` is where `pop` looks first.
#[repr(C)]
pub struct PySetObject {
    pub ob_base: PyObject,
    pub fill: Py_ssize_t,
    pub used: Py_ssize_t,
    pub mask: Py_ssize_t,
    pub table: *mut setentry,
    pub hash: Py_hash_t,
    pub finger: Py_ssize_t,
    pub smalltable: [setentry; PySet_MINSIZE],
    pub weakreflist: *mut PyObject,
}

/// A slice object (`start:stop:step`, each any object, None when left out).
#[repr(C)]
pub struct PySliceObject {
    pub ob_base: PyObject,
    pub start: *mut PyObject,
    pub stop: *mut PyObject,
    pub step: *mut PyObject,
}

/// What a capsule calls on its way out (`PyCapsule_Destructor`).
pub type PyCapsule_Destructor = Option<unsafe extern "C" fn(*mut PyObject)>;
