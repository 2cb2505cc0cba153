//! `_interpqueues`: CPython 3.13's low-level queue module, by queue id, over
//! `queue.rs`. Its names, signatures, return shapes and exceptions are 3.13's.
//!
//! 3.13 counts references to a queue by id (`create` and `bind` take one, `release`
//! gives one back, `destroy` ends the queue at once). Those references are handles
//! kept here, process-wide; queues made by `concurrent.interpreters` are held by
//! their objects instead, and both kinds answer to every function here. What isle
//! does not need is only reported: items outlive their sender, so `unboundop` is
//! checked and kept but never applied, and an item's `fmt` is its queue's.

use super::modules::{self, add_exception, given, int_arg, module_function, Args};
use super::queue::{PyDefaults, Queue, Refusal, Wait};
use super::share;
use crate::abi::*;
use crate::objects::exceptions::{self, Exc};
use crate::objects::methodargs::{fast_kw, END};
use crate::objects::object::decref;
use crate::objects::{bool_, list, long, singletons, tuple};
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::Arc;

/// A queue and how many references `create` and `bind` took on it.
type Bound = HashMap<i64, (Arc<Queue>, usize)>;

/// The references `create` and `bind` took, by queue id.
static BOUND: Mutex<Option<Bound>> = Mutex::new(None);

/// At the runtime's end: the references nobody gave back go (CPython's queues end
/// with the runtime too).
pub fn release_all() {
    let all = BOUND.lock().take();
    drop(all);
}

fn not_found(ts: Ts, id: i64) -> Raised {
    let message = format!("queue {id} not found");
    errors::set_string(ts, exceptions::exc(Exc::QueueNotFoundError), &message)
}

/// The queue a `qid` argument names.
fn queue_arg(ts: Ts, o: *mut PyObject) -> PyResult<Arc<Queue>> {
    let id = int_arg(ts, o)?;
    Queue::find(id).ok_or_else(|| not_found(ts, id))
}

/// Raises what a refused put or get means for queue `id`.
pub fn raise_refusal(ts: Ts, id: i64, r: Refusal) -> Raised {
    let (e, what) = match r {
        Refusal::Empty => (Exc::QueueEmpty, "empty"),
        Refusal::Full => (Exc::QueueFull, "full"),
        Refusal::Closed => (Exc::QueueClosedError, "closed"),
    };
    errors::set_string(ts, exceptions::exc(e), &format!("queue {id} is {what}"))
}

/// 3.13's UNBOUND (1), UNBOUND_ERROR (2) and UNBOUND_REMOVE (3).
fn unboundop_arg(ts: Ts, o: *mut PyObject) -> PyResult<i64> {
    let op = int_arg(ts, o)?;
    if !(1..=3).contains(&op) {
        return Err(errors::value_error(ts, &format!("unsupported unboundop {op}")));
    }
    Ok(op)
}

fn int_tuple(ts: Ts, values: &[i64]) -> PyResult<*mut PyObject> {
    let mut objs = Vec::with_capacity(values.len());
    for &v in values {
        match long::from_i64(ts, v) {
            Ok(o) => objs.push(o),
            Err(e) => {
                release(&objs);
                return Err(e);
            }
        }
    }
    let t = tuple::pack(ts, &objs);
    release(&objs);
    t
}

fn release(objs: &[*mut PyObject]) {
    for &o in objs {
        // SAFETY: each a new reference of the caller's.
        unsafe { decref(o) };
    }
}

module_function!(q_create, "create", ["maxsize", "fmt", "unboundop"], 3, 3, |ts: Ts,
                                                                             _m: *mut PyObject,
                                                                             a: Args<3>|
 -> PyResult<*mut PyObject> {
    let maxsize = int_arg(ts, given(a[0]))?;
    let fmt = int_arg(ts, given(a[1]))?;
    let unboundop = unboundop_arg(ts, given(a[2]))?;
    let bound = if maxsize > 0 { maxsize as usize } else { 0 };
    let q = Queue::with_defaults(bound, 0, PyDefaults { maxsize, fmt, unboundop });
    let id = q.id;
    BOUND.lock().get_or_insert_with(HashMap::new).insert(id, (q, 1));
    long::from_i64(ts, id)
});

module_function!(q_destroy, "destroy", ["qid"], 1, 1, |ts: Ts,
                                                       _m: *mut PyObject,
                                                       a: Args<1>|
 -> PyResult<*mut PyObject> {
    let q = queue_arg(ts, given(a[0]))?;
    let held = BOUND.lock().as_mut().and_then(|m| m.remove(&q.id));
    q.destroy();
    drop(held);
    Ok(singletons::none())
});

