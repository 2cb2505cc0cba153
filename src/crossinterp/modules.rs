//! The builtin modules over this directory's core, which every interpreter can
//! import: `_interpqueues` and `_interpreters` (CPython 3.13's low-level names) and
//! `concurrent.interpreters` (CPython 3.14's high-level module), also importable as
//! `interpreters` (PEP 554's name; the same module object) from a `concurrent` package
//! that has no other submodules. They are multi-phase modules, loaded by the importer
//! as it loads any builtin one, so each interpreter gets its own module objects and
//! types; the exception classes are isle's static ones (`IsleExc_*`), shared by all.
//!
//! Also the pieces those modules share: the module-def builder and the conversions of
//! arguments.

use crate::abi::*;
use crate::objects::exceptions::{self, Exc};
use crate::objects::object::{self, decref};
use crate::objects::{float, long, module, singletons, unicode};
use crate::runtime::errors::{self, PyResult};
use crate::runtime::import;
use crate::runtime::thread::Ts;
use core::ffi::c_void;
use core::ptr::null_mut;

/// The top-level names, for `sys.builtin_module_names`.
pub const TOP_LEVEL_NAMES: [&str; 4] = ["_interpqueues", "_interpreters", "concurrent", "interpreters"];

/// Imports one of these modules when `name` is one (a new reference), else None.
pub fn import(ts: Ts, name: &str) -> Option<PyResult<*mut PyObject>> {
    Some(match name {
        "_interpqueues" => import::load_builtin(ts, name, super::interpqueues::init),
        "_interpreters" => import::load_builtin(ts, name, super::interpreters::init),
        "concurrent" => import::load_builtin(ts, name, super::concurrent::init_package),
        "concurrent.interpreters" => load_submodule(ts),
        // PEP 554's name for the same module.
        "interpreters" => import::import_module(ts, "concurrent.interpreters").and_then(|m| {
            let r = module::set_str_attr(ts, modules_dict(ts), "interpreters", m);
            r.map(|()| m).inspect_err(|_| {
                // SAFETY: the module imported above.
                unsafe { decref(m) }
            })
        }),
        _ => return None,
    })
}

/// `sys.modules`, which the import that got here has already made.
fn modules_dict(ts: Ts) -> *mut PyObject {
    crate::runtime::lifecycle::modules_dict_if_made(ts)
}

/// `concurrent.interpreters`: its package first, then the module, bound to it.
fn load_submodule(ts: Ts) -> PyResult<*mut PyObject> {
    let package = import::import_module(ts, "concurrent")?;
    let m = import::load_builtin(ts, "concurrent.interpreters", super::concurrent::init_module);
    let r = m.and_then(|m| {
        let bound = module::set_str_attr(ts, module::dict_of(package), "interpreters", m);
        bound.map(|()| m).inspect_err(|_| {
            // SAFETY: the module loaded above.
            unsafe { decref(m) }
        })
    });
    // SAFETY: the package imported above.
    unsafe { decref(package) };
    r
}

/// `Py_MOD_PER_INTERPRETER_GIL_SUPPORTED`: these modules keep nothing process-wide
/// that is not behind a lock.
const PER_INTERPRETER_GIL_SUPPORTED: usize = 2;

/// The slots of a def whose exec function is `exec`.
pub const fn slots(exec: ExecFn) -> [PyModuleDef_Slot; 3] {
    [
        PyModuleDef_Slot { slot: Py_mod_exec, value: exec as *mut c_void },
        PyModuleDef_Slot { slot: Py_mod_multiple_interpreters, value: PER_INTERPRETER_GIL_SUPPORTED as *mut c_void },
        PyModuleDef_Slot { slot: 0, value: null_mut() },
    ]
}

pub type ExecFn = unsafe extern "C" fn(*mut PyObject) -> core::ffi::c_int;

/// A module def in the shape every builtin one here has.
pub const fn def(
    name: &'static core::ffi::CStr,
    doc: &'static core::ffi::CStr,
    size: usize,
    methods: *mut PyMethodDef,
    slots: *mut PyModuleDef_Slot,
    free: freefunc,
) -> PyModuleDef {
    PyModuleDef {
        m_base: PyModuleDef_Base {
            ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: null_mut() },
            m_init: None,
            m_index: 0,
            m_copy: null_mut(),
        },
        m_name: name.as_ptr(),
        m_doc: doc.as_ptr(),
        m_size: size as Py_ssize_t,
        m_methods: methods,
        m_slots: slots,
        m_traverse: None,
        m_clear: None,
        m_free: free,
    }
}

