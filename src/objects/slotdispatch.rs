//! Slots that call dunder methods: a class made by `type(name, bases, dict)` whose dict
//! defines `__len__`, `__add__`, ... gets, in the matching C slots, functions that look
//! the dunder up on the instance's type (through its MRO, `typestate::lookup`) and call
//! it, as CPython's `slot_*` functions do. The looked-up attribute is bound to the
//! instance only when its type has `__get__` (a method descriptor, a slot wrapper); a
//! builtin function stored in a class is called as is, without the instance, as in
//! CPython.

use super::object::{self, decref, new_ref, type_of};
use super::typeobject::type_name;
use super::{bool_, dict, exceptions, long, singletons, tuple, unicode};
use crate::abi::*;
use crate::protocols::{call, number, object::check_result};
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ffi::c_int;
use core::ptr::null_mut;

/// The dunder `name` of `self_`'s type, bound to `self_` when its type has `__get__`
/// (a new reference), or `None` when no type of the MRO defines it.
pub(crate) fn lookup_bound(ts: Ts, self_: *mut PyObject, name: &str) -> PyResult<Option<*mut PyObject>> {
    let key = unicode::intern_str(ts, name)?;
    let ty = type_of(self_);
    let found = super::typestate::lookup(ts, ty, key);
    // SAFETY: our reference to the interned name; the interned table keeps it.
    unsafe { decref(key) };
    let attr = found?;
    if attr.is_null() {
        return Ok(None);
    }
    // SAFETY: a live attribute of a live type.
    match unsafe { (*type_of(attr)).tp_descr_get } {
        Some(get) => check_result(ts, unsafe { get(attr, self_, ty as *mut PyObject) }, "__get__").map(Some),
        None => Ok(Some(unsafe { new_ref(attr) })),
    }
}

fn missing(ts: Ts, name: &str) -> Raised {
    errors::set_string(ts, exceptions::exc(exceptions::Exc::AttributeError), name)
}

/// Calls the dunder `name` of `self_` with `args`; `AttributeError` when it is missing.
fn call_dunder(ts: Ts, self_: *mut PyObject, name: &str, args: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    let Some(f) = lookup_bound(ts, self_, name)? else { return Err(missing(ts, name)) };
    let r = call::call_slice(ts, f, args);
    // SAFETY: the reference lookup_bound gave.
    unsafe { decref(f) };
    r
}

/// As `call_dunder`, but a missing dunder gives `NotImplemented`.
fn call_maybe(ts: Ts, self_: *mut PyObject, name: &str, args: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    match lookup_bound(ts, self_, name)? {
        None => Ok(unsafe { new_ref(singletons::not_implemented()) }),
        Some(f) => {
            let r = call::call_slice(ts, f, args);
            // SAFETY: the reference lookup_bound gave.
            unsafe { decref(f) };
            r
        }
    }
}

fn or_null(r: PyResult<*mut PyObject>) -> *mut PyObject {
    r.unwrap_or(null_mut())
}

fn status(r: PyResult<()>) -> c_int {
    match r {
        Ok(()) => 0,
        Err(Raised) => -1,
    }
}

/// Drops a result that only says "no error".
fn discard(r: PyResult<*mut PyObject>) -> PyResult<()> {
    // SAFETY: a new reference from a call.
    r.map(|o| unsafe { decref(o) })
}

macro_rules! unary_slots {
    ($($f:ident = $name:literal;)*) => { $(
        unsafe extern "C" fn $f(o: *mut PyObject) -> *mut PyObject {
            boundary::with_thread_state(|ts| or_null(call_dunder(ts, o, $name, &[])))
        }
    )* };
}

unary_slots! {
    slot_repr = "__repr__";
    slot_str = "__str__";
    slot_next = "__next__";
    slot_neg = "__neg__";
    slot_pos = "__pos__";
    slot_abs = "__abs__";
    slot_invert = "__invert__";
    slot_int = "__int__";
    slot_float = "__float__";
    slot_index = "__index__";
}

unsafe extern "C" fn slot_iter(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        or_null((|| match lookup_bound(ts, o, "__iter__")? {
            Some(f) if f == singletons::none() => {
                // SAFETY: the reference lookup_bound gave.
                unsafe { decref(f) };
                Err(errors::type_error(ts, &format!("'{}' object is not iterable", type_name(type_of(o)))))
            }
            Some(f) => {
                let r = call::call_slice(ts, f, &[]);
                unsafe { decref(f) };
                r
            }
            None => Err(missing(ts, "__iter__")),
        })())
    })
}

