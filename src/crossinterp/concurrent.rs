//! `concurrent.interpreters` (CPython 3.14's high-level module; also imported as
//! `interpreters`) and its `concurrent` package. `Interpreter` and `Queue` are heap
//! types made from specs when the module is executed, one pair per interpreter, kept
//! in the module's state; a queue object holds a handle on its queue, so a queue
//! lives while any interpreter has an object for it (or a queued value holds it).
//!
//! Differences from 3.14, until isle runs Python code: `exec` raises
//! `InterpreterError`; `call` takes callables implemented in C (see `run.rs`);
//! `call_in_thread` is absent; an `Interpreter` object does not own its
//! interpreter (one made by `create()` lives until `close()` or the runtime's end);
//! `unbounditems` is accepted and ignored, since no item is ever unbound.

use super::interpqueues::raise_refusal;
use super::interpreters::{self, check_restricted};
use super::modules::{self, add_exception, given, module_function, Args};
use super::queue::{PyDefaults, Queue, Wait};
use super::{run, share};
use crate::abi::*;
use crate::objects::exceptions::Exc;
use crate::objects::methodargs::{fast_kw, simple, END};
use crate::objects::object::{self, decref, type_of};
use crate::objects::typeobject::getset;
use crate::objects::{bool_, dict, list, long, module, singletons, tuple, unicode};
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ffi::{c_int, c_void};
use core::ptr::null_mut;
use std::sync::Arc;

// ---------------------------------------------------------------------------------
// The `concurrent` package

unsafe extern "C" fn exec_package(m: *mut PyObject) -> c_int {
    boundary::slot(|ts| {
        // An empty `__path__` makes it a package with no submodules on disk.
        let path = list::new(ts, 0)?;
        let r = modules::add(ts, m, "__path__", path);
        // SAFETY: made above.
        unsafe { decref(path) };
        r
    })
}

static mut PACKAGE_SLOTS: [PyModuleDef_Slot; 3] = modules::slots(exec_package);

static mut PACKAGE_DEF: PyModuleDef = modules::def(
    c"concurrent",
    c"isle's concurrent package: only its interpreters module.",
    0,
    null_mut(),
    &raw mut PACKAGE_SLOTS as *mut PyModuleDef_Slot,
    None,
);

pub unsafe extern "C" fn init_package() -> *mut PyObject {
    boundary::guard(|| module::init_def(&raw mut PACKAGE_DEF))
}

// ---------------------------------------------------------------------------------
// Module state

/// What each interpreter's module keeps: its two types (owned references).
#[repr(C)]
struct State {
    interpreter_type: *mut PyTypeObject,
    queue_type: *mut PyTypeObject,
}

fn state(m: *mut PyObject) -> Option<&'static mut State> {
    let p = module::state_of(m) as *mut State;
    // SAFETY: the module's state block, `size_of::<State>()` zeroed bytes, while the
    // module lives.
    (!p.is_null()).then(|| unsafe { &mut *p })
}

fn drop_state(m: *mut PyObject) {
    if let Some(s) = state(m) {
        // SAFETY: owned references or null.
        unsafe {
            object::xdecref(core::mem::replace(&mut s.interpreter_type, null_mut()) as *mut PyObject);
            object::xdecref(core::mem::replace(&mut s.queue_type, null_mut()) as *mut PyObject);
        }
    }
}

unsafe extern "C" fn module_clear(m: *mut PyObject) -> c_int {
    boundary::guard(|| {
        drop_state(m);
        0
    })
}

unsafe extern "C" fn module_free(m: *mut c_void) {
    boundary::guard(|| drop_state(m as *mut PyObject))
}