/// Adds `value` (borrowed) to module `m` as `name`.
pub fn add(ts: Ts, m: *mut PyObject, name: &str, value: *mut PyObject) -> PyResult<()> {
    module::set_str_attr(ts, module::dict_of(m), name, value)
}

/// Adds a static exception class to module `m` under its short name.
pub fn add_exception(ts: Ts, m: *mut PyObject, e: Exc) -> PyResult<()> {
    let ty = exceptions::exc(e);
    let full = crate::objects::typeobject::type_name(ty);
    let short = full.rsplit('.').next().unwrap_or(full);
    add(ts, m, short, ty as *mut PyObject)
}

/// Adds the int `v` to module `m` as `name`.
pub fn add_int(ts: Ts, m: *mut PyObject, name: &str, v: i64) -> PyResult<()> {
    let o = long::from_i64(ts, v)?;
    let r = add(ts, m, name, o);
    // SAFETY: made above.
    unsafe { decref(o) };
    r
}

/// An int argument that must fit an `i64` (CPython's `Py_ssize_t`/`long long` ones).
pub fn int_arg(ts: Ts, o: *mut PyObject) -> PyResult<i64> {
    long::as_long_long(ts, o)
}

/// A `block`-style flag: any object, by its truth.
pub fn truth(ts: Ts, o: Option<*mut PyObject>, default: bool) -> PyResult<bool> {
    match o {
        None => Ok(default),
        Some(o) => crate::protocols::object::is_true(ts, o),
    }
}

/// A `timeout` argument in seconds: None (or absent) is no limit; a negative or NaN
/// value is the `ValueError` CPython's waits raise.
pub fn timeout_arg(ts: Ts, o: Option<*mut PyObject>) -> PyResult<Option<f64>> {
    let Some(o) = o.filter(|&o| o != singletons::none()) else { return Ok(None) };
    let t = float::as_double(ts, o)?;
    if t.is_nan() {
        return Err(errors::value_error(ts, "Invalid value NaN (not a number)"));
    }
    if t < 0.0 {
        return Err(errors::value_error(ts, "timeout value must be non-negative"));
    }
    Ok(Some(t))
}

/// A str argument as Rust text.
pub fn str_arg(ts: Ts, o: *mut PyObject, what: &str) -> PyResult<String> {
    if !unicode::check(o) {
        let name = crate::objects::typeobject::type_name(object::type_of(o));
        return Err(errors::type_error(ts, &format!("{what} must be str, not {name}")));
    }
    Ok(unicode::to_string_lossy(o))
}

/// A `METH_FASTCALL | METH_KEYWORDS` function (of a module, or a method: the first
/// parameter is the module or `self`) whose parameters, the first `$positional` of
/// them positional-or-keyword and the rest keyword-only, are bound (CPython's messages) before `$body` runs.
macro_rules! module_function {
    ($c:ident, $name:literal, [$($p:literal),*], $required:expr, $positional:expr, $body:expr) => {
        unsafe extern "C" fn $c(
            module: *mut PyObject,
            args: *const *mut PyObject,
            nargs: Py_ssize_t,
            kwnames: *mut PyObject,
        ) -> *mut PyObject {
            crate::runtime::boundary::slot(|ts| {
                const NAMES: &[&str] = &[$($p),*];
                const P: $crate::objects::methodargs::Params = $crate::objects::methodargs::Params {
                    function: $name,
                    names: NAMES,
                    required: $required,
                    positional: $positional,
                    keyword_from: 0,
                };
                let a = $crate::objects::methodargs::bind::<{ NAMES.len() }>(ts, &P, args, nargs, kwnames)?;
                #[allow(clippy::redundant_closure_call)]
                ($body)(ts, module, a)
            })
        }
    };
}

pub(crate) use module_function;

/// The bound arguments of a module function.
pub type Args<const N: usize> = [Option<*mut PyObject>; N];

/// A required argument (binding checked it is there).
pub fn given(a: Option<*mut PyObject>) -> *mut PyObject {
    a.expect("a required argument")
}
