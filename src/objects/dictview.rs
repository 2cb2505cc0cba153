//! The views `dict.keys()`, `dict.values()` and `dict.items()` return: `dict_keys`,
//! `dict_values` and `dict_items`, each holding its dict and showing its current
//! entries (length, iteration, `in`, repr).

use super::iterobject::{self, DictIterKind};
use super::object::{self, decref, new_ref, type_of};
use super::typeobject::type_name;
use super::{dict, tuple, unicode};
use crate::abi::*;
use crate::protocols::{mapping, object as objproto};
use crate::runtime::boundary;
use crate::runtime::errors::PyResult;
use crate::runtime::thread::Ts;
use core::ffi::c_int;

/// CPython's `_PyDictViewObject`: the header and the dict.
#[repr(C)]
pub struct DictViewObject {
    ob_base: PyObject,
    dv_dict: *mut PyObject,
}

static mut KEYS_AS_SEQUENCE: PySequenceMethods = view_sequence(keys_contains);
static mut VALUES_AS_SEQUENCE: PySequenceMethods = view_sequence(values_contains);
static mut ITEMS_AS_SEQUENCE: PySequenceMethods = view_sequence(items_contains);

const fn view_sequence(contains: unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> c_int) -> PySequenceMethods {
    PySequenceMethods {
        sq_length: Some(view_length),
        sq_concat: None,
        sq_repeat: None,
        sq_item: None,
        was_sq_slice: core::ptr::null_mut(),
        sq_ass_item: None,
        was_sq_ass_slice: core::ptr::null_mut(),
        sq_contains: Some(contains),
        sq_inplace_concat: None,
        sq_inplace_repeat: None,
    }
}

const fn view_type(
    name: &'static core::ffi::CStr,
    sequence: *mut PySequenceMethods,
    iter: unsafe extern "C" fn(*mut PyObject) -> *mut PyObject,
) -> PyTypeObject {
    PyTypeObject {
        tp_dealloc: Some(view_dealloc),
        tp_repr: Some(view_repr),
        tp_iter: Some(iter),
        tp_as_sequence: sequence,
        tp_flags: Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_DISALLOW_INSTANTIATION,
        tp_free: object::DEFAULT_FREE,
        ..PyTypeObject::blank(name, core::mem::size_of::<DictViewObject>(), 0)
    }
}

#[no_mangle]
pub static mut PyDictKeys_Type: PyTypeObject = view_type(c"dict_keys", &raw mut KEYS_AS_SEQUENCE, keys_iter);
#[no_mangle]
pub static mut PyDictValues_Type: PyTypeObject = view_type(c"dict_values", &raw mut VALUES_AS_SEQUENCE, values_iter);
#[no_mangle]
pub static mut PyDictItems_Type: PyTypeObject = view_type(c"dict_items", &raw mut ITEMS_AS_SEQUENCE, items_iter);

pub fn static_types() -> [*mut PyTypeObject; 3] {
    [&raw mut PyDictKeys_Type, &raw mut PyDictValues_Type, &raw mut PyDictItems_Type]
}

/// A new view of `kind` over dict `d`.
pub fn new(ts: Ts, d: *mut PyObject, kind: DictIterKind) -> PyResult<*mut PyObject> {
    let ty = match kind {
        DictIterKind::Keys => &raw mut PyDictKeys_Type,
        DictIterKind::Values => &raw mut PyDictValues_Type,
        DictIterKind::Items => &raw mut PyDictItems_Type,
    };
    let v = object::alloc_fixed::<DictViewObject>(ts, ty)?;
    // SAFETY: a fresh view; it holds a reference to its dict.
    unsafe { (*v).dv_dict = new_ref(d) };
    Ok(v as *mut PyObject)
}

fn dict_of(v: *mut PyObject) -> *mut PyObject {
    // SAFETY: the slots below receive views.
    unsafe { (*(v as *mut DictViewObject)).dv_dict }
}

fn kind_of(v: *mut PyObject) -> DictIterKind {
    let t = type_of(v);
    if t == &raw mut PyDictKeys_Type {
        DictIterKind::Keys
    } else if t == &raw mut PyDictValues_Type {
        DictIterKind::Values
    } else {
        DictIterKind::Items
    }
}

unsafe extern "C" fn view_dealloc(v: *mut PyObject) {
    boundary::guard(|| unsafe {
        decref(dict_of(v));
        object::free_object(v);
    })
}

unsafe extern "C" fn view_length(v: *mut PyObject) -> Py_ssize_t {
    boundary::guard(|| dict::len(dict_of(v)))
}

unsafe extern "C" fn keys_iter(v: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| iterobject::dict_iter(ts, dict_of(v), DictIterKind::Keys))
}

unsafe extern "C" fn values_iter(v: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| iterobject::dict_iter(ts, dict_of(v), DictIterKind::Values))
}

unsafe extern "C" fn items_iter(v: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| iterobject::dict_iter(ts, dict_of(v), DictIterKind::Items))
}

unsafe extern "C" fn keys_contains(v: *mut PyObject, key: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| dict::contains(ts, dict_of(v), key).map_or(-1, c_int::from))
}

unsafe extern "C" fn values_contains(v: *mut PyObject, x: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| contains_value(ts, dict_of(v), x).map_or(-1, c_int::from))
}

unsafe extern "C" fn items_contains(v: *mut PyObject, x: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| contains_item(ts, dict_of(v), x).map_or(-1, c_int::from))
}

/// `x in d.values()`: compared with each value, each held while compared.
fn contains_value(ts: Ts, d: *mut PyObject, x: *mut PyObject) -> PyResult<bool> {
    let values = super::containers::OwnedRefs::of(&dict::entries(d).iter().map(|e| e.value).collect::<Vec<_>>());
    for &v in &values.0 {
        if objproto::richcompare_bool(ts, v, x, Py_EQ)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `(k, v) in d.items()`: `k` is a key whose value equals `v`.
fn contains_item(ts: Ts, d: *mut PyObject, x: *mut PyObject) -> PyResult<bool> {
    if !tuple::check(x) || tuple::size(x) != 2 {
        return Ok(false);
    }
    let Some(found) = dict::get_item(ts, d, tuple::item(x, 0))? else { return Ok(false) };
    // SAFETY: held across the comparison, which may run code that changes the dict.
    let found = unsafe { new_ref(found) };
    let r = objproto::richcompare_bool(ts, found, tuple::item(x, 1), Py_EQ);
    unsafe { decref(found) };
    r
}

unsafe extern "C" fn view_repr(v: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| repr(ts, v))
}

/// `dict_keys(['a', 'b'])`: the type's name around the repr of a list of the entries.
fn repr(ts: Ts, v: *mut PyObject) -> PyResult<*mut PyObject> {
    let view = match kind_of(v) {
        DictIterKind::Keys => mapping::View::Keys,
        DictIterKind::Values => mapping::View::Values,
        DictIterKind::Items => mapping::View::Items,
    };
    let entries = mapping::view_list(ts, dict_of(v), view)?;
    let inner = objproto::repr(ts, entries);
    unsafe { decref(entries) };
    let inner = inner?;
    let text = format!("{}({})", type_name(type_of(v)), unicode::to_string_lossy(inner));
    unsafe { decref(inner) };
    unicode::from_str(ts, &text)
}
