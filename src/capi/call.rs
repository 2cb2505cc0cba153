//! `abstract.h`, the call protocol: `PyObject_Call*` and vectorcall (PEP 590).

use super::{api, boundary, require, IntoC};
use crate::abi::*;
use crate::objects::{dict, tuple};
use crate::protocols::call;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ptr::null_mut;

fn check_args(ts: Ts, args: *mut PyObject, kwargs: *mut PyObject) -> PyResult<()> {
    if !tuple::check(args) {
        return Err(errors::type_error(ts, "argument list must be a tuple"));
    }
    if !kwargs.is_null() && !dict::check(kwargs) {
        return Err(errors::type_error(ts, "keyword list must be a dictionary"));
    }
    Ok(())
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_Call(
    callable: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    api!(|ts| {
        require!(ts; callable, args);
        check_args(ts, args, kwargs).and_then(|()| call::call(ts, callable, args, kwargs)).into_c()
    })
}

/// `callable(*args)`; `args` may be NULL for no arguments.
#[no_mangle]
pub unsafe extern "C" fn PyObject_CallObject(callable: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    api!(|ts| {
        require!(ts; callable);
        if args.is_null() {
            return call::call_slice(ts, callable, &[]).into_c();
        }
        check_args(ts, args, null_mut()).and_then(|()| call::call(ts, callable, args, null_mut())).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_CallNoArgs(callable: *mut PyObject) -> *mut PyObject {
    api!(|ts| {
        require!(ts; callable);
        call::call_slice(ts, callable, &[]).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_CallOneArg(callable: *mut PyObject, arg: *mut PyObject) -> *mut PyObject {
    api!(|ts| {
        require!(ts; callable, arg);
        call::call_slice(ts, callable, &[arg]).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_Vectorcall(
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    api!(|ts| {
        require!(ts; callable);
        if !kwnames.is_null() && !tuple::check(kwnames) {
            errors::bad_internal_call(ts);
            return null_mut();
        }
        call::vectorcall(ts, callable, args, nargsf, kwnames).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_VectorcallDict(
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwdict: *mut PyObject,
) -> *mut PyObject {
    api!(|ts| {
        require!(ts; callable);
        if !kwdict.is_null() && !dict::check(kwdict) {
            errors::bad_internal_call(ts);
            return null_mut();
        }
        call::vectorcall_dict(ts, callable, args, nargsf, kwdict).into_c()
    })
}

/// Calls `callable`'s vectorcall function with a tuple and a dict, for types that
/// use it as their `tp_call`.
#[no_mangle]
pub unsafe extern "C" fn PyVectorcall_Call(
    callable: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    api!(|ts| {
        require!(ts; callable, args);
        if call::vectorcall_function(callable).is_none() {
            let name = crate::objects::typeobject::type_name(crate::objects::object::type_of(callable));
            errors::type_error(ts, &format!("'{name}' object does not support vectorcall"));
            return null_mut();
        }
        check_args(ts, args, kwargs).and_then(|()| call::call(ts, callable, args, kwargs)).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyVectorcall_Function(callable: *mut PyObject) -> vectorcallfunc {
    boundary!(None, {
        if callable.is_null() {
            return None;
        }
        call::vectorcall_function(callable)
    })
}

#[no_mangle]
pub extern "C" fn PyVectorcall_NARGS(nargsf: usize) -> Py_ssize_t {
    boundary!(call::nargs_of(nargsf) as Py_ssize_t)
}

/// `args[0].name(*args[1:])`, keyword names as for `PyObject_Vectorcall`.
#[no_mangle]
pub unsafe extern "C" fn PyObject_VectorcallMethod(
    name: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    api!(|ts| {
        require!(ts; name, args);
        if call::nargs_of(nargsf) == 0 {
            errors::bad_internal_call(ts);
            return null_mut();
        }
        call::vectorcall_method(ts, name, args, nargsf, kwnames).into_c()
    })
}

/// The deprecated spelling of `PyObject_Call` for builtin functions.
#[no_mangle]
pub unsafe extern "C" fn PyCFunction_Call(
    callable: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    api!(|ts| {
        let _ = ts;
        unsafe { PyObject_Call(callable, args, kwargs) }
    })
}