unsafe extern "C" fn slot_hash(o: *mut PyObject) -> Py_hash_t {
    boundary::with_thread_state(|ts| hash_of(ts, o).unwrap_or(-1))
}

fn hash_of(ts: Ts, o: *mut PyObject) -> PyResult<Py_hash_t> {
    let r = call_dunder(ts, o, "__hash__", &[])?;
    if !long::check(r) {
        unsafe { decref(r) };
        return Err(errors::type_error(ts, "__hash__ method should return an integer"));
    }
    // An int that fits is its own hash; a larger one is hashed as int hashes it.
    let h = match long::as_ssize(ts, r) {
        Ok(v) => Ok(v as Py_hash_t),
        Err(_) => {
            errors::clear(ts);
            crate::protocols::object::hash(ts, r)
        }
    };
    unsafe { decref(r) };
    h.map(|h| if h == -1 { -2 } else { h })
}

unsafe extern "C" fn slot_call(o: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        or_null((|| {
            let Some(f) = lookup_bound(ts, o, "__call__")? else { return Err(missing(ts, "__call__")) };
            let r = call::call(ts, f, args, kwargs);
            unsafe { decref(f) };
            r
        })())
    })
}

const COMPARE_NAMES: [&str; 6] = ["__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"];

unsafe extern "C" fn slot_richcompare(o: *mut PyObject, other: *mut PyObject, op: c_int) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let Some(name) = COMPARE_NAMES.get(op as usize) else {
            errors::bad_internal_call(ts);
            return null_mut();
        };
        or_null(call_maybe(ts, o, name, &[other]))
    })
}

unsafe extern "C" fn slot_len(o: *mut PyObject) -> Py_ssize_t {
    boundary::with_thread_state(|ts| len_of(ts, o).unwrap_or(-1))
}

fn len_of(ts: Ts, o: *mut PyObject) -> PyResult<Py_ssize_t> {
    let r = call_dunder(ts, o, "__len__", &[])?;
    let i = number::index(ts, r);
    unsafe { decref(r) };
    let i = i?;
    if long::is_negative(i) {
        unsafe { decref(i) };
        return Err(errors::value_error(ts, "__len__() should return >= 0"));
    }
    let n = number::as_ssize_t(ts, i, Some(exceptions::exc(exceptions::Exc::OverflowError)));
    unsafe { decref(i) };
    n
}

unsafe extern "C" fn slot_getitem(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| or_null(call_dunder(ts, o, "__getitem__", &[key])))
}

unsafe extern "C" fn slot_sq_item(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        or_null(long::from_i64(ts, i as i64).and_then(|key| {
            let r = call_dunder(ts, o, "__getitem__", &[key]);
            unsafe { decref(key) };
            r
        }))
    })
}

fn set_or_delete(ts: Ts, o: *mut PyObject, key: *mut PyObject, value: *mut PyObject) -> PyResult<()> {
    if value.is_null() {
        discard(call_dunder(ts, o, "__delitem__", &[key]))
    } else {
        discard(call_dunder(ts, o, "__setitem__", &[key, value]))
    }
}

unsafe extern "C" fn slot_setitem(o: *mut PyObject, key: *mut PyObject, value: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| status(set_or_delete(ts, o, key, value)))
}

unsafe extern "C" fn slot_sq_ass_item(o: *mut PyObject, i: Py_ssize_t, value: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| {
        status(long::from_i64(ts, i as i64).and_then(|key| {
            let r = set_or_delete(ts, o, key, value);
            unsafe { decref(key) };
            r
        }))
    })
}

unsafe extern "C" fn slot_contains(o: *mut PyObject, v: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| {
        let r = call_dunder(ts, o, "__contains__", &[v]).and_then(|r| {
            let t = crate::protocols::object::is_true(ts, r);
            unsafe { decref(r) };
            t
        });
        match r {
            Ok(b) => b as c_int,
            Err(Raised) => -1,
        }
    })
}

unsafe extern "C" fn slot_bool(o: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| {
        let r = match call_dunder(ts, o, "__bool__", &[]) {
            Ok(r) => r,
            Err(Raised) => return -1,
        };
        let answer = if bool_::check(r) {
            (r == bool_::from_bool(true)) as c_int
        } else {
            let got = type_name(type_of(r));
            errors::type_error(ts, &format!("__bool__ should return bool, returned {got}"));
            -1
        };
        unsafe { decref(r) };
        answer
    })
}

