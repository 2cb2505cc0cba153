//! `_interpreters`: CPython's low-level interpreter module, by interpreter id, over
//! `run.rs`. Names, signatures and exceptions are 3.13's, with two differences isle
//! needs: `call` takes callables implemented in C (found again by module and name in
//! the target) and returns `(result, excinfo)` as 3.14's does, since 3.13's could not
//! return a result; and `exec` raises `InterpreterError` until isle runs Python code.

use super::modules::{self, add_exception, add_int, given, module_function, Args};
use super::run::{self, Failure};
use super::share::{self, Shared};
use crate::abi::*;
use crate::objects::exceptions::{self, Exc};
use crate::objects::methodargs::{fast_kw, END};
use crate::objects::object::decref;
use crate::objects::{bool_, dict, list, long, singletons, tuple};
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::interp::{WHENCE_CAPI, WHENCE_LEGACY_CAPI, WHENCE_RUNTIME, WHENCE_STDLIB};
use crate::runtime::thread::Ts;

/// What `exec` says until the evaluator exists.
pub const NO_EVALUATOR: &str = "running Python source is not supported yet (isle has no evaluator)";

fn id_whence_tuple(ts: Ts, id: i64, whence: i32) -> PyResult<*mut PyObject> {
    let a = long::from_i64(ts, id)?;
    let b = long::from_i64(ts, whence as i64);
    let t = b.and_then(|b| {
        let t = tuple::pack(ts, &[a, b]);
        // SAFETY: made above.
        unsafe { decref(b) };
        t
    });
    // SAFETY: made above.
    unsafe { decref(a) };
    t
}

/// `restrict=True`: only interpreters this module made may be changed.
pub fn check_restricted(ts: Ts, id: i64, restrict: bool, op: &str) -> PyResult<()> {
    if restrict && run::whence(ts, id)? != WHENCE_STDLIB {
        let message = format!("cannot {op} interpreter {id}: it was not created by the interpreters module");
        return Err(errors::set_string(ts, exceptions::exc(Exc::InterpreterError), &message));
    }
    Ok(())
}

/// `config`: None or a predefined configuration's name; true for "legacy".
fn config_arg(ts: Ts, o: Option<*mut PyObject>) -> PyResult<bool> {
    let Some(o) = o.filter(|&o| o != singletons::none()) else { return Ok(false) };
    match modules::str_arg(ts, o, "config")?.as_str() {
        "isolated" | "default" => Ok(false),
        "legacy" => Ok(true),
        other => Err(errors::value_error(ts, &format!("unsupported config name '{other}'"))),
    }
}

/// Raises `InterpreterError` for a failure in the target, as CPython reports an
/// exception that `set___main___attrs` met there.
fn raise_failure(ts: Ts, f: &Failure) -> crate::runtime::errors::Raised {
    f.raise(ts)
}

/// Packs the `args`/`kwargs` of `call` (None or absent: empty).
fn call_arguments(ts: Ts, args: Option<*mut PyObject>, kwargs: Option<*mut PyObject>) -> PyResult<(Shared, Shared)> {
    let args = args.filter(|&o| o != singletons::none());
    let kwargs = kwargs.filter(|&o| o != singletons::none());
    let a = match args {
        None => Shared::Tuple(Box::new([])),
        Some(o) if tuple::check_exact(o) => share::pack(ts, o)?,
        Some(_) => return Err(errors::type_error(ts, "call() args must be a tuple")),
    };
    let k = match kwargs {
        None => Shared::Dict(Box::new([])),
        Some(o) if dict::check_exact(o) => share::pack(ts, o)?,
        Some(_) => return Err(errors::type_error(ts, "call() kwargs must be a dict")),
    };
    Ok((a, k))
}

/// Calls `callable` in interpreter `id`: its result, or `Failure` for what it raised.
pub fn call(
    ts: Ts,
    id: i64,
    callable: *mut PyObject,
    args: Option<*mut PyObject>,
    kwargs: Option<*mut PyObject>,
) -> PyResult<Result<*mut PyObject, Failure>> {
    run::check_exists(ts, id)?;
    let what = run::callable_ref(ts, callable)?;
    let (a, k) = call_arguments(ts, args, kwargs)?;
    match run::call_in(ts, id, &what, &a, &k)? {
        Ok(result) => share::unpack(ts, &result).map(Ok),
        Err(failure) => Ok(Err(failure)),
    }
}

