//! Interpreters as the interpreters modules see them: found by id, created and
//! destroyed from another interpreter, and borrowed to run something in. Running in
//! another interpreter attaches a thread state of it on the calling OS thread (the
//! caller's is detached meanwhile, so its GIL is free), as CPython's cross-interpreter
//! calls do. Only plain Rust data (a `Shared`, strings) crosses between the two.
//!
//! An interpreter is *running* while this module runs something in it (or destroys
//! it): the flag is claimed and given back under the registry lock, so a destroy and a
//! call cannot both take the same interpreter, and one already running elsewhere is
//! refused with `InterpreterError`, as CPython refuses it.

use super::share::{self, Shared};
use crate::abi::*;
use crate::objects::exceptions::{self, Exc};
use crate::objects::object::{self, decref};
use crate::objects::{long, unicode};
use crate::protocols::{attr, object as objproto};
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::interp::{PyInterpreterState, WHENCE_STDLIB};
use crate::runtime::lifecycle::{self, LEGACY_CONFIG};
use crate::runtime::thread::Ts;
use crate::runtime::{self as rt, switch};
use std::sync::atomic::Ordering;

/// `_interpreters.create()`'s default: CPython's "isolated" configuration.
pub(crate) const ISOLATED_CONFIG: PyInterpreterConfig = PyInterpreterConfig {
    use_main_obmalloc: 0,
    allow_fork: 0,
    allow_exec: 0,
    allow_threads: 1,
    allow_daemon_threads: 0,
    check_multi_interp_extensions: 1,
    gil: PyInterpreterConfig_OWN_GIL,
};

fn interpreter_error(ts: Ts, message: &str) -> Raised {
    errors::set_string(ts, exceptions::exc(Exc::InterpreterError), message)
}

fn not_found(ts: Ts, id: i64) -> Raised {
    let message = format!("unrecognized interpreter ID {id}");
    errors::set_string(ts, exceptions::exc(Exc::InterpreterNotFoundError), &message)
}

/// An interpreter id argument, checked as CPython checks it.
pub fn id_arg(ts: Ts, o: *mut PyObject) -> PyResult<i64> {
    if !long::check(o) {
        let name = crate::objects::typeobject::type_name(object::type_of(o));
        return Err(errors::type_error(ts, &format!("interpreter ID must be an int, got {name}")));
    }
    let (v, overflow) = long::as_i64_and_overflow(ts, o)?;
    if overflow > 0 {
        return Err(errors::overflow_error(ts, "int too big to convert"));
    }
    if overflow < 0 || v < 0 {
        let shown = long::to_decimal(ts, o)?;
        return Err(errors::value_error(ts, &format!("interpreter ID must be a non-negative int, got {shown}")));
    }
    Ok(v)
}

/// The live interpreter with this id, if any (looked up under the registry lock).
fn lookup(id: i64) -> Option<*mut PyInterpreterState> {
    rt::interpreters().into_iter().find(|&i| {
        // SAFETY: `interpreters` lists live interpreters; ids never change.
        unsafe { (*i).id == id }
    })
}

/// Whether the interpreter with this id exists; `InterpreterNotFoundError` if not.
pub fn check_exists(ts: Ts, id: i64) -> PyResult<()> {
    lookup(id).map(|_| ()).ok_or_else(|| not_found(ts, id))
}

/// `(id, whence)` of every interpreter, oldest first.
pub fn list_all() -> Vec<(i64, i32)> {
    let mut all: Vec<(i64, i32)> = rt::interpreters()
        .into_iter()
        // SAFETY: the registry lists live interpreters.
        .map(|i| unsafe { ((*i).id, (*i).whence.load(Ordering::Relaxed)) })
        .collect();
    all.sort_unstable();
    all
}

/// `(id, whence)` of the interpreter with this id.
pub fn whence(ts: Ts, id: i64) -> PyResult<i32> {
    let i = lookup(id).ok_or_else(|| not_found(ts, id))?;
    // SAFETY: found live just now; whence is atomic.
    Ok(unsafe { (*i).whence.load(Ordering::Relaxed) })
}

pub fn current_id(ts: Ts) -> (i64, i32) {
    let i = ts.interp();
    (i.id, i.whence.load(Ordering::Relaxed))
}