unsafe extern "C" fn slot_init(o: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| {
        status((|| {
            let Some(f) = lookup_bound(ts, o, "__init__")? else { return Err(missing(ts, "__init__")) };
            let r = call::call(ts, f, args, kwargs);
            unsafe { decref(f) };
            let r = r?;
            let is_none = r == singletons::none();
            let got = type_name(type_of(r));
            unsafe { decref(r) };
            if is_none {
                Ok(())
            } else {
                Err(errors::type_error(ts, &format!("__init__() should return None, not '{got}'")))
            }
        })())
    })
}

fn attribute_error_pending(ts: Ts) -> bool {
    let e = ts.exception();
    !e.is_null() && object::is_subtype(type_of(e), exceptions::exc(exceptions::Exc::AttributeError))
}

/// `__getattribute__` (object's generic lookup unless a class overrides it), then
/// `__getattr__` when that raised `AttributeError` and the class defines one.
unsafe extern "C" fn slot_getattro(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| or_null(get_attribute(ts, o, name)))
}

fn get_attribute(ts: Ts, o: *mut PyObject, name: *mut PyObject) -> PyResult<*mut PyObject> {
    let first = match lookup_bound(ts, o, "__getattribute__")? {
        Some(f) => {
            let r = call::call_slice(ts, f, &[name]);
            unsafe { decref(f) };
            r
        }
        None => crate::protocols::attr::generic_getattr_in(ts, o, name),
    };
    if first.is_ok() || !attribute_error_pending(ts) {
        return first;
    }
    match lookup_bound(ts, o, "__getattr__") {
        Ok(Some(hook)) => {
            errors::clear(ts);
            let r = call::call_slice(ts, hook, &[name]);
            unsafe { decref(hook) };
            r
        }
        _ => first,
    }
}

unsafe extern "C" fn slot_setattro(o: *mut PyObject, name: *mut PyObject, value: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| {
        status(if value.is_null() {
            discard(call_dunder(ts, o, "__delattr__", &[name]))
        } else {
            discard(call_dunder(ts, o, "__setattr__", &[name, value]))
        })
    })
}

/// `__get__(instance, owner)`, with `None` for a missing one.
unsafe extern "C" fn slot_descr_get(o: *mut PyObject, obj: *mut PyObject, owner: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let or_none = |p: *mut PyObject| if p.is_null() { singletons::none() } else { p };
        or_null(call_dunder(ts, o, "__get__", &[or_none(obj), or_none(owner)]))
    })
}

unsafe extern "C" fn slot_descr_set(o: *mut PyObject, obj: *mut PyObject, value: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| {
        status(if value.is_null() {
            discard(call_dunder(ts, o, "__delete__", &[obj]))
        } else {
            discard(call_dunder(ts, o, "__set__", &[obj, value]))
        })
    })
}

/// `__new__` is looked up on the type being instantiated and called with it first.
unsafe extern "C" fn slot_new(ty: *mut PyTypeObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| or_null(call_new(ts, ty, args, kwargs)))
}

fn call_new(ts: Ts, ty: *mut PyTypeObject, args: *mut PyObject, kwargs: *mut PyObject) -> PyResult<*mut PyObject> {
    let key = unicode::intern_str(ts, "__new__")?;
    let found = super::typestate::lookup(ts, ty, key);
    unsafe { decref(key) };
    let attr = found?;
    if attr.is_null() {
        return Err(missing(ts, "__new__"));
    }
    // SAFETY: a live attribute; `__get__` with no instance gives what the class shows.
    let f = match unsafe { (*type_of(attr)).tp_descr_get } {
        Some(get) => check_result(ts, unsafe { get(attr, null_mut(), ty as *mut PyObject) }, "__get__")?,
        None => unsafe { new_ref(attr) },
    };
    let mut items = vec![ty as *mut PyObject];
    items.extend_from_slice(tuple::items(args));
    let all = tuple::pack(ts, &items);
    let r = all.and_then(|all| {
        let r = call::call(ts, f, all, kwargs);
        unsafe { decref(all) };
        r
    });
    unsafe { decref(f) };
    r
}