/// This interpreter's module state (importing the module when needed).
fn current_state(ts: Ts) -> PyResult<&'static mut State> {
    let m = crate::runtime::import::import_module(ts, "concurrent.interpreters")?;
    let s = state(m);
    // SAFETY: sys.modules keeps the module (and so its state) alive.
    unsafe { decref(m) };
    s.filter(|s| !s.queue_type.is_null())
        .ok_or_else(|| errors::system_error(ts, "concurrent.interpreters is not initialized"))
}

// ---------------------------------------------------------------------------------
// Queue objects

#[repr(C)]
struct QueueObject {
    ob_base: PyObject,
    /// A handle (`Arc::into_raw`), released by the dealloc.
    queue: *const Queue,
}

fn queue_ref<'a>(o: *mut PyObject) -> &'a Queue {
    // SAFETY: `o` is a QueueObject (the caller checked its type), whose handle lives
    // as long as it does.
    unsafe { &*(*(o as *mut QueueObject)).queue }
}

fn is_queue_object(o: *mut PyObject) -> bool {
    // SAFETY: every object has a type.
    let dealloc = unsafe { (*type_of(o)).tp_dealloc };
    dealloc.is_some_and(|d| core::ptr::fn_addr_eq(d, queue_dealloc as unsafe extern "C" fn(_)))
}

/// The queue behind an `interpreters.Queue` object of any interpreter (for packing).
pub fn queue_of(o: *mut PyObject) -> Option<Arc<Queue>> {
    if !is_queue_object(o) {
        return None;
    }
    let raw = queue_ref(o) as *const Queue;
    // SAFETY: the object's handle is a live Arc; we add one of our own.
    unsafe {
        Arc::increment_strong_count(raw);
        Some(Arc::from_raw(raw))
    }
}

/// A `Queue` object of the current interpreter for `q` (a new reference).
pub fn new_queue_object(ts: Ts, q: Arc<Queue>) -> PyResult<*mut PyObject> {
    let ty = current_state(ts)?.queue_type;
    let o = object::alloc_object(ts, ty, 0)?;
    // SAFETY: a fresh QueueObject.
    unsafe { (*(o as *mut QueueObject)).queue = Arc::into_raw(q) };
    Ok(o)
}

unsafe extern "C" fn queue_dealloc(o: *mut PyObject) {
    boundary::guard(|| {
        // SAFETY: the object is dying; its handle (if set) is released once.
        unsafe {
            let q = (*(o as *mut QueueObject)).queue;
            if !q.is_null() {
                drop(Arc::from_raw(q));
            }
            object::free_object(o);
        }
    })
}

unsafe extern "C" fn queue_new(_ty: *mut PyTypeObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        if !kwargs.is_null() && dict::len(kwargs) > 0 || tuple::size(args) != 1 {
            return Err(errors::type_error(ts, "Queue() takes exactly one argument (the queue id)"));
        }
        let id = modules::int_arg(ts, tuple::item(args, 0))?;
        let q = Queue::find(id).ok_or_else(|| {
            let message = format!("queue {id} not found");
            errors::set_string(ts, crate::objects::exceptions::exc(Exc::QueueNotFoundError), &message)
        })?;
        new_queue_object(ts, q)
    })
}

unsafe extern "C" fn queue_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| unicode::from_str(ts, &format!("Queue({})", queue_ref(o).id)))
}

unsafe extern "C" fn queue_hash(o: *mut PyObject) -> Py_hash_t {
    boundary::guard(|| hash_of_id(queue_ref(o).id))
}

/// The hash of an id, as `hash(int)` gives for it (ids are never negative).
fn hash_of_id(id: i64) -> Py_hash_t {
    id as Py_hash_t
}

/// `==`/`!=` by id, for `Queue` and `Interpreter` objects of one type.
fn compare_ids(a: i64, b: Option<i64>, op: c_int) -> *mut PyObject {
    match (b, op) {
        (Some(b), Py_EQ) => bool_::from_bool(a == b),
        (Some(b), Py_NE) => bool_::from_bool(a != b),
        _ => singletons::not_implemented(),
    }
}

