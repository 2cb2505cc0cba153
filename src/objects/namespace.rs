//! `types.SimpleNamespace`: an object whose attributes live in its `__dict__`. isle
//! uses it for module specs (`__spec__`) and `sys.implementation`.

use super::object::{self, clear_slot, decref};
use super::{dict, unicode};
use crate::abi::*;
use crate::runtime::boundary;
use crate::runtime::errors::PyResult;
use crate::runtime::thread::Ts;

#[repr(C)]
pub struct NamespaceObject {
    pub ob_base: PyObject,
    pub ns_dict: *mut PyObject,
}

unsafe extern "C" fn namespace_dealloc(o: *mut PyObject) {
    boundary::guard(|| unsafe {
        clear_slot(&mut (*(o as *mut NamespaceObject)).ns_dict);
        object::free_object(o);
    })
}

unsafe extern "C" fn namespace_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        let d = unsafe { (*(o as *mut NamespaceObject)).ns_dict };
        let mut parts = Vec::new();
        if !d.is_null() {
            for e in dict::entries(d) {
                let v = crate::protocols::object::repr(ts, e.value)?;
                parts.push(format!("{}={}", unicode::to_string_lossy(e.key), unicode::to_string_lossy(v)));
                unsafe { decref(v) };
            }
        }
        unicode::from_str(ts, &format!("namespace({})", parts.join(", ")))
    })
}

pub static mut NAMESPACE_TYPE: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(namespace_dealloc),
    tp_repr: Some(namespace_repr),
    tp_flags: Py_TPFLAGS_BASETYPE,
    tp_dictoffset: core::mem::offset_of!(NamespaceObject, ns_dict) as Py_ssize_t,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"types.SimpleNamespace", core::mem::size_of::<NamespaceObject>(), 0)
};

pub fn namespace_type() -> *mut PyTypeObject {
    &raw mut NAMESPACE_TYPE
}

/// A namespace with the given attributes (each value borrowed; the namespace takes
/// its own references).
pub fn new(ts: Ts, attrs: &[(&str, *mut PyObject)]) -> PyResult<*mut PyObject> {
    let o = object::alloc_object(ts, namespace_type(), 0)?;
    let fill = || -> PyResult<()> {
        let d = dict::new(ts)?;
        unsafe { (*(o as *mut NamespaceObject)).ns_dict = d };
        for &(k, v) in attrs {
            super::module::set_str_attr(ts, d, k, v)?;
        }
        Ok(())
    };
    match fill() {
        Ok(()) => Ok(o),
        Err(e) => {
            unsafe { decref(o) };
            Err(e)
        }
    }
}