/// CPython's binary-operator dispatch for a class defining `name` and its reflection
/// `rname`: the right operand's reflected method first when its type is a proper
/// subclass of the left's, then the left's, then the right's.
fn binary(
    ts: Ts,
    a: *mut PyObject,
    b: *mut PyObject,
    name: &str,
    rname: &str,
    is_ours: fn(*mut PyTypeObject) -> bool,
) -> PyResult<*mut PyObject> {
    let (ta, tb) = (type_of(a), type_of(b));
    let not_implemented = singletons::not_implemented();
    let mut do_other = ta != tb && is_ours(tb);
    if is_ours(ta) {
        if do_other && object::is_subtype(tb, ta) {
            let r = call_maybe(ts, b, rname, &[a])?;
            if r != not_implemented {
                return Ok(r);
            }
            unsafe { decref(r) };
            do_other = false;
        }
        let r = call_maybe(ts, a, name, &[b])?;
        if r != not_implemented || ta == tb {
            return Ok(r);
        }
        unsafe { decref(r) };
    }
    if do_other {
        return call_maybe(ts, b, rname, &[a]);
    }
    Ok(unsafe { new_ref(not_implemented) })
}

fn number_table(ty: *mut PyTypeObject) -> Option<&'static PyNumberMethods> {
    // SAFETY: a live type's number table, null or valid.
    unsafe { (*ty).tp_as_number.as_ref() }
}

macro_rules! binary_slots {
    ($($f:ident: $field:ident = $name:literal, $rname:literal;)*) => {
        $(
            unsafe extern "C" fn $f(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
                boundary::with_thread_state(|ts| {
                    fn is_ours(t: *mut PyTypeObject) -> bool {
                        number_table(t).and_then(|n| n.$field).is_some_and(|g| {
                            core::ptr::fn_addr_eq(g, $f as unsafe extern "C" fn(_, _) -> _)
                        })
                    }
                    or_null(binary(ts, a, b, $name, $rname, is_ours))
                })
            }
        )*
        /// Sets (or clears) the number slot that the binary dunder `name` (or its
        /// reflection) fills; false when `name` is none of them.
        fn set_binary(h: &mut PyHeapTypeObject, name: &str, on: bool) -> bool {
            match name {
                $( $name | $rname => h.as_number.$field = if on { Some($f) } else { None }, )*
                _ => return false,
            }
            true
        }
        const BINARY_NAMES: &[&str] = &[$($name, $rname),*];
    };
}

binary_slots! {
    slot_add: nb_add = "__add__", "__radd__";
    slot_sub: nb_subtract = "__sub__", "__rsub__";
    slot_mul: nb_multiply = "__mul__", "__rmul__";
    slot_mod: nb_remainder = "__mod__", "__rmod__";
    slot_divmod: nb_divmod = "__divmod__", "__rdivmod__";
    slot_lshift: nb_lshift = "__lshift__", "__rlshift__";
    slot_rshift: nb_rshift = "__rshift__", "__rrshift__";
    slot_and: nb_and = "__and__", "__rand__";
    slot_xor: nb_xor = "__xor__", "__rxor__";
    slot_or: nb_or = "__or__", "__ror__";
    slot_floordiv: nb_floor_divide = "__floordiv__", "__rfloordiv__";
    slot_truediv: nb_true_divide = "__truediv__", "__rtruediv__";
    slot_matmul: nb_matrix_multiply = "__matmul__", "__rmatmul__";
}

macro_rules! inplace_slots {
    ($($f:ident: $field:ident = $name:literal;)*) => {
        $(
            unsafe extern "C" fn $f(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
                boundary::with_thread_state(|ts| or_null(call_maybe(ts, a, $name, &[b])))
            }
        )*
        fn set_inplace(h: &mut PyHeapTypeObject, name: &str, on: bool) -> bool {
            match name {
                $( $name => h.as_number.$field = if on { Some($f) } else { None }, )*
                _ => return false,
            }
            true
        }
        const INPLACE_NAMES: &[&str] = &[$($name),*];
    };
}

inplace_slots! {
    slot_iadd: nb_inplace_add = "__iadd__";
    slot_isub: nb_inplace_subtract = "__isub__";
    slot_imul: nb_inplace_multiply = "__imul__";
    slot_imod: nb_inplace_remainder = "__imod__";
    slot_ilshift: nb_inplace_lshift = "__ilshift__";
    slot_irshift: nb_inplace_rshift = "__irshift__";
    slot_iand: nb_inplace_and = "__iand__";
    slot_ixor: nb_inplace_xor = "__ixor__";
    slot_ior: nb_inplace_or = "__ior__";
    slot_ifloordiv: nb_inplace_floor_divide = "__ifloordiv__";
    slot_itruediv: nb_inplace_true_divide = "__itruediv__";
    slot_imatmul: nb_inplace_matrix_multiply = "__imatmul__";
}

