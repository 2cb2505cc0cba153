//! `type`: the type of types, slot inheritance for static types, and the default
//! slots every object gets from `object`.

use super::object::{self, base_object_type, incref};
use super::{bool_, singletons, unicode};
use crate::abi::*;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ffi::{c_int, c_void, CStr};
use core::ptr::null_mut;

unsafe extern "C" fn type_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let name = type_name(o as *mut PyTypeObject);
        unicode::from_str(ts, &format!("<class '{name}'>")).unwrap_or(null_mut())
    })
}

/// The text after the last dot of `tp_name` (the unqualified name).
pub fn short_name(ty: *mut PyTypeObject) -> &'static str {
    let full = type_name(ty);
    full.rsplit('.').next().unwrap_or(full)
}

/// The whole `tp_name`, as the C string says it.
pub fn type_name(ty: *mut PyTypeObject) -> &'static str {
    // SAFETY: tp_name is a NUL-terminated string that lives as long as the type.
    unsafe {
        let p = (*ty).tp_name;
        if p.is_null() {
            return "?";
        }
        CStr::from_ptr(p).to_str().unwrap_or("?")
    }
}

/// `<T object at 0x...>`, the repr of objects whose type defines none.
pub unsafe extern "C" fn default_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let name = type_name(object::type_of(o));
        unicode::from_str(ts, &format!("<{name} object at {o:p}>")).unwrap_or(null_mut())
    })
}

pub unsafe extern "C" fn identity_hash(o: *mut PyObject) -> Py_hash_t {
    boundary::guard(|| super::hash::pointer(o as *const core::ffi::c_void))
}

// Exported under CPython's name from here, like the static type objects, rather than
// from `capi/`: extensions compare a type's slot with this address, so the slot and
// the export must be one function.
/// The `tp_hash` of unhashable types (list, dict, ...): raises `TypeError`.
#[export_name = "PyObject_HashNotImplemented"]
pub unsafe extern "C" fn hash_not_implemented(o: *mut PyObject) -> Py_hash_t {
    boundary::with_thread_state(|ts| {
        crate::protocols::object::unhashable(ts, o);
        -1
    })
}

pub unsafe extern "C" fn identity_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    boundary::guard(|| {
        let r = match op {
            Py_EQ => a == b,
            Py_NE => a != b,
            _ => return singletons::not_implemented(),
        };
        bool_::from_bool(r)
    })
}

unsafe extern "C" fn type_get_name(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::with_thread_state(|ts| unicode::from_str(ts, short_name(o as *mut PyTypeObject)).unwrap_or(null_mut()))
}

unsafe extern "C" fn type_get_module(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let full = type_name(o as *mut PyTypeObject);
        let module = match full.rfind('.') {
            Some(i) => &full[..i],
            None => "builtins",
        };
        unicode::from_str(ts, module).unwrap_or(null_mut())
    })
}

unsafe extern "C" fn type_get_base(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::guard(|| {
        let base = unsafe { (*(o as *mut PyTypeObject)).tp_base };
        if base.is_null() {
            return singletons::none();
        }
        unsafe { object::new_ref(base as *mut PyObject) }
    })
}

unsafe extern "C" fn type_get_doc(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let doc = unsafe { (*(o as *mut PyTypeObject)).tp_doc };
        if doc.is_null() {
            return singletons::none();
        }
        let text = unsafe { CStr::from_ptr(doc) }.to_string_lossy();
        unicode::from_str(ts, &text).unwrap_or(null_mut())
    })
}

static mut TYPE_GETSET: [PyGetSetDef; 6] = [
    getset(c"__name__", type_get_name),
    getset(c"__qualname__", type_get_name),
    getset(c"__module__", type_get_module),
    getset(c"__base__", type_get_base),
    getset(c"__doc__", type_get_doc),
    PyGetSetDef { name: core::ptr::null(), get: None, set: None, doc: core::ptr::null(), closure: null_mut() },
];

/// A read-only getset entry.
pub const fn getset(
    name: &'static CStr,
    get: unsafe extern "C" fn(*mut PyObject, *mut c_void) -> *mut PyObject,
) -> PyGetSetDef {
    PyGetSetDef { name: name.as_ptr(), get: Some(get), set: None, doc: core::ptr::null(), closure: null_mut() }
}

