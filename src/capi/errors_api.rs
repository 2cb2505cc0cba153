//! `pyerrors.h`: the current exception, raising, matching, printing, and new
//! exception classes.

use super::{api, c_str, require, IntoC};
use crate::abi::*;
use crate::objects::exceptions::{self, Exc, ExcField};
use crate::objects::object::{self, decref, new_ref, xdecref, xincref};
use crate::objects::{dict, heaptype, tuple, typeobject, unicode};
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::report;
use crate::runtime::thread::Ts;
use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

/// Raises `ty` with `value`, or `SystemError` when `ty` is not an exception class.
fn raise(ts: Ts, ty: *mut PyObject, value: *mut PyObject) {
    if ty.is_null() || !exceptions::is_exception_type(ty) {
        let what =
            if ty.is_null() { "NULL".to_string() } else { typeobject::type_name(object::type_of(ty)).to_string() };
        errors::system_error(ts, &format!("exception {what} is not a BaseException subclass"));
        return;
    }
    errors::set_object(ts, ty as *mut PyTypeObject, value);
}

#[no_mangle]
pub unsafe extern "C" fn PyErr_SetObject(ty: *mut PyObject, value: *mut PyObject) {
    api!((), |ts| raise(ts, ty, value))
}

#[no_mangle]
pub unsafe extern "C" fn PyErr_SetNone(ty: *mut PyObject) {
    api!((), |ts| raise(ts, ty, null_mut()))
}

#[no_mangle]
pub unsafe extern "C" fn PyErr_SetString(ty: *mut PyObject, message: *const c_char) {
    api!((), |ts| {
        let msg = if message.is_null() {
            Ok(unsafe { new_ref(crate::objects::singletons::none()) })
        } else {
            unsafe { c_str(ts, message) }.and_then(|m| unicode::from_str(ts, m))
        };
        if let Ok(m) = msg {
            raise(ts, ty, m);
            unsafe { decref(m) };
        }
    })
}

/// The current exception's type (borrowed), or NULL.
#[no_mangle]
pub extern "C" fn PyErr_Occurred() -> *mut PyObject {
    boundary::guard(|| match Ts::current() {
        Some(ts) => {
            let exc = ts.exception();
            if exc.is_null() {
                null_mut()
            } else {
                object::type_of(exc) as *mut PyObject
            }
        }
        None => null_mut(),
    })
}

#[no_mangle]
pub extern "C" fn PyErr_Clear() {
    api!((), |ts| errors::clear(ts))
}

#[no_mangle]
pub unsafe extern "C" fn PyErr_GetRaisedException() -> *mut PyObject {
    api!(null_mut(), |ts| errors::take_raised(ts))
}

/// Makes `exc` (a reference taken over, or NULL) the current exception.
#[no_mangle]
pub unsafe extern "C" fn PyErr_SetRaisedException(exc: *mut PyObject) {
    api!((), |ts| {
        if !exc.is_null() && !exceptions::is_exception_instance(exc) {
            unsafe { decref(exc) };
            errors::system_error(ts, "PyErr_SetRaisedException: argument is not an exception");
            return;
        }
        errors::set_raised(ts, exc)
    })
}

/// The legacy triple: type, value and traceback as new references (or NULLs).
#[no_mangle]
pub unsafe extern "C" fn PyErr_Fetch(ptype: *mut *mut PyObject, pvalue: *mut *mut PyObject, ptb: *mut *mut PyObject) {
    api!((), |ts| {
        let exc = errors::take_raised(ts);
        let (t, tb) = if exc.is_null() {
            (null_mut(), null_mut())
        } else {
            let tb = exceptions::get_field(exc, ExcField::Traceback);
            unsafe { xincref(tb) };
            (typeobject::type_of_new(exc), tb)
        };
        unsafe {
            write_out(ptype, t);
            write_out(pvalue, exc);
            write_out(ptb, tb);
        }
    })
}

unsafe fn write_out(p: *mut *mut PyObject, v: *mut PyObject) {
    if p.is_null() {
        unsafe { xdecref(v) };
    } else {
        unsafe { *p = v };
    }
}

/// Sets the current exception from the legacy triple, taking over all three references.
#[no_mangle]
pub unsafe extern "C" fn PyErr_Restore(ty: *mut PyObject, value: *mut PyObject, tb: *mut PyObject) {
    api!((), |ts| {
        if ty.is_null() {
            unsafe {
                xdecref(value);
                xdecref(tb);
            }
            errors::clear(ts);
            return;
        }
        let exc = if !value.is_null() && exceptions::is_exception_instance(value) {
            Ok(unsafe { new_ref(value) })
        } else if exceptions::is_exception_type(ty) {
            exceptions::instantiate(ts, ty as *mut PyTypeObject, value)
        } else {
            Err(errors::system_error(ts, "PyErr_Restore: type is not an exception class"))
        };
        if let Ok(e) = exc {
            if !tb.is_null() {
                unsafe { xincref(tb) };
                exceptions::set_field(e, ExcField::Traceback, tb);
            }
            errors::set_raised(ts, e);
        }
        unsafe {
            decref(ty);
            xdecref(value);
            xdecref(tb);
        }
    })
}