/// `set___main___attrs`: `updates` (a dict of shareable values) into `__main__`.
pub fn set_main_attrs(ts: Ts, id: i64, updates: *mut PyObject) -> PyResult<()> {
    run::check_exists(ts, id)?;
    if !dict::check(updates) {
        return Err(errors::type_error(ts, "expected a dict"));
    }
    if dict::entries(updates).iter().any(|e| !crate::objects::unicode::check(e.key)) {
        return Err(errors::type_error(ts, "bad argument type for built-in operation"));
    }
    let values = share::pack(ts, updates)?;
    run::set_main_attrs(ts, id, &values)?.map_err(|f| raise_failure(ts, &f))
}

module_function!(i_create, "create", ["config", "reqrefs"], 0, 1, |ts: Ts,
                                                                   _m: *mut PyObject,
                                                                   a: Args<2>|
 -> PyResult<*mut PyObject> {
    let legacy = config_arg(ts, a[0])?;
    long::from_i64(ts, run::create(ts, legacy)?)
});

module_function!(i_destroy, "destroy", ["id", "restrict"], 1, 1, |ts: Ts,
                                                                  _m: *mut PyObject,
                                                                  a: Args<2>|
 -> PyResult<*mut PyObject> {
    let id = run::id_arg(ts, given(a[0]))?;
    check_restricted(ts, id, modules::truth(ts, a[1], false)?, "destroy")?;
    run::destroy(ts, id)?;
    Ok(singletons::none())
});

/// `[(id, whence), ...]`, oldest first.
pub fn list_all(ts: Ts) -> PyResult<*mut PyObject> {
    let l = list::new(ts, 0)?;
    for (id, whence) in run::list_all() {
        let r = id_whence_tuple(ts, id, whence).and_then(|t| {
            let r = list::append(ts, l, t);
            // SAFETY: made above.
            unsafe { decref(t) };
            r
        });
        if let Err(e) = r {
            // SAFETY: ours.
            unsafe { decref(l) };
            return Err(e);
        }
    }
    Ok(l)
}

module_function!(i_list_all, "list_all", ["require_ready"], 0, 0, |ts: Ts,
                                                                   _m: *mut PyObject,
                                                                   _a: Args<1>|
 -> PyResult<*mut PyObject> { list_all(ts) });

module_function!(i_get_current, "get_current", [], 0, 0, |ts: Ts,
                                                          _m: *mut PyObject,
                                                          _a: Args<0>|
 -> PyResult<*mut PyObject> {
    let (id, whence) = run::current_id(ts);
    id_whence_tuple(ts, id, whence)
});

module_function!(i_get_main, "get_main", [], 0, 0, |ts: Ts,
                                                    _m: *mut PyObject,
                                                    _a: Args<0>|
 -> PyResult<*mut PyObject> {
    id_whence_tuple(ts, 0, WHENCE_RUNTIME)
});

module_function!(i_whence, "whence", ["id"], 1, 1, |ts: Ts,
                                                    _m: *mut PyObject,
                                                    a: Args<1>|
 -> PyResult<*mut PyObject> {
    let id = run::id_arg(ts, given(a[0]))?;
    long::from_i64(ts, run::whence(ts, id)? as i64)
});

module_function!(i_is_running, "is_running", ["id", "restrict"], 1, 1, |ts: Ts,
                                                                        _m: *mut PyObject,
                                                                        a: Args<2>|
 -> PyResult<*mut PyObject> {
    let id = run::id_arg(ts, given(a[0]))?;
    check_restricted(ts, id, modules::truth(ts, a[1], false)?, "check")?;
    Ok(bool_::from_bool(run::is_running(ts, id)?))
});

/// `exec`: the interpreter must exist; then the evaluator is missing.
pub fn exec(ts: Ts, id: i64) -> PyResult<*mut PyObject> {
    run::check_exists(ts, id)?;
    Err(errors::set_string(ts, exceptions::exc(Exc::InterpreterError), NO_EVALUATOR))
}