unsafe extern "C" fn queue_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    boundary::guard(|| {
        let other = is_queue_object(b).then(|| queue_ref(b).id);
        compare_ids(queue_ref(a).id, other, op)
    })
}

unsafe extern "C" fn queue_get_id(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::slot(|ts| long::from_i64(ts, queue_ref(o).id))
}

unsafe extern "C" fn queue_get_maxsize(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::slot(|ts| long::from_i64(ts, queue_ref(o).defaults.maxsize))
}

/// How long a put or get with these `block` and `timeout` arguments may wait.
fn wait_arg(ts: Ts, block: Option<*mut PyObject>, timeout: Option<*mut PyObject>) -> PyResult<Wait> {
    if !modules::truth(ts, block, true)? {
        return Ok(Wait::No);
    }
    Ok(match modules::timeout_arg(ts, timeout)? {
        None => Wait::Forever,
        Some(t) => Wait::from_seconds(t).expect("NaN was refused"),
    })
}

fn put(ts: Ts, o: *mut PyObject, obj: *mut PyObject, wait: Wait) -> PyResult<*mut PyObject> {
    let q = queue_ref(o);
    let value = share::pack(ts, obj)?;
    q.put(Some(ts), value, wait).map_err(|r| raise_refusal(ts, q.id, r))?;
    Ok(singletons::none())
}

fn get(ts: Ts, o: *mut PyObject, wait: Wait) -> PyResult<*mut PyObject> {
    let q = queue_ref(o);
    let value = q.get(Some(ts), wait).map_err(|r| raise_refusal(ts, q.id, r))?;
    share::unpack(ts, &value)
}

module_function!(queue_put, "put", ["obj", "block", "timeout", "unbounditems"], 1, 3, |ts: Ts,
                                                                                       o: *mut PyObject,
                                                                                       a: Args<4>|
 -> PyResult<*mut PyObject> {
    let wait = wait_arg(ts, a[1], a[2])?;
    put(ts, o, given(a[0]), wait)
});

module_function!(queue_put_nowait, "put_nowait", ["obj", "unbounditems"], 1, 1, |ts: Ts,
                                                                                 o: *mut PyObject,
                                                                                 a: Args<2>|
 -> PyResult<*mut PyObject> {
    put(ts, o, given(a[0]), Wait::No)
});

module_function!(queue_get, "get", ["block", "timeout"], 0, 2, |ts: Ts,
                                                                o: *mut PyObject,
                                                                a: Args<2>|
 -> PyResult<*mut PyObject> {
    let wait = wait_arg(ts, a[0], a[1])?;
    get(ts, o, wait)
});

unsafe extern "C" fn queue_get_nowait(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| get(ts, o, Wait::No))
}

unsafe extern "C" fn queue_empty(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| bool_::from_bool(queue_ref(o).is_empty()))
}

unsafe extern "C" fn queue_full(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| bool_::from_bool(queue_ref(o).is_full()))
}

unsafe extern "C" fn queue_qsize(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| long::from_i64(ts, queue_ref(o).len() as i64))
}

unsafe extern "C" fn queue_close(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| {
        queue_ref(o).close();
        singletons::none()
    })
}

static mut QUEUE_METHODS: [PyMethodDef; 9] = [
    fast_kw(c"put", queue_put),
    fast_kw(c"put_nowait", queue_put_nowait),
    fast_kw(c"get", queue_get),
    simple(c"get_nowait", queue_get_nowait, METH_NOARGS),
    simple(c"empty", queue_empty, METH_NOARGS),
    simple(c"full", queue_full, METH_NOARGS),
    simple(c"qsize", queue_qsize, METH_NOARGS),
    simple(c"close", queue_close, METH_NOARGS),
    END,
];

static mut QUEUE_GETSET: [PyGetSetDef; 3] =
    [getset(c"id", queue_get_id), getset(c"maxsize", queue_get_maxsize), GETSET_END];