pub fn is_running(ts: Ts, id: i64) -> PyResult<bool> {
    let i = lookup(id).ok_or_else(|| not_found(ts, id))?;
    // SAFETY: found live just now; the flag is atomic.
    Ok(unsafe { (*i).running.load(Ordering::Acquire) })
}

/// Why an interpreter could not be claimed.
enum Unclaimable {
    NotFound,
    Running,
}

/// Finds the interpreter and marks it running, both under the registry lock.
fn claim(id: i64) -> Result<*mut PyInterpreterState, Unclaimable> {
    let r = rt::REGISTRY.lock();
    let mut i = r.head;
    while !i.is_null() {
        // SAFETY: walking the registry under its lock.
        unsafe {
            if (*i).id == id {
                return match (*i).running.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire) {
                    Ok(_) => Ok(i),
                    Err(_) => Err(Unclaimable::Running),
                };
            }
            i = (*i).next;
        }
    }
    Err(Unclaimable::NotFound)
}

fn unclaim(interp: *mut PyInterpreterState) {
    let _r = rt::REGISTRY.lock();
    // SAFETY: a claimed interpreter is not destroyed until it is given back.
    unsafe { (*interp).running.store(false, Ordering::Release) };
}

fn claim_or_raise(ts: Ts, id: i64, running_message: &str) -> PyResult<*mut PyInterpreterState> {
    claim(id).map_err(|why| match why {
        Unclaimable::NotFound => not_found(ts, id),
        Unclaimable::Running => interpreter_error(ts, running_message),
    })
}

/// Creates an interpreter (isolated, or legacy) and returns its id; the caller's
/// thread state stays current.
pub fn create(ts: Ts, legacy: bool) -> PyResult<i64> {
    let config = if legacy { LEGACY_CONFIG } else { ISOLATED_CONFIG };
    let caller = ts.0;
    let made = lifecycle::new_interpreter(&config);
    let result = match made {
        Ok(new_ts) => {
            // SAFETY: the fresh interpreter's first thread state, current on this thread.
            let id = unsafe {
                let interp = (*new_ts).interp;
                (*interp).whence.store(WHENCE_STDLIB, Ordering::Relaxed);
                (*interp).id
            };
            Ok(id)
        }
        Err(_) => Err(()),
    };
    if crate::runtime::thread::Ts::current_raw() != caller {
        switch::detach_current();
        switch::attach(caller);
    }
    result.map_err(|()| interpreter_error(ts, "interpreter creation failed"))
}

/// Ends the interpreter with this id, from another one.
pub fn destroy(ts: Ts, id: i64) -> PyResult<()> {
    if ts.interp().id == id {
        return Err(interpreter_error(ts, "cannot destroy the current interpreter"));
    }
    if id == 0 {
        return Err(interpreter_error(ts, "cannot destroy the main interpreter"));
    }
    let interp = claim_or_raise(ts, id, "interpreter running")?;
    let caller = switch::detach_current();
    // SAFETY: claimed, so live until we end it; its first thread state is not in use
    // while its GIL is ours.
    let ended = unsafe {
        let t = (*interp).tstate_head;
        switch::attach(t);
        if (*interp).thread_count() > 1 {
            switch::detach_current();
            false
        } else {
            lifecycle::end_interpreter(t).is_ok()
        }
    };
    switch::attach(caller);
    if !ended {
        unclaim(interp);
        return Err(interpreter_error(ts, "cannot destroy an interpreter that has other threads"));
    }
    Ok(())
}

/// Runs `f` in the interpreter with this id, on this OS thread, and returns what it
/// gives. `f` must leave no exception set in the thread state it is given.
pub fn run_in<R>(ts: Ts, id: i64, f: impl FnOnce(Ts) -> R) -> PyResult<R> {
    let interp = claim_or_raise(ts, id, "interpreter already running")?;
    if std::ptr::eq(interp, ts.interp()) {
        let r = f(ts);
        unclaim(interp);
        return Ok(r);
    }
    let caller = switch::detach_current();
    let state = switch::ensure(interp);
    let target = Ts::current().expect("ensure attached a thread state");
    let r = f(target);
    errors::clear(target);
    switch::release(state);
    switch::attach(caller);
    unclaim(interp);
    Ok(r)
}