module_function!(q_list_all, "list_all", [], 0, 0, |ts: Ts,
                                                    _m: *mut PyObject,
                                                    _a: Args<0>|
 -> PyResult<*mut PyObject> {
    let l = list::new(ts, 0)?;
    for q in Queue::all().into_iter().rev() {
        let d = q.defaults;
        let r = int_tuple(ts, &[q.id, d.fmt, d.unboundop]).and_then(|t| {
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
});

module_function!(q_put, "put", ["qid", "obj", "fmt", "unboundop"], 4, 4, |ts: Ts,
                                                                          _m: *mut PyObject,
                                                                          a: Args<4>|
 -> PyResult<*mut PyObject> {
    let q = queue_arg(ts, given(a[0]))?;
    int_arg(ts, given(a[2]))?;
    unboundop_arg(ts, given(a[3]))?;
    let value = share::pack(ts, given(a[1]))?;
    q.put(Some(ts), value, Wait::No).map_err(|r| raise_refusal(ts, q.id, r))?;
    Ok(singletons::none())
});

module_function!(q_get, "get", ["qid"], 1, 1, |ts: Ts, _m: *mut PyObject, a: Args<1>| -> PyResult<*mut PyObject> {
    let q = queue_arg(ts, given(a[0]))?;
    let value = q.get(Some(ts), Wait::No).map_err(|r| raise_refusal(ts, q.id, r))?;
    let obj = share::unpack(ts, &value)?;
    let fmt = long::from_i64(ts, q.defaults.fmt);
    let t = fmt.and_then(|fmt| {
        let t = tuple::pack(ts, &[obj, fmt, singletons::none()]);
        // SAFETY: made above.
        unsafe { decref(fmt) };
        t
    });
    // SAFETY: made above.
    unsafe { decref(obj) };
    t
});

module_function!(q_bind, "bind", ["qid"], 1, 1, |ts: Ts, _m: *mut PyObject, a: Args<1>| -> PyResult<*mut PyObject> {
    let q = queue_arg(ts, given(a[0]))?;
    let mut map = BOUND.lock();
    map.get_or_insert_with(HashMap::new).entry(q.id).or_insert_with(|| (Arc::clone(&q), 0)).1 += 1;
    Ok(singletons::none())
});

module_function!(q_release, "release", ["qid"], 1, 1, |ts: Ts,
                                                       _m: *mut PyObject,
                                                       a: Args<1>|
 -> PyResult<*mut PyObject> {
    let q = queue_arg(ts, given(a[0]))?;
    let gone = {
        let mut map = BOUND.lock();
        let m = map.get_or_insert_with(HashMap::new);
        match m.get_mut(&q.id) {
            Some(entry) if entry.1 > 1 => {
                entry.1 -= 1;
                None
            }
            Some(_) => m.remove(&q.id),
            None => None,
        }
    };
    // The last reference ends the queue, as in CPython, whoever else holds it.
    if gone.is_some() {
        q.destroy();
    }
    drop(gone);
    Ok(singletons::none())
});

module_function!(q_get_maxsize, "get_maxsize", ["qid"], 1, 1, |ts: Ts,
                                                               _m: *mut PyObject,
                                                               a: Args<1>|
 -> PyResult<*mut PyObject> {
    let q = queue_arg(ts, given(a[0]))?;
    long::from_i64(ts, q.defaults.maxsize)
});

module_function!(q_get_queue_defaults, "get_queue_defaults", ["qid"], 1, 1, |ts: Ts,
                                                                             _m: *mut PyObject,
                                                                             a: Args<1>|
 -> PyResult<*mut PyObject> {
    let q = queue_arg(ts, given(a[0]))?;
    int_tuple(ts, &[q.defaults.fmt, q.defaults.unboundop])
});

module_function!(q_is_full, "is_full", ["qid"], 1, 1, |ts: Ts,
                                                       _m: *mut PyObject,
                                                       a: Args<1>|
 -> PyResult<*mut PyObject> {
    let q = queue_arg(ts, given(a[0]))?;
    Ok(bool_::from_bool(q.is_full()))
});

module_function!(q_get_count, "get_count", ["qid"], 1, 1, |ts: Ts,
                                                           _m: *mut PyObject,
                                                           a: Args<1>|
 -> PyResult<*mut PyObject> {
    let q = queue_arg(ts, given(a[0]))?;
    long::from_i64(ts, q.len() as i64)
});

static mut METHODS: [PyMethodDef; 12] = [
    fast_kw(c"create", q_create),
    fast_kw(c"destroy", q_destroy),
    fast_kw(c"list_all", q_list_all),
    fast_kw(c"put", q_put),
    fast_kw(c"get", q_get),
    fast_kw(c"bind", q_bind),
    fast_kw(c"release", q_release),
    fast_kw(c"get_maxsize", q_get_maxsize),
    fast_kw(c"get_queue_defaults", q_get_queue_defaults),
    fast_kw(c"is_full", q_is_full),
    fast_kw(c"get_count", q_get_count),
    END,
];

unsafe extern "C" fn exec(m: *mut PyObject) -> core::ffi::c_int {
    boundary::slot(|ts| {
        [Exc::QueueError, Exc::QueueNotFoundError, Exc::QueueEmpty, Exc::QueueFull, Exc::QueueClosedError]
            .into_iter()
            .try_for_each(|e| add_exception(ts, m, e))
    })
}

static mut SLOTS: [PyModuleDef_Slot; 3] = modules::slots(exec);

static mut DEF: PyModuleDef = modules::def(
    c"_interpqueues",
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
