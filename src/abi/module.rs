//! Module definitions (`PyModuleDef` and its slots) and the builtin-module table, as
//! CPython 3.13 lays them out.
#![allow(non_camel_case_types, non_snake_case)]

use super::object::{freefunc, inquiry, traverseproc, PyMethodDef, PyObject, Py_ssize_t};
use core::ffi::{c_char, c_int, c_void};

/// The head of every module definition. `m_index` is this def's process-wide index
/// (0 until `PyModuleDef_Init`); `m_init` and `m_copy` serve single-phase modules.
#[repr(C)]
pub struct PyModuleDef_Base {
    pub ob_base: PyObject,
    pub m_init: Option<unsafe extern "C" fn() -> *mut PyObject>,
    pub m_index: Py_ssize_t,
    pub m_copy: *mut PyObject,
}

#[repr(C)]
pub struct PyModuleDef_Slot {
    pub slot: c_int,
    pub value: *mut c_void,
}

#[repr(C)]
pub struct PyModuleDef {
    pub m_base: PyModuleDef_Base,
    pub m_name: *const c_char,
    pub m_doc: *const c_char,
    pub m_size: Py_ssize_t,
    pub m_methods: *mut PyMethodDef,
    pub m_slots: *mut PyModuleDef_Slot,
    pub m_traverse: traverseproc,
    pub m_clear: inquiry,
    pub m_free: freefunc,
}

/// One entry of the builtin-module table (`PyImport_AppendInittab`); a NULL name ends
/// an array of them.
#[repr(C)]
pub struct _inittab {
    pub name: *const c_char,
    pub initfunc: Option<unsafe extern "C" fn() -> *mut PyObject>,
}

pub const Py_mod_create: c_int = 1;
pub const Py_mod_exec: c_int = 2;
pub const Py_mod_multiple_interpreters: c_int = 3;
pub const Py_mod_gil: c_int = 4;
/// The highest slot id 3.13 knows.
pub const _Py_mod_LAST_SLOT: c_int = 4;

/// `PyModule_Create`'s API version, and the limited API's.
pub const PYTHON_API_VERSION: c_int = 1013;
pub const PYTHON_ABI_VERSION: c_int = 3;