const GETSET_END: PyGetSetDef =
    PyGetSetDef { name: core::ptr::null(), get: None, set: None, doc: core::ptr::null(), closure: null_mut() };

const fn type_slot(slot: c_int, pfunc: *mut c_void) -> PyType_Slot {
    PyType_Slot { slot, pfunc }
}

static mut QUEUE_SLOTS: [PyType_Slot; 9] = [
    type_slot(Py_tp_dealloc, queue_dealloc as *mut c_void),
    type_slot(Py_tp_new, queue_new as *mut c_void),
    type_slot(Py_tp_repr, queue_repr as *mut c_void),
    type_slot(Py_tp_hash, queue_hash as *mut c_void),
    type_slot(Py_tp_richcompare, queue_richcompare as *mut c_void),
    type_slot(Py_tp_methods, &raw mut QUEUE_METHODS as *mut c_void),
    type_slot(Py_tp_getset, &raw mut QUEUE_GETSET as *mut c_void),
    type_slot(Py_tp_doc, c"A cross-interpreter queue.".as_ptr() as *mut c_void),
    type_slot(0, null_mut()),
];

static mut QUEUE_SPEC: PyType_Spec = PyType_Spec {
    name: c"concurrent.interpreters.Queue".as_ptr(),
    basicsize: core::mem::size_of::<QueueObject>() as c_int,
    itemsize: 0,
    flags: (Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE) as core::ffi::c_uint,
    slots: &raw mut QUEUE_SLOTS as *mut PyType_Slot,
};

// ---------------------------------------------------------------------------------
// Interpreter objects

#[repr(C)]
struct InterpreterObject {
    ob_base: PyObject,
    id: i64,
}

fn interp_id(o: *mut PyObject) -> i64 {
    // SAFETY: `o` is an InterpreterObject (methods and slots of its type only).
    unsafe { (*(o as *mut InterpreterObject)).id }
}

fn is_interpreter_object(o: *mut PyObject) -> bool {
    // SAFETY: every object has a type.
    let dealloc = unsafe { (*type_of(o)).tp_dealloc };
    dealloc.is_some_and(|d| core::ptr::fn_addr_eq(d, interpreter_dealloc as unsafe extern "C" fn(_)))
}

/// The id behind an `interpreters.Interpreter` object of any interpreter (for packing).
pub fn interpreter_id_of(o: *mut PyObject) -> Option<i64> {
    is_interpreter_object(o).then(|| interp_id(o))
}

/// An `Interpreter` object of the current interpreter for `id` (for unpacking; the
/// interpreter may have ended since, as an object for a closed one can say).
pub fn new_interpreter_object_here(ts: Ts, id: i64) -> PyResult<*mut PyObject> {
    let ty = current_state(ts)?.interpreter_type;
    new_interpreter_object(ts, ty, id)
}

/// An `Interpreter` object for `id` (a new reference); the caller checked it exists.
fn new_interpreter_object(ts: Ts, ty: *mut PyTypeObject, id: i64) -> PyResult<*mut PyObject> {
    let o = object::alloc_object(ts, ty, 0)?;
    // SAFETY: a fresh InterpreterObject.
    unsafe { (*(o as *mut InterpreterObject)).id = id };
    Ok(o)
}

unsafe extern "C" fn interpreter_dealloc(o: *mut PyObject) {
    // SAFETY: the object is dying and holds nothing.
    boundary::guard(|| unsafe { object::free_object(o) })
}

unsafe extern "C" fn interpreter_new(
    ty: *mut PyTypeObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    boundary::slot(|ts| {
        if !kwargs.is_null() && dict::len(kwargs) > 0 || tuple::size(args) != 1 {
            return Err(errors::type_error(ts, "Interpreter() takes exactly one argument (the interpreter id)"));
        }
        let arg = tuple::item(args, 0);
        if !long::check(arg) {
            let name = crate::objects::typeobject::type_name(type_of(arg));
            return Err(errors::type_error(ts, &format!("id must be an int, got {name}")));
        }
        let id = run::id_arg(ts, arg)?;
        run::check_exists(ts, id)?;
        new_interpreter_object(ts, ty, id)
    })
}