/// Turns a (type, value) pair into (type of instance, instance) in place.
#[no_mangle]
pub unsafe extern "C" fn PyErr_NormalizeException(
    ptype: *mut *mut PyObject,
    pvalue: *mut *mut PyObject,
    _ptb: *mut *mut PyObject,
) {
    api!((), |ts| {
        if ptype.is_null() || pvalue.is_null() {
            return;
        }
        let (ty, value) = unsafe { (*ptype, *pvalue) };
        if ty.is_null() || !exceptions::is_exception_type(ty) {
            return;
        }
        if !value.is_null() && object::is_subtype(object::type_of(value), ty as *mut PyTypeObject) {
            return;
        }
        if let Ok(inst) = exceptions::instantiate(ts, ty as *mut PyTypeObject, value) {
            unsafe {
                xdecref(value);
                *pvalue = inst;
                let new_ty = typeobject::type_of_new(inst);
                decref(ty);
                *ptype = new_ty;
            }
        }
    })
}

fn given_matches(given: *mut PyObject, exc: *mut PyObject) -> bool {
    if given.is_null() || exc.is_null() {
        return false;
    }
    if tuple::check(exc) {
        return tuple::items(exc).iter().any(|&e| given_matches(given, e));
    }
    let given_ty =
        if exceptions::is_exception_instance(given) { object::type_of(given) as *mut PyObject } else { given };
    if exceptions::is_exception_type(given_ty) && exceptions::is_exception_type(exc) {
        return object::is_subtype(given_ty as *mut PyTypeObject, exc as *mut PyTypeObject);
    }
    given_ty == exc
}

#[no_mangle]
pub unsafe extern "C" fn PyErr_GivenExceptionMatches(given: *mut PyObject, exc: *mut PyObject) -> c_int {
    boundary::guard(|| given_matches(given, exc) as c_int)
}

#[no_mangle]
pub unsafe extern "C" fn PyErr_ExceptionMatches(exc: *mut PyObject) -> c_int {
    boundary::guard(|| given_matches(PyErr_Occurred(), exc) as c_int)
}

/// Raises `MemoryError`; returns NULL for `return PyErr_NoMemory();`.
#[no_mangle]
pub extern "C" fn PyErr_NoMemory() -> *mut PyObject {
    api!(null_mut(), |ts| {
        errors::no_memory(ts);
        null_mut()
    })
}

/// Raises `TypeError`; returns 0 for `return PyErr_BadArgument();`.
#[no_mangle]
pub extern "C" fn PyErr_BadArgument() -> c_int {
    api!(0, |ts| {
        errors::type_error(ts, "bad argument type for built-in operation");
        0
    })
}

#[no_mangle]
pub extern "C" fn PyErr_BadInternalCall() {
    api!((), |ts| {
        errors::bad_internal_call(ts);
    })
}

/// What `PyErr_BadInternalCall` expands to in CPython's headers.
#[no_mangle]
pub extern "C" fn _PyErr_BadInternalCall(_filename: *const c_char, _lineno: c_int) {
    boundary::guard(|| PyErr_BadInternalCall())
}

fn new_exception(
    ts: Ts,
    name: &str,
    doc: Option<&str>,
    base: *mut PyObject,
    dict_arg: *mut PyObject,
) -> PyResult<*mut PyObject> {
    if !name.contains('.') {
        return Err(errors::system_error(ts, "PyErr_NewException: name must be module.class"));
    }
    let bases: Vec<*mut PyObject> = if base.is_null() {
        vec![exceptions::exc(Exc::Exception) as *mut PyObject]
    } else if tuple::check(base) {
        tuple::items(base).to_vec()
    } else {
        vec![base]
    };
    let is_type = |b: *mut PyObject| object::has_flag(object::type_of(b), Py_TPFLAGS_TYPE_SUBCLASS);
    if !bases.iter().all(|&b| is_type(b)) || !bases.iter().any(|&b| exceptions::is_exception_type(b)) {
        return Err(errors::type_error(ts, "PyErr_NewException: base must be an exception class"));
    }
    if !dict_arg.is_null() && !dict::check(dict_arg) {
        return Err(errors::type_error(ts, "PyErr_NewException: dict must be a dict"));
    }
    let bases: Vec<*mut PyTypeObject> = bases.iter().map(|&b| b as *mut PyTypeObject).collect();
    heaptype::new_type_with_bases(ts, name, &bases, doc, dict_arg).map(|t| t as *mut PyObject)
}