/// `**` and `pow()`: with no modulus, the binary-operator dispatch of `__pow__` and
/// `__rpow__`; with one, only the left operand's `__pow__(other, modulus)` (as CPython).
unsafe extern "C" fn slot_pow(a: *mut PyObject, b: *mut PyObject, m: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        fn is_ours(t: *mut PyTypeObject) -> bool {
            number_table(t)
                .and_then(|n| n.nb_power)
                .is_some_and(|g| core::ptr::fn_addr_eq(g, slot_pow as unsafe extern "C" fn(_, _, _) -> _))
        }
        if m.is_null() || m == singletons::none() {
            return or_null(binary(ts, a, b, "__pow__", "__rpow__", is_ours));
        }
        if is_ours(type_of(a)) {
            return or_null(call_maybe(ts, a, "__pow__", &[b, m]));
        }
        unsafe { new_ref(singletons::not_implemented()) }
    })
}

unsafe extern "C" fn slot_ipow(a: *mut PyObject, b: *mut PyObject, _m: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| or_null(call_maybe(ts, a, "__ipow__", &[b])))
}

/// The dunders other than the binary operators that fill slots.
const OTHER_NAMES: &[&str] = &[
    "__repr__",
    "__str__",
    "__hash__",
    "__call__",
    "__lt__",
    "__le__",
    "__eq__",
    "__ne__",
    "__gt__",
    "__ge__",
    "__iter__",
    "__next__",
    "__len__",
    "__getitem__",
    "__setitem__",
    "__delitem__",
    "__contains__",
    "__bool__",
    "__neg__",
    "__pos__",
    "__abs__",
    "__invert__",
    "__int__",
    "__float__",
    "__index__",
    "__init__",
    "__new__",
    "__getattribute__",
    "__getattr__",
    "__setattr__",
    "__delattr__",
    "__get__",
    "__set__",
    "__delete__",
    "__pow__",
    "__rpow__",
    "__ipow__",
];

/// Sets (or clears) the slots the dunder `name` fills; false when it fills none.
fn set_slot(h: &mut PyHeapTypeObject, name: &str, on: bool) -> bool {
    macro_rules! put {
        ($($place:expr => $f:expr),*) => {{ $( $place = if on { Some($f) } else { None }; )* }};
    }
    match name {
        "__repr__" => put!(h.ht_type.tp_repr => slot_repr),
        "__str__" => put!(h.ht_type.tp_str => slot_str),
        "__hash__" => put!(h.ht_type.tp_hash => slot_hash),
        "__call__" => put!(h.ht_type.tp_call => slot_call),
        "__lt__" | "__le__" | "__eq__" | "__ne__" | "__gt__" | "__ge__" => {
            put!(h.ht_type.tp_richcompare => slot_richcompare)
        }
        "__iter__" => put!(h.ht_type.tp_iter => slot_iter),
        "__next__" => put!(h.ht_type.tp_iternext => slot_next),
        "__len__" => put!(h.as_sequence.sq_length => slot_len, h.as_mapping.mp_length => slot_len),
        "__getitem__" => put!(h.as_mapping.mp_subscript => slot_getitem, h.as_sequence.sq_item => slot_sq_item),
        "__setitem__" | "__delitem__" => {
            put!(h.as_mapping.mp_ass_subscript => slot_setitem, h.as_sequence.sq_ass_item => slot_sq_ass_item)
        }
        "__contains__" => put!(h.as_sequence.sq_contains => slot_contains),
        "__bool__" => put!(h.as_number.nb_bool => slot_bool),
        "__neg__" => put!(h.as_number.nb_negative => slot_neg),
        "__pos__" => put!(h.as_number.nb_positive => slot_pos),
        "__abs__" => put!(h.as_number.nb_absolute => slot_abs),
        "__invert__" => put!(h.as_number.nb_invert => slot_invert),
        "__int__" => put!(h.as_number.nb_int => slot_int),
        "__float__" => put!(h.as_number.nb_float => slot_float),
        "__index__" => put!(h.as_number.nb_index => slot_index),
        "__init__" => put!(h.ht_type.tp_init => slot_init),
        "__new__" => put!(h.ht_type.tp_new => slot_new),
        "__getattribute__" | "__getattr__" => put!(h.ht_type.tp_getattro => slot_getattro),
        "__setattr__" | "__delattr__" => put!(h.ht_type.tp_setattro => slot_setattro),
        "__get__" => put!(h.ht_type.tp_descr_get => slot_descr_get),
        "__set__" | "__delete__" => put!(h.ht_type.tp_descr_set => slot_descr_set),
        "__pow__" | "__rpow__" => put!(h.as_number.nb_power => slot_pow),
        "__ipow__" => put!(h.as_number.nb_inplace_power => slot_ipow),
        _ => return set_binary(h, name, on) || set_inplace(h, name, on),
    }
    true
}

