//! `module` objects: a namespace dict plus, for modules made from a definition, the
//! definition and its per-module state.

use super::object::{self, clear_slot};
use super::{dict, unicode};
use crate::abi::*;
use crate::runtime::boundary;
use crate::runtime::errors::PyResult;
use crate::runtime::thread::Ts;
use core::ffi::c_void;

#[repr(C)]
pub struct ModuleObject {
    pub ob_base: PyObject,
    pub md_dict: *mut PyObject,
    pub md_def: *mut c_void,
    pub md_state: *mut c_void,
    pub md_weaklist: *mut PyObject,
    pub md_name: *mut PyObject,
}

unsafe extern "C" fn module_dealloc(o: *mut PyObject) {
    boundary::guard(|| {
        let m = unsafe { &mut *(o as *mut ModuleObject) };
        unsafe {
            clear_slot(&mut m.md_dict);
            clear_slot(&mut m.md_name);
            crate::memory::free(m.md_state as *mut u8);
            object::free_object(o);
        }
    })
}

unsafe extern "C" fn module_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let m = unsafe { &*(o as *mut ModuleObject) };
        let name = if m.md_name.is_null() { "?".to_string() } else { unicode::to_string_lossy(m.md_name) };
        unicode::from_str(ts, &format!("<module '{name}'>")).unwrap_or(core::ptr::null_mut())
    })
}

#[no_mangle]
pub static mut PyModule_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(module_dealloc),
    tp_repr: Some(module_repr),
    tp_flags: Py_TPFLAGS_BASETYPE,
    tp_dictoffset: core::mem::offset_of!(ModuleObject, md_dict) as Py_ssize_t,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"module", core::mem::size_of::<ModuleObject>(), 0)
};

pub fn module_type() -> *mut PyTypeObject {
    &raw mut PyModule_Type
}

pub fn check(o: *mut PyObject) -> bool {
    object::is_subtype(object::type_of(o), module_type())
}

/// A new module named `name`, with `__name__` and `__doc__` set in its dict.
pub fn new(ts: Ts, name: &str) -> PyResult<*mut PyObject> {
    let m = object::alloc_object(ts, module_type(), 0)?;
    let mo = unsafe { &mut *(m as *mut ModuleObject) };
    let mut fill = || -> PyResult<()> {
        mo.md_dict = dict::new(ts)?;
        mo.md_name = unicode::from_str(ts, name)?;
        set_str_attr(ts, mo.md_dict, "__name__", mo.md_name)?;
        set_str_attr(ts, mo.md_dict, "__doc__", super::singletons::none())
    };
    match fill() {
        Ok(()) => Ok(m),
        Err(e) => {
            unsafe { object::decref(m) };
            Err(e)
        }
    }
}

/// The module's namespace (borrowed).
pub fn dict_of(m: *mut PyObject) -> *mut PyObject {
    unsafe { (*(m as *mut ModuleObject)).md_dict }
}

/// `d[key] = value` with a Rust string key.
pub fn set_str_attr(ts: Ts, d: *mut PyObject, key: &str, value: *mut PyObject) -> PyResult<()> {
    let k = unicode::from_str(ts, key)?;
    let r = dict::set_item(ts, d, k, value);
    unsafe { object::decref(k) };
    r
}

/// The module's `__name__` as stored when it was made (borrowed; null if none).
pub fn name_object(m: *mut PyObject) -> *mut PyObject {
    unsafe { (*(m as *mut ModuleObject)).md_name }
}
