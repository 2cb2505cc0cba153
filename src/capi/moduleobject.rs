//! `moduleobject.h` and `modsupport.h`: module objects, definitions, multi- and
//! single-phase creation, and `PyState_*`.

use super::{api, c_str, require, IntoC};
use crate::abi::*;
use crate::objects::object::{decref, xdecref};
use crate::objects::{long, module, typeobject, unicode};
use crate::runtime::errors::{self, PyResult};
use crate::runtime::import;
use crate::runtime::thread::Ts;
use core::ffi::{c_char, c_int, c_long, c_void};
use core::ptr::null_mut;

fn bad_argument(ts: Ts) {
    errors::type_error(ts, "bad argument type for built-in operation");
}

#[no_mangle]
pub unsafe extern "C" fn PyModuleDef_Init(def: *mut PyModuleDef) -> *mut PyObject {
    api!(|ts| {
        require!(ts; def);
        module::init_def(def)
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyModule_FromDefAndSpec2(
    def: *mut PyModuleDef,
    spec: *mut PyObject,
    _module_api_version: c_int,
) -> *mut PyObject {
    api!(|ts| {
        require!(ts; def, spec);
        module::from_def_and_spec(ts, def, spec).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyModule_ExecDef(m: *mut PyObject, def: *mut PyModuleDef) -> c_int {
    api!(|ts| {
        require!(ts; m, def);
        if !module::check(m) {
            bad_argument(ts);
            return -1;
        }
        module::exec_def(ts, m, def).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyModule_Create2(def: *mut PyModuleDef, _module_api_version: c_int) -> *mut PyObject {
    api!(|ts| {
        require!(ts; def);
        module::create_single_phase(ts, def).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyModule_New(name: *const c_char) -> *mut PyObject {
    api!(|ts| unsafe { c_str(ts, name) }.and_then(|n| module::new(ts, n)).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PyModule_NewObject(name: *mut PyObject) -> *mut PyObject {
    api!(|ts| {
        require!(ts; name);
        if !unicode::check(name) {
            bad_argument(ts);
            return null_mut();
        }
        module::new_object(ts, name).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyModule_GetState(m: *mut PyObject) -> *mut c_void {
    api!(|ts| {
        if m.is_null() || !module::check(m) {
            bad_argument(ts);
            return null_mut();
        }
        module::state_of(m)
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyModule_GetDef(m: *mut PyObject) -> *mut PyModuleDef {
    api!(|ts| {
        if m.is_null() || !module::check(m) {
            bad_argument(ts);
            return null_mut();
        }
        module::def_of(m)
    })
}

/// The module's namespace (borrowed).
#[no_mangle]
pub unsafe extern "C" fn PyModule_GetDict(m: *mut PyObject) -> *mut PyObject {
    api!(|ts| {
        if m.is_null() || !module::check(m) {
            errors::bad_internal_call(ts);
            return null_mut();
        }
        module::dict_of(m)
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyModule_GetNameObject(m: *mut PyObject) -> *mut PyObject {
    api!(|ts| {
        require!(ts; m);
        module::get_name(ts, m).into_c()
    })
}

/// The UTF-8 text of `__name__`, kept alive by the module's dict.
#[no_mangle]
pub unsafe extern "C" fn PyModule_GetName(m: *mut PyObject) -> *const c_char {
    api!(|ts| {
        require!(ts; m);
        borrowed_utf8(ts, module::get_name(ts, m))
    })
}

fn borrowed_utf8(ts: Ts, name: PyResult<*mut PyObject>) -> *const c_char {
    let Ok(name) = name else { return core::ptr::null() };
    let r = unicode::as_utf8(ts, name).map(|(p, _)| p as *const c_char);
    // SAFETY: the dict keeps another reference, so the text stays valid.
    unsafe { decref(name) };
    r.unwrap_or(core::ptr::null())
}

#[no_mangle]
pub unsafe extern "C" fn PyModule_GetFilenameObject(m: *mut PyObject) -> *mut PyObject {
    api!(|ts| {
        require!(ts; m);
        module::get_filename(ts, m).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyModule_GetFilename(m: *mut PyObject) -> *const c_char {
    api!(|ts| {
        require!(ts; m);
        borrowed_utf8(ts, module::get_filename(ts, m))
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyModule_AddObjectRef(m: *mut PyObject, name: *const c_char, value: *mut PyObject) -> c_int {
    api!(|ts| {
        require!(ts; m);
        unsafe { c_str(ts, name) }.and_then(|n| module::add_object_ref(ts, m, n, value)).into_c()
    })
}

/// Like `PyModule_AddObjectRef`, but takes over the reference to `value`, even on error.
#[no_mangle]
pub unsafe extern "C" fn PyModule_Add(m: *mut PyObject, name: *const c_char, value: *mut PyObject) -> c_int {
    api!(|ts| {
        let r = unsafe { PyModule_AddObjectRef(m, name, value) };
        unsafe { xdecref(value) };
        let _ = ts;
        r
    })
}

/// Like `PyModule_AddObjectRef`, but takes over the reference to `value` on success only.
#[no_mangle]
pub unsafe extern "C" fn PyModule_AddObject(m: *mut PyObject, name: *const c_char, value: *mut PyObject) -> c_int {
    api!(|ts| {
        let r = unsafe { PyModule_AddObjectRef(m, name, value) };
        if r == 0 {
            unsafe { decref(value) };
        }
        let _ = ts;
        r
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyModule_AddIntConstant(m: *mut PyObject, name: *const c_char, value: c_long) -> c_int {
    api!(|ts| {
        let v = long::from_i64(ts, value).unwrap_or(null_mut());
        unsafe { PyModule_Add(m, name, v) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyModule_AddStringConstant(
    m: *mut PyObject,
    name: *const c_char,
    value: *const c_char,
) -> c_int {
    api!(|ts| {
        let v = unsafe { c_str(ts, value) }.and_then(|t| unicode::from_str(ts, t)).unwrap_or(null_mut());
        unsafe { PyModule_Add(m, name, v) }
    })
}

/// Adds `type` under its name (the last component of `tp_name`). The type must be
/// ready.
#[no_mangle]
pub unsafe extern "C" fn PyModule_AddType(m: *mut PyObject, ty: *mut PyTypeObject) -> c_int {
    api!(|ts| {
        require!(ts; m, ty);
        if unsafe { (*ty).tp_flags } & Py_TPFLAGS_READY == 0 {
            errors::system_error(ts, "PyModule_AddType: the type is not ready (PyType_Ready)");
            return -1;
        }
        module::add_object_ref(ts, m, typeobject::short_name(ty), ty as *mut PyObject).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyModule_AddFunctions(m: *mut PyObject, functions: *mut PyMethodDef) -> c_int {
    api!(|ts| {
        require!(ts; m, functions);
        module::add_functions(ts, m, functions).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyModule_SetDocString(m: *mut PyObject, doc: *const c_char) -> c_int {
    api!(|ts| {
        require!(ts; m, doc);
        module::set_doc(ts, m, doc).into_c()
    })
}

/// The interpreter's module for a single-phase `def` (borrowed), or NULL without an
/// exception.
#[no_mangle]
pub unsafe extern "C" fn PyState_FindModule(def: *mut PyModuleDef) -> *mut PyObject {
    api!(|ts| {
        if def.is_null() {
            return null_mut();
        }
        import::state_find_module(ts, def)
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyState_AddModule(m: *mut PyObject, def: *mut PyModuleDef) -> c_int {
    api!(|ts| {
        if def.is_null() {
            errors::system_error(ts, "module definition is NULL");
            return -1;
        }
        if m.is_null() {
            errors::system_error(ts, "module is NULL");
            return -1;
        }
        import::state_add_module(ts, m, def).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyState_RemoveModule(def: *mut PyModuleDef) -> c_int {
    api!(|ts| {
        require!(ts; def);
        import::state_remove_module(ts, def).into_c()
    })
}