unsafe extern "C" fn interpreter_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| unicode::from_str(ts, &format!("Interpreter({})", interp_id(o))))
}

unsafe extern "C" fn interpreter_hash(o: *mut PyObject) -> Py_hash_t {
    boundary::guard(|| hash_of_id(interp_id(o)))
}

unsafe extern "C" fn interpreter_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    boundary::guard(|| compare_ids(interp_id(a), is_interpreter_object(b).then(|| interp_id(b)), op))
}

unsafe extern "C" fn interpreter_get_id(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::slot(|ts| long::from_i64(ts, interp_id(o)))
}

/// 3.14's names for the `WHENCE_*` values.
fn whence_text(whence: i32) -> &'static str {
    match whence {
        1 => "runtime init",
        2 => "legacy C-API",
        3 => "C-API",
        4 => "cross-interpreter C-API",
        5 => "_interpreters module",
        _ => "unknown",
    }
}

unsafe extern "C" fn interpreter_get_whence(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::slot(|ts| unicode::from_str(ts, whence_text(run::whence(ts, interp_id(o))?)))
}

unsafe extern "C" fn interpreter_is_running(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| run::is_running(ts, interp_id(o)).map(bool_::from_bool))
}

unsafe extern "C" fn interpreter_close(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        let id = interp_id(o);
        check_restricted(ts, id, true, "destroy")?;
        run::destroy(ts, id).map(|()| singletons::none())
    })
}

unsafe extern "C" fn interpreter_exec(o: *mut PyObject, _code: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        let id = interp_id(o);
        check_restricted(ts, id, true, "exec")?;
        interpreters::exec(ts, id)
    })
}

/// `prepare_main(ns=None, /, **kwargs)`: `dict(ns, **kwargs)` into `__main__`.
unsafe extern "C" fn interpreter_prepare_main(
    o: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    boundary::slot(|ts| {
        let id = interp_id(o);
        if tuple::size(args) > 1 {
            let n = tuple::size(args);
            return Err(errors::type_error(
                ts,
                &format!("prepare_main() takes at most 1 positional argument ({n} given)"),
            ));
        }
        check_restricted(ts, id, true, "prepare __main__ of")?;
        let ns = dict::new(ts)?;
        let filled = (|| -> PyResult<()> {
            if tuple::size(args) == 1 && tuple::item(args, 0) != singletons::none() {
                let given = tuple::item(args, 0);
                if !dict::check(given) {
                    return Err(errors::type_error(ts, "prepare_main() argument must be a dict"));
                }
                dict::merge(ts, ns, given, true)?;
            }
            if !kwargs.is_null() {
                dict::merge(ts, ns, kwargs, true)?;
            }
            interpreters::set_main_attrs(ts, id, ns)
        })();
        // SAFETY: made above.
        unsafe { decref(ns) };
        filled.map(|()| singletons::none())
    })
}

/// `call(callable, /, *args, **kwargs)`: the result, or `ExecutionFailed`.
unsafe extern "C" fn interpreter_call(o: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        let id = interp_id(o);
        if tuple::size(args) < 1 {
            return Err(errors::type_error(ts, "call() missing required argument 'callable' (pos 1)"));
        }
        check_restricted(ts, id, true, "call")?;
        let callable = tuple::item(args, 0);
        let rest = tuple::slice(ts, args, 1, tuple::size(args))?;
        let kw = (!kwargs.is_null()).then_some(kwargs);
        let r = interpreters::call(ts, id, callable, Some(rest), kw);
        // SAFETY: made above.
        unsafe { decref(rest) };
        match r? {
            Ok(result) => Ok(result),
            Err(failure) => Err(failure.raise(ts)),
        }
    })
}