#[no_mangle]
pub static mut PyType_Type: PyTypeObject = PyTypeObject {
    ob_base: PyVarObject {
        ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut PyType_Type },
        ob_size: 0,
    },
    tp_dealloc: Some(super::heaptype::type_dealloc),
    tp_repr: Some(type_repr),
    tp_getset: &raw mut TYPE_GETSET as *mut PyGetSetDef,
    tp_flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_TYPE_SUBCLASS | Py_TPFLAGS_IMMUTABLETYPE,
    tp_base: &raw mut super::object::PyBaseObject_Type,
    ..PyTypeObject::blank(c"type", core::mem::size_of::<PyTypeObject>(), 0)
};

#[inline]
pub fn type_type() -> *mut PyTypeObject {
    &raw mut PyType_Type
}

/// Fills the empty slots of a static type from its base, as `PyType_Ready` does, once
/// per process. Idempotent.
///
/// # Safety
/// Called while no other thread uses `ty` (runtime start-up), on a live static type.
pub unsafe fn ready_static(ty: *mut PyTypeObject) {
    unsafe {
        let t = &mut *ty;
        if t.tp_flags & Py_TPFLAGS_READY != 0 && ty != base_object_type() {
            return;
        }
        if t.ob_base.ob_base.ob_type.is_null() {
            t.ob_base.ob_base.ob_type = type_type();
        }
        if t.tp_base.is_null() && ty != base_object_type() {
            t.tp_base = base_object_type();
        }
        let base = t.tp_base;
        if !base.is_null() {
            ready_static(base);
            inherit_slots(t, &*base);
        }
        t.tp_flags |= Py_TPFLAGS_READY;
    }
}

/// Copies into `t` every slot it leaves empty and `base` defines.
pub fn inherit_slots(t: &mut PyTypeObject, base: &PyTypeObject) {
    macro_rules! inherit {
        ($($f:ident),*) => { $( if t.$f.is_none() { t.$f = base.$f; } )* };
    }
    inherit!(
        tp_dealloc,
        tp_repr,
        tp_str,
        tp_hash,
        tp_richcompare,
        tp_getattro,
        tp_setattro,
        tp_call,
        tp_iter,
        tp_iternext,
        tp_init,
        tp_alloc,
        tp_new,
        tp_free,
        tp_descr_get,
        tp_descr_set,
        tp_traverse,
        tp_clear,
        tp_finalize
    );
    if t.tp_as_number.is_null() {
        t.tp_as_number = base.tp_as_number;
    }
    if t.tp_as_sequence.is_null() {
        t.tp_as_sequence = base.tp_as_sequence;
    }
    if t.tp_as_mapping.is_null() {
        t.tp_as_mapping = base.tp_as_mapping;
    }
    if t.tp_dictoffset == 0 {
        t.tp_dictoffset = base.tp_dictoffset;
    }
    let subclass_bits = Py_TPFLAGS_LONG_SUBCLASS
        | Py_TPFLAGS_LIST_SUBCLASS
        | Py_TPFLAGS_TUPLE_SUBCLASS
        | Py_TPFLAGS_BYTES_SUBCLASS
        | Py_TPFLAGS_UNICODE_SUBCLASS
        | Py_TPFLAGS_DICT_SUBCLASS
        | Py_TPFLAGS_BASE_EXC_SUBCLASS
        | Py_TPFLAGS_TYPE_SUBCLASS;
    t.tp_flags |= base.tp_flags & subclass_bits;
}

/// `PyType_IsSubtype`.
pub fn is_subtype(a: *mut PyTypeObject, b: *mut PyTypeObject) -> bool {
    object::is_subtype(a, b)
}

/// Raises `TypeError` naming what was expected and what was given.
pub fn expected(ts: Ts, what: &str, got: *mut PyObject) -> errors::Raised {
    let name = type_name(object::type_of(got));
    errors::type_error(ts, &format!("expected {what}, got {name}"))
}

/// A new reference to the type of `o` (`PyObject_Type`).
pub fn type_of_new(o: *mut PyObject) -> *mut PyObject {
    let t = object::type_of(o) as *mut PyObject;
    unsafe { incref(t) };
    t
}

pub fn check_not_null(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if o.is_null() {
        Err(errors::bad_internal_call(ts))
    } else {
        Ok(o)
    }
}