module_function!(i_exec, "exec", ["id", "code", "shared", "restrict"], 2, 3, |ts: Ts,
                                                                              _m: *mut PyObject,
                                                                              a: Args<4>|
 -> PyResult<*mut PyObject> {
    let id = run::id_arg(ts, given(a[0]))?;
    check_restricted(ts, id, modules::truth(ts, a[3], false)?, "exec")?;
    exec(ts, id)
});

module_function!(
    i_call,
    "call",
    ["id", "callable", "args", "kwargs", "preserve_exc", "restrict"],
    2,
    4,
    |ts: Ts, _m: *mut PyObject, a: Args<6>| -> PyResult<*mut PyObject> {
        let id = run::id_arg(ts, given(a[0]))?;
        check_restricted(ts, id, modules::truth(ts, a[5], false)?, "call")?;
        let (result, excinfo) = match call(ts, id, given(a[1]), a[2], a[3])? {
            Ok(r) => (r, singletons::none()),
            Err(failure) => (singletons::none(), failure.excinfo(ts)?),
        };
        let t = tuple::pack(ts, &[result, excinfo]);
        // SAFETY: both are new references of ours (None is immortal).
        unsafe {
            decref(result);
            decref(excinfo);
        }
        t
    }
);

module_function!(i_set_main_attrs, "set___main___attrs", ["id", "updates", "restrict"], 2, 2, |ts: Ts,
                                                                                               _m: *mut PyObject,
                                                                                               a: Args<3>|
 -> PyResult<
    *mut PyObject,
> {
    let id = run::id_arg(ts, given(a[0]))?;
    check_restricted(ts, id, modules::truth(ts, a[2], false)?, "update __main__ of")?;
    set_main_attrs(ts, id, given(a[1]))?;
    Ok(singletons::none())
});

module_function!(i_is_shareable, "is_shareable", ["obj"], 1, 1, |ts: Ts,
                                                                 _m: *mut PyObject,
                                                                 a: Args<1>|
 -> PyResult<*mut PyObject> {
    Ok(bool_::from_bool(share::is_shareable(ts, given(a[0]))))
});

static mut METHODS: [PyMethodDef; 12] = [
    fast_kw(c"create", i_create),
    fast_kw(c"destroy", i_destroy),
    fast_kw(c"list_all", i_list_all),
    fast_kw(c"get_current", i_get_current),
    fast_kw(c"get_main", i_get_main),
    fast_kw(c"whence", i_whence),
    fast_kw(c"is_running", i_is_running),
    fast_kw(c"exec", i_exec),
    fast_kw(c"call", i_call),
    fast_kw(c"set___main___attrs", i_set_main_attrs),
    fast_kw(c"is_shareable", i_is_shareable),
    END,
];

unsafe extern "C" fn exec_module(m: *mut PyObject) -> core::ffi::c_int {
    boundary::slot(|ts| -> PyResult<()> {
        for e in [Exc::InterpreterError, Exc::InterpreterNotFoundError, Exc::NotShareableError] {
            add_exception(ts, m, e)?;
        }
        let whence = [
            ("WHENCE_UNKNOWN", 0),
            ("WHENCE_RUNTIME", WHENCE_RUNTIME),
            ("WHENCE_LEGACY_CAPI", WHENCE_LEGACY_CAPI),
            ("WHENCE_CAPI", WHENCE_CAPI),
            ("WHENCE_XI", 4),
            ("WHENCE_STDLIB", WHENCE_STDLIB),
        ];
        for (name, v) in whence {
            add_int(ts, m, name, v as i64)?;
        }
        Ok(())
    })
}

static mut SLOTS: [PyModuleDef_Slot; 3] = modules::slots(exec_module);

static mut DEF: PyModuleDef = modules::def(
    c"_interpreters",
    c"This module provides primitive operations to manage Python interpreters.\nThe 'interpreters' module provides a more convenient interface.",
    0,
    &raw mut METHODS as *mut PyMethodDef,
    &raw mut SLOTS as *mut PyModuleDef_Slot,
    None,
);

/// The init function the importer calls.
pub unsafe extern "C" fn init() -> *mut PyObject {
    boundary::guard(|| crate::objects::module::init_def(&raw mut DEF))
}