/// Points the slots of `value` (the class's entry `name`) at the dispatching functions:
/// `__hash__ = None` makes the class unhashable.
fn apply(ty: *mut PyTypeObject, name: &str, value: *mut PyObject) {
    // SAFETY: a heap type (callers check), laid out as PyHeapTypeObject.
    let h = unsafe { &mut *(ty as *mut PyHeapTypeObject) };
    if name == "__hash__" && value == singletons::none() {
        h.ht_type.tp_hash = Some(super::typeobject::hash_not_implemented);
        return;
    }
    set_slot(h, name, true);
}

/// Fills the slots of a class made by `type()` from the dunders of its own dict (the
/// rest it inherited when it was made).
pub fn fixup(ts: Ts, ty: *mut PyTypeObject) -> PyResult<()> {
    // SAFETY: a heap type's own dict.
    let d = unsafe { (*ty).tp_dict };
    for &name in OTHER_NAMES.iter().chain(BINARY_NAMES).chain(INPLACE_NAMES) {
        let key = unicode::intern_str(ts, name)?;
        let v = dict::get_item(ts, d, key);
        unsafe { decref(key) };
        if let Some(v) = v? {
            apply(ty, name, v);
        }
    }
    Ok(())
}

/// After `name` was set on (or deleted from) heap type `ty`: a dunder that fills slots
/// updates them (CPython's `update_slot`), in `ty` and in the subclasses that do not
/// define the name themselves. Where the name is still found through the MRO the
/// dispatching slot stays; where it is not, the slot is cleared and inherited again.
pub fn update(ts: Ts, ty: *mut PyTypeObject, name: *mut PyObject, value: *mut PyObject) -> PyResult<()> {
    if !object::is_heap_type(ty) {
        return Ok(());
    }
    let text = unicode::to_string_lossy(name);
    if !(text.starts_with("__") && text.ends_with("__")) {
        return Ok(());
    }
    let known = [OTHER_NAMES, BINARY_NAMES, INPLACE_NAMES].iter().any(|names| names.contains(&text.as_ref()));
    if !known {
        return Ok(());
    }
    if value.is_null() {
        refresh(ts, ty, &text, name)?;
    } else {
        apply(ty, &text, value);
    }
    for sub in super::heaptype::subclasses(ty) {
        update_inherited(ts, sub, &text, name)?;
    }
    Ok(())
}

/// A subclass of a type whose dunder `name` changed: unless it defines the name
/// itself, its slots follow what its MRO now finds, and so do its own subclasses'.
fn update_inherited(ts: Ts, ty: *mut PyTypeObject, text: &str, name: *mut PyObject) -> PyResult<()> {
    // SAFETY: a live heap type's own dict.
    let own = dict::get_item(ts, unsafe { (*ty).tp_dict }, name)?;
    if own.is_some() {
        return Ok(());
    }
    refresh(ts, ty, text, name)?;
    for sub in super::heaptype::subclasses(ty) {
        update_inherited(ts, sub, text, name)?;
    }
    Ok(())
}

/// Points `ty`'s slots for `text` at the dispatching functions when its MRO defines
/// the name, else clears them and inherits them again along the MRO.
fn refresh(ts: Ts, ty: *mut PyTypeObject, text: &str, name: *mut PyObject) -> PyResult<()> {
    let found = super::typestate::lookup(ts, ty, name)?;
    if !found.is_null() {
        apply(ty, text, found);
        return Ok(());
    }
    // SAFETY: a heap type.
    let h = unsafe { &mut *(ty as *mut PyHeapTypeObject) };
    if text == "__hash__" {
        h.ht_type.tp_hash = None;
    } else {
        set_slot(h, text, false);
    }
    for b in super::mro::mro_list(ty).into_iter().skip(1) {
        // SAFETY: live types of the MRO.
        super::typeobject::inherit_slots(&mut h.ht_type, unsafe { &*b });
    }
    Ok(())
}
