//! `import.h` and `sysmodule.h`: importing, the builtin-module table, `sys`.

use super::{api, boundary, c_str, require, IntoC};
use crate::abi::*;
use crate::objects::object::{decref, new_ref};
use crate::objects::unicode;
use crate::runtime::import;
use core::ffi::{c_char, c_int, CStr};
use core::ptr::null_mut;

/// Adds a builtin module before `Py_Initialize`; -1 once the runtime runs.
#[no_mangle]
pub unsafe extern "C" fn PyImport_AppendInittab(
    name: *const c_char,
    initfunc: Option<unsafe extern "C" fn() -> *mut PyObject>,
) -> c_int {
    boundary!({
        let Some(f) = initfunc else { return -1 };
        if name.is_null() {
            return -1;
        }
        // SAFETY: a NUL-terminated name; copied, so the caller's may go.
        let n = unsafe { CStr::from_ptr(name) }.to_string_lossy().into_owned();
        if import::extend_inittab(vec![(n, f)]) {
            0
        } else {
            -1
        }
    })
}

/// Adds every entry of `newtab` (ended by a NULL name) before `Py_Initialize`.
#[no_mangle]
pub unsafe extern "C" fn PyImport_ExtendInittab(newtab: *mut _inittab) -> c_int {
    boundary!({
        if newtab.is_null() {
            return -1;
        }
        let mut entries = Vec::new();
        let mut e = newtab;
        // SAFETY: the array ends with an entry whose name is NULL.
        unsafe {
            while !(*e).name.is_null() {
                if let Some(f) = (*e).initfunc {
                    entries.push((CStr::from_ptr((*e).name).to_string_lossy().into_owned(), f));
                }
                e = e.add(1);
            }
        }
        if import::extend_inittab(entries) {
            0
        } else {
            -1
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyImport_ImportModule(name: *const c_char) -> *mut PyObject {
    api!(|ts| unsafe { c_str(ts, name) }.and_then(|n| import::import_module(ts, n)).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PyImport_Import(name: *mut PyObject) -> *mut PyObject {
    api!(|ts| {
        require!(ts; name);
        if !unicode::check(name) {
            crate::runtime::errors::type_error(ts, "module name must be str");
            return null_mut();
        }
        import::import_module(ts, &unicode::to_string_lossy(name)).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyImport_ImportModuleLevelObject(
    name: *mut PyObject,
    globals: *mut PyObject,
    _locals: *mut PyObject,
    fromlist: *mut PyObject,
    level: c_int,
) -> *mut PyObject {
    api!(|ts| {
        require!(ts; name);
        import::import_level(ts, name, globals, fromlist, level).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyImport_ImportModuleLevel(
    name: *const c_char,
    globals: *mut PyObject,
    locals: *mut PyObject,
    fromlist: *mut PyObject,
    level: c_int,
) -> *mut PyObject {
    api!(|ts| {
        let n = match unsafe { c_str(ts, name) }.and_then(|n| unicode::from_str(ts, n)) {
            Ok(n) => n,
            Err(_) => return null_mut(),
        };
        let r = unsafe { PyImport_ImportModuleLevelObject(n, globals, locals, fromlist, level) };
        unsafe { decref(n) };
        r
    })
}

/// `sys.modules[name]` as a new reference, or NULL without an exception when absent.
#[no_mangle]
pub unsafe extern "C" fn PyImport_GetModule(name: *mut PyObject) -> *mut PyObject {
    api!(|ts| {
        require!(ts; name);
        match import::get_module(ts, name) {
            Ok(Some(m)) => unsafe { new_ref(m) },
            _ => null_mut(),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyImport_AddModuleObject(name: *mut PyObject) -> *mut PyObject {
    api!(|ts| {
        require!(ts; name);
        import::add_module(ts, name).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyImport_AddModule(name: *const c_char) -> *mut PyObject {
    api!(|ts| {
        let n = match unsafe { c_str(ts, name) }.and_then(|n| unicode::from_str(ts, n)) {
            Ok(n) => n,
            Err(_) => return null_mut(),
        };
        let r = import::add_module(ts, n).into_c();
        unsafe { decref(n) };
        r
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyImport_AddModuleRef(name: *const c_char) -> *mut PyObject {
    api!(|ts| {
        let m = unsafe { PyImport_AddModule(name) };
        let _ = ts;
        if m.is_null() {
            m
        } else {
            unsafe { new_ref(m) }
        }
    })
}

/// `sys.<name>` (borrowed), or NULL without an exception.
#[no_mangle]
pub unsafe extern "C" fn PySys_GetObject(name: *const c_char) -> *mut PyObject {
    api!(|ts| {
        if name.is_null() {
            return null_mut();
        }
        // SAFETY: a NUL-terminated name.
        let n = unsafe { CStr::from_ptr(name) }.to_string_lossy();
        import::sys_get(ts, &n)
    })
}

/// Sets `sys.<name>`; NULL deletes it.
#[no_mangle]
pub unsafe extern "C" fn PySys_SetObject(name: *const c_char, value: *mut PyObject) -> c_int {
    api!(|ts| unsafe { c_str(ts, name) }.and_then(|n| import::sys_set(ts, n, value)).into_c())
}