type VarArgsKw = unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject;

const fn varargs_kw(name: &'static core::ffi::CStr, f: VarArgsKw) -> PyMethodDef {
    // SAFETY: CPython's convention: METH_VARARGS | METH_KEYWORDS functions are stored cast to PyCFunction.
    let meth = unsafe { core::mem::transmute::<VarArgsKw, crate::objects::methodargs::NoArgs>(f) };
    PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: Some(meth),
        ml_flags: METH_VARARGS | METH_KEYWORDS,
        ml_doc: core::ptr::null(),
    }
}

static mut INTERPRETER_METHODS: [PyMethodDef; 6] = [
    simple(c"is_running", interpreter_is_running, METH_NOARGS),
    simple(c"close", interpreter_close, METH_NOARGS),
    simple(c"exec", interpreter_exec, METH_O),
    varargs_kw(c"prepare_main", interpreter_prepare_main),
    varargs_kw(c"call", interpreter_call),
    END,
];

static mut INTERPRETER_GETSET: [PyGetSetDef; 3] =
    [getset(c"id", interpreter_get_id), getset(c"whence", interpreter_get_whence), GETSET_END];

static mut INTERPRETER_SLOTS: [PyType_Slot; 9] = [
    type_slot(Py_tp_dealloc, interpreter_dealloc as *mut c_void),
    type_slot(Py_tp_new, interpreter_new as *mut c_void),
    type_slot(Py_tp_repr, interpreter_repr as *mut c_void),
    type_slot(Py_tp_hash, interpreter_hash as *mut c_void),
    type_slot(Py_tp_richcompare, interpreter_richcompare as *mut c_void),
    type_slot(Py_tp_methods, &raw mut INTERPRETER_METHODS as *mut c_void),
    type_slot(Py_tp_getset, &raw mut INTERPRETER_GETSET as *mut c_void),
    type_slot(Py_tp_doc, c"A single Python interpreter.".as_ptr() as *mut c_void),
    type_slot(0, null_mut()),
];

static mut INTERPRETER_SPEC: PyType_Spec = PyType_Spec {
    name: c"concurrent.interpreters.Interpreter".as_ptr(),
    basicsize: core::mem::size_of::<InterpreterObject>() as c_int,
    itemsize: 0,
    flags: (Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE) as core::ffi::c_uint,
    slots: &raw mut INTERPRETER_SLOTS as *mut PyType_Slot,
};

// ---------------------------------------------------------------------------------
// Module functions

fn interpreter_type(ts: Ts, m: *mut PyObject) -> PyResult<*mut PyTypeObject> {
    state(m)
        .map(|s| s.interpreter_type)
        .filter(|t| !t.is_null())
        .ok_or_else(|| errors::system_error(ts, "concurrent.interpreters is not initialized"))
}

module_function!(m_create, "create", [], 0, 0, |ts: Ts, m: *mut PyObject, _a: Args<0>| -> PyResult<*mut PyObject> {
    let ty = interpreter_type(ts, m)?;
    let id = run::create(ts, false)?;
    new_interpreter_object(ts, ty, id)
});

module_function!(m_list_all, "list_all", [], 0, 0, |ts: Ts,
                                                    m: *mut PyObject,
                                                    _a: Args<0>|
 -> PyResult<*mut PyObject> {
    let ty = interpreter_type(ts, m)?;
    let l = list::new(ts, 0)?;
    for (id, _) in run::list_all() {
        let r = new_interpreter_object(ts, ty, id).and_then(|o| {
            let r = list::append(ts, l, o);
            // SAFETY: made above.
            unsafe { decref(o) };
            r
        });
        if let Err(e) = r {
            // SAFETY: ours.
            unsafe { decref(l) };
            return Err(e);
        }
    }
    Ok(l)
});