/// An exception that happened in another interpreter, as text (its objects stay
/// behind): what `ExecutionFailed` reports.
#[derive(Debug, Clone, Default)]
pub struct Failure {
    pub type_name: String,
    pub type_qualname: String,
    pub type_module: String,
    pub msg: String,
}

fn str_attr(ts: Ts, o: *mut PyObject, name: &str) -> String {
    match attr::getattr_str(ts, o, name) {
        Ok(v) => {
            let s = if unicode::check(v) { unicode::to_string_lossy(v) } else { String::new() };
            // SAFETY: the attribute fetched above.
            unsafe { decref(v) };
            s
        }
        Err(_) => {
            errors::clear(ts);
            String::new()
        }
    }
}

/// Takes the exception set on `ts` and describes it.
pub fn capture(ts: Ts) -> Failure {
    let exc = errors::take_raised(ts);
    if exc.is_null() {
        return Failure { type_name: "SystemError".into(), ..Default::default() };
    }
    let ty = object::type_of(exc) as *mut PyObject;
    let msg = match objproto::str(ts, exc) {
        Ok(s) => {
            let text = unicode::to_string_lossy(s);
            // SAFETY: the str made above.
            unsafe { decref(s) };
            text
        }
        Err(_) => {
            errors::clear(ts);
            String::new()
        }
    };
    let failure = Failure {
        type_name: str_attr(ts, ty, "__name__"),
        type_qualname: str_attr(ts, ty, "__qualname__"),
        type_module: str_attr(ts, ty, "__module__"),
        msg,
    };
    // SAFETY: the exception taken above.
    unsafe { decref(exc) };
    failure
}

impl Failure {
    /// `ExecutionFailed`'s message: `Type: message`, or the type alone.
    pub fn summary(&self) -> String {
        if self.msg.is_empty() {
            self.type_name.clone()
        } else {
            format!("{}: {}", self.type_name, self.msg)
        }
    }

    /// CPython's excinfo: a namespace with `type` (a namespace of `__name__`,
    /// `__qualname__`, `__module__`), `msg`, `formatted` and `errdisplay`.
    pub fn excinfo(&self, ts: Ts) -> PyResult<*mut PyObject> {
        let strs = [
            unicode::from_str(ts, &self.type_name),
            unicode::from_str(ts, &self.type_qualname),
            unicode::from_str(ts, &self.type_module),
            unicode::from_str(ts, &self.msg),
            unicode::from_str(ts, &self.summary()),
        ];
        let made: PyResult<Vec<*mut PyObject>> = strs.iter().cloned().collect();
        let r = made.as_ref().map_err(|&e| e).and_then(|s| {
            let ty = crate::objects::namespace::new(
                ts,
                &[("__name__", s[0]), ("__qualname__", s[1]), ("__module__", s[2])],
            )?;
            let none = crate::objects::singletons::none();
            let ns = crate::objects::namespace::new(
                ts,
                &[("type", ty), ("msg", s[3]), ("formatted", s[4]), ("errdisplay", none)],
            );
            // SAFETY: the namespace took its own reference.
            unsafe { decref(ty) };
            ns
        });
        for o in strs.into_iter().flatten() {
            // SAFETY: each made above.
            unsafe { decref(o) };
        }
        r
    }

    /// Raises `ExecutionFailed` for this failure, with its `excinfo` attribute set.
    pub fn raise(&self, ts: Ts) -> Raised {
        let made = (|| -> PyResult<*mut PyObject> {
            let msg = unicode::from_str(ts, &self.summary())?;
            let e = exceptions::instantiate(ts, exceptions::exc(Exc::ExecutionFailed), msg);
            // SAFETY: made above.
            unsafe { decref(msg) };
            let e = e?;
            let info = self.excinfo(ts);
            let set = info.and_then(|info| {
                let r = unicode::from_str(ts, "excinfo").and_then(|name| {
                    let r = attr::setattr(ts, e, name, info);
                    // SAFETY: made above.
                    unsafe { decref(name) };
                    r
                });
                // SAFETY: made above.
                unsafe { decref(info) };
                r
            });
            if let Err(err) = set {
                // SAFETY: ours.
                unsafe { decref(e) };
                return Err(err);
            }
            Ok(e)
        })();
        match made {
            Ok(e) => {
                errors::set_raised(ts, e);
                Raised
            }
            Err(r) => r,
        }
    }
}