/// A new exception class `name` ("module.Class") deriving from `base` (default
/// `Exception`; a tuple's first entry is used).
#[no_mangle]
pub unsafe extern "C" fn PyErr_NewException(
    name: *const c_char,
    base: *mut PyObject,
    dict_arg: *mut PyObject,
) -> *mut PyObject {
    api!(null_mut(), |ts| unsafe { c_str(ts, name) }.and_then(|n| new_exception(ts, n, None, base, dict_arg)).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PyErr_NewExceptionWithDoc(
    name: *const c_char,
    doc: *const c_char,
    base: *mut PyObject,
    dict_arg: *mut PyObject,
) -> *mut PyObject {
    api!(null_mut(), |ts| {
        let r = unsafe { c_str(ts, name) }.and_then(|n| {
            let d = if doc.is_null() { None } else { Some(unsafe { c_str(ts, doc) }?) };
            new_exception(ts, n, d, base, dict_arg)
        });
        r.into_c()
    })
}

/// Prints the current exception (with its cause or context chain) to stderr and clears
/// it; with `set_sys_last_vars` it is also kept as `sys.last_exc`. A `SystemExit` is
/// not printed: in the main interpreter it finalizes the runtime and exits the process
/// with its code, as CPython does; a sub-interpreter records the code instead
/// (`Isle_InterpreterExitStatus`) and the call returns.
#[no_mangle]
pub extern "C" fn PyErr_PrintEx(set_sys_last_vars: c_int) {
    api!((), |ts| {
        if let report::Printed::ExitRequested(status) = report::print_current(ts, set_sys_last_vars != 0) {
            crate::runtime::lifecycle::finalize();
            std::process::exit(status);
        }
    })
}

#[no_mangle]
pub extern "C" fn PyErr_Print() {
    boundary::guard(|| PyErr_PrintEx(1))
}

/// Prints "Exception ignored in: obj" and the current exception, then clears it.
#[no_mangle]
pub unsafe extern "C" fn PyErr_WriteUnraisable(obj: *mut PyObject) {
    api!((), |ts| report::write_unraisable(ts, obj))
}

fn field_new_ref(exc: *mut PyObject, field: ExcField) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), exc);
        let v = exceptions::get_field(exc, field);
        unsafe { xincref(v) };
        v
    })
}

fn replace_field(exc: *mut PyObject, field: ExcField, value: *mut PyObject) {
    api!((), |ts| {
        require!(ts; exc);
        exceptions::set_field(exc, field, value)
    })
}

/// The `__cause__` (new reference), or NULL.
#[no_mangle]
pub unsafe extern "C" fn PyException_GetCause(exc: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| field_new_ref(exc, ExcField::Cause))
}

/// Sets `__cause__` (taking over `cause`, which may be NULL).
#[no_mangle]
pub unsafe extern "C" fn PyException_SetCause(exc: *mut PyObject, cause: *mut PyObject) {
    boundary::guard(|| replace_field(exc, ExcField::Cause, cause))
}

/// The `__context__` (new reference), or NULL.
#[no_mangle]
pub unsafe extern "C" fn PyException_GetContext(exc: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| field_new_ref(exc, ExcField::Context))
}

/// Sets `__context__` (taking over `context`, which may be NULL).
#[no_mangle]
pub unsafe extern "C" fn PyException_SetContext(exc: *mut PyObject, context: *mut PyObject) {
    boundary::guard(|| replace_field(exc, ExcField::Context, context))
}

/// The `args` tuple (new reference).
#[no_mangle]
pub unsafe extern "C" fn PyException_GetArgs(exc: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| field_new_ref(exc, ExcField::Args))
}

/// The traceback (new reference), or NULL.
#[no_mangle]
pub unsafe extern "C" fn PyException_GetTraceback(exc: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| field_new_ref(exc, ExcField::Traceback))
}

/// Sets `__traceback__`: None clears it; isle makes no traceback objects, so any
/// other value is CPython's `TypeError`. Returns 0, or -1 with the exception set.
#[no_mangle]
pub unsafe extern "C" fn PyException_SetTraceback(exc: *mut PyObject, tb: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, exc, tb);
        if tb != crate::objects::singletons::none() {
            errors::type_error(ts, "__traceback__ must be a traceback or None");
            return -1;
        }
        exceptions::set_field(exc, ExcField::Traceback, null_mut());
        0
    })
}

/// Sets `args` (borrowing `args`, as CPython does).
#[no_mangle]
pub unsafe extern "C" fn PyException_SetArgs(exc: *mut PyObject, args: *mut PyObject) {
    api!((), |ts| {
        require!(ts; exc, args);
        unsafe { xincref(args) };
        exceptions::set_field(exc, ExcField::Args, args)
    })
}