module_function!(m_get_current, "get_current", [], 0, 0, |ts: Ts,
                                                          m: *mut PyObject,
                                                          _a: Args<0>|
 -> PyResult<*mut PyObject> {
    new_interpreter_object(ts, interpreter_type(ts, m)?, run::current_id(ts).0)
});

module_function!(m_get_main, "get_main", [], 0, 0, |ts: Ts,
                                                    m: *mut PyObject,
                                                    _a: Args<0>|
 -> PyResult<*mut PyObject> {
    new_interpreter_object(ts, interpreter_type(ts, m)?, 0)
});

module_function!(m_create_queue, "create_queue", ["maxsize", "unbounditems"], 0, 1, |ts: Ts,
                                                                                     _m: *mut PyObject,
                                                                                     a: Args<2>|
 -> PyResult<*mut PyObject> {
    let maxsize = match a[0] {
        None => -1,
        Some(o) => modules::int_arg(ts, o)?,
    };
    let bound = if maxsize > 0 { maxsize as usize } else { 0 };
    let q = Queue::with_defaults(bound, 0, PyDefaults { maxsize, fmt: 0, unboundop: 1 });
    new_queue_object(ts, q)
});

module_function!(m_is_shareable, "is_shareable", ["obj"], 1, 1, |ts: Ts,
                                                                 _m: *mut PyObject,
                                                                 a: Args<1>|
 -> PyResult<*mut PyObject> {
    Ok(bool_::from_bool(share::is_shareable(ts, given(a[0]))))
});

static mut MODULE_METHODS: [PyMethodDef; 7] = [
    fast_kw(c"create", m_create),
    fast_kw(c"list_all", m_list_all),
    fast_kw(c"get_current", m_get_current),
    fast_kw(c"get_main", m_get_main),
    fast_kw(c"create_queue", m_create_queue),
    fast_kw(c"is_shareable", m_is_shareable),
    END,
];

/// Makes the module's types (kept in its state and named in its dict) and adds the
/// exception classes.
unsafe extern "C" fn exec_module(m: *mut PyObject) -> c_int {
    boundary::slot(|ts| -> PyResult<()> {
        let s = state(m).ok_or_else(|| errors::system_error(ts, "module state missing"))?;
        let from_spec =
            |spec: *const PyType_Spec| crate::objects::typespec::from_metaclass(ts, null_mut(), m, spec, null_mut());
        s.interpreter_type = from_spec(&raw const INTERPRETER_SPEC)?;
        modules::add(ts, m, "Interpreter", s.interpreter_type as *mut PyObject)?;
        s.queue_type = from_spec(&raw const QUEUE_SPEC)?;
        modules::add(ts, m, "Queue", s.queue_type as *mut PyObject)?;
        for e in [
            Exc::InterpreterError,
            Exc::InterpreterNotFoundError,
            Exc::ExecutionFailed,
            Exc::NotShareableError,
            Exc::QueueError,
            Exc::QueueNotFoundError,
            Exc::QueueEmpty,
            Exc::QueueFull,
            Exc::QueueClosedError,
        ] {
            add_exception(ts, m, e)?;
        }
        Ok(())
    })
}

static mut MODULE_SLOTS: [PyModuleDef_Slot; 3] = modules::slots(exec_module);

static mut MODULE_DEF: PyModuleDef = PyModuleDef {
    m_clear: Some(module_clear),
    ..modules::def(
        c"concurrent.interpreters",
        c"Multiple interpreters in one process (PEP 734).",
        core::mem::size_of::<State>(),
        &raw mut MODULE_METHODS as *mut PyMethodDef,
        &raw mut MODULE_SLOTS as *mut PyModuleDef_Slot,
        Some(module_free),
    )
};

pub unsafe extern "C" fn init_module() -> *mut PyObject {
    boundary::guard(|| module::init_def(&raw mut MODULE_DEF))
}