/// Packs `o` in `ts`, describing a failure to pack as the target's failure.
fn pack_or_capture(ts: Ts, o: PyResult<*mut PyObject>) -> Result<Shared, Failure> {
    let o = o.map_err(|_| capture(ts))?;
    let packed = share::pack(ts, o);
    // SAFETY: the result handed to us.
    unsafe { decref(o) };
    packed.map_err(|_| capture(ts))
}

/// Imports `module` and follows the dotted `qualname` in `ts`.
fn resolve(ts: Ts, module: &str, qualname: &str) -> PyResult<*mut PyObject> {
    let mut o = crate::runtime::import::import_module(ts, module)?;
    for part in qualname.split('.') {
        let next = attr::getattr_str(ts, o, part);
        // SAFETY: the previous step's new reference.
        unsafe { decref(o) };
        o = next?;
    }
    Ok(o)
}

/// A callable named by reference: where to find it again in another interpreter.
pub struct CallableRef {
    pub module: String,
    pub qualname: String,
}

/// How another interpreter can find `callable`: only callables implemented in C,
/// found as `module.qualname` (builtin functions of modules), can be sent until
/// Python code runs; anything else is a `TypeError`.
pub fn callable_ref(ts: Ts, callable: *mut PyObject) -> PyResult<CallableRef> {
    let refuse = |ts: Ts| {
        let name = crate::objects::typeobject::type_name(object::type_of(callable));
        errors::type_error(
            ts,
            &format!(
                "only builtin functions of modules can be called in another interpreter until isle runs Python code, not {name}"
            ),
        )
    };
    if !crate::objects::methodobject::check(callable) {
        return Err(refuse(ts));
    }
    let module = str_attr(ts, callable, "__module__");
    let mut qualname = str_attr(ts, callable, "__qualname__");
    if qualname.is_empty() {
        qualname = str_attr(ts, callable, "__name__");
    }
    if module.is_empty() || qualname.is_empty() {
        return Err(refuse(ts));
    }
    Ok(CallableRef { module, qualname })
}

/// Calls the callable `what` names in interpreter `id` with the shared arguments,
/// and gives back its result, shared, or what it raised there.
pub fn call_in(
    ts: Ts,
    id: i64,
    what: &CallableRef,
    args: &Shared,
    kwargs: &Shared,
) -> PyResult<Result<Shared, Failure>> {
    run_in(ts, id, |t| {
        let f = resolve(t, &what.module, &what.qualname).map_err(|_| capture(t))?;
        let call = || -> PyResult<*mut PyObject> {
            let a = share::unpack(t, args)?;
            let k = share::unpack(t, kwargs);
            let r = k.and_then(|k| {
                let r = crate::protocols::call::call(t, f, a, k);
                // SAFETY: made above.
                unsafe { decref(k) };
                r
            });
            // SAFETY: made above.
            unsafe { decref(a) };
            r
        };
        let r = pack_or_capture(t, call());
        // SAFETY: resolved above.
        unsafe { decref(f) };
        r
    })
}

/// Sets `values` (a shared dict) as attributes of `__main__` in interpreter `id`.
pub fn set_main_attrs(ts: Ts, id: i64, values: &Shared) -> PyResult<Result<(), Failure>> {
    run_in(ts, id, |t| {
        let fill = || -> PyResult<()> {
            let name = unicode::from_str(t, "__main__")?;
            let main = crate::runtime::import::add_module(t, name);
            // SAFETY: made above.
            unsafe { decref(name) };
            // Borrowed from sys.modules.
            let main = main?;
            let d = share::unpack(t, values);
            d.and_then(|d| {
                let r = crate::objects::dict::merge(t, crate::objects::module::dict_of(main), d, true);
                // SAFETY: made above.
                unsafe { decref(d) };
                r
            })
        };
        fill().map_err(|_| capture(t))
    })
}
