//! Slot wrappers: the `__add__`, `__len__`, `__getitem__`, ... attributes that expose a
//! type's C slots (`wrapper_descriptor`, and `method-wrapper` for one bound to an
//! instance). Each entry of `SLOTS` names a slot by its offset in `PyHeapTypeObject`,
//! as CPython's slot table does, so one number finds it in `tp_*` or in a method table.
//!
//! A type's dict gets a wrapper for each slot the type defines itself (one that differs
//! from its base's), as readying a type in CPython adds them before inheriting; a type
//! whose `tp_hash` is `PyObject_HashNotImplemented` gets `__hash__ = None`.

use super::object::{self, clear_slot, decref, new_ref, type_of};
use super::typeobject::type_name;
use super::{bool_, dict, long, singletons, tuple, unicode};
use crate::abi::*;
use crate::protocols::object::check_result;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ffi::{c_int, c_void, CStr};
use core::mem::transmute;
use core::ptr::null_mut;

/// Calls the wrapped slot `f` for `self_` with the call's positional arguments and
/// keyword dict (null when none).
type Wrapper = fn(Ts, *mut PyObject, &[*mut PyObject], *mut PyObject, *mut c_void) -> PyResult<*mut PyObject>;

pub struct SlotDef {
    name: &'static CStr,
    /// Offset of the slot in `PyHeapTypeObject`.
    offset: usize,
    wrapper: Wrapper,
    /// Takes keyword arguments (`__init__`, `__call__`).
    keywords: bool,
}

use super::slotoffset::{am, mp, nb, read_slot, sq, tp};

const fn def(name: &'static CStr, offset: usize, wrapper: Wrapper) -> SlotDef {
    SlotDef { name, offset, wrapper, keywords: false }
}

fn arity(ts: Ts, args: &[*mut PyObject], n: usize) -> PyResult<()> {
    if args.len() == n {
        return Ok(());
    }
    Err(errors::type_error(ts, &format!("expected {n} argument{}, got {}", if n == 1 { "" } else { "s" }, args.len())))
}

fn no_keywords(ts: Ts, kwargs: *mut PyObject) -> PyResult<()> {
    if kwargs.is_null() || dict::len(kwargs) == 0 {
        return Ok(());
    }
    Err(errors::type_error(ts, "wrapper takes no keyword arguments"))
}

fn result(ts: Ts, r: *mut PyObject) -> PyResult<*mut PyObject> {
    check_result(ts, r, "slot")
}

fn int_status(r: c_int) -> PyResult<*mut PyObject> {
    if r < 0 {
        Err(Raised)
    } else {
        Ok(singletons::none())
    }
}

type Unary = unsafe extern "C" fn(*mut PyObject) -> *mut PyObject;
type Binary = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;
type Ternary = unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject;

// SAFETY (for every wrapper below): `f` is the slot the descriptor was made for, read
// from a type whose slot at that offset has exactly this signature.

fn wrap_unary(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    _: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    arity(ts, a, 0)?;
    result(ts, unsafe { transmute::<*mut c_void, Unary>(f)(s) })
}

fn wrap_next(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    _: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    arity(ts, a, 0)?;
    let r = unsafe { transmute::<*mut c_void, Unary>(f)(s) };
    if r.is_null() && !errors::occurred(ts) {
        let stop = super::exceptions::exc(super::exceptions::Exc::StopIteration);
        errors::set_object(ts, stop, null_mut());
        return Err(Raised);
    }
    result(ts, r)
}

fn wrap_binary(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    _: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    arity(ts, a, 1)?;
    result(ts, unsafe { transmute::<*mut c_void, Binary>(f)(s, a[0]) })
}

fn wrap_binary_r(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    _: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    arity(ts, a, 1)?;
    result(ts, unsafe { transmute::<*mut c_void, Binary>(f)(a[0], s) })
}

fn pow_args(ts: Ts, a: &[*mut PyObject]) -> PyResult<(*mut PyObject, *mut PyObject)> {
    match a {
        [x] => Ok((*x, singletons::none())),
        [x, m] => Ok((*x, *m)),
        _ => Err(errors::type_error(ts, &format!("expected 1 or 2 arguments, got {}", a.len()))),
    }
}

fn wrap_ternary(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    _: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    let (x, m) = pow_args(ts, a)?;
    result(ts, unsafe { transmute::<*mut c_void, Ternary>(f)(s, x, m) })
}

fn wrap_ternary_r(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    _: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    let (x, m) = pow_args(ts, a)?;
    result(ts, unsafe { transmute::<*mut c_void, Ternary>(f)(x, s, m) })
}

fn wrap_inquiry(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    _: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    arity(ts, a, 0)?;
    let r = unsafe { transmute::<*mut c_void, unsafe extern "C" fn(*mut PyObject) -> c_int>(f)(s) };
    if r < 0 {
        return Err(Raised);
    }
    Ok(bool_::from_bool(r != 0))
}

fn wrap_len(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    _: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    arity(ts, a, 0)?;
    let n = unsafe { transmute::<*mut c_void, unsafe extern "C" fn(*mut PyObject) -> Py_ssize_t>(f)(s) };
    if n < 0 {
        return Err(Raised);
    }
    long::from_i64(ts, n as i64)
}

fn wrap_hash(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    _: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    arity(ts, a, 0)?;
    let h = unsafe { transmute::<*mut c_void, unsafe extern "C" fn(*mut PyObject) -> Py_hash_t>(f)(s) };
    if h == -1 && errors::occurred(ts) {
        return Err(Raised);
    }
    long::from_i64(ts, h as i64)
}

/// An index argument (`__index__` of the object), made absolute for sequence items.
fn index_arg(ts: Ts, s: *mut PyObject, o: *mut PyObject, absolute: bool) -> PyResult<Py_ssize_t> {
    let i = crate::protocols::number::index_raw(ts, o)?;
    let v = long::as_ssize(ts, i);
    // SAFETY: the int index_raw made.
    unsafe { decref(i) };
    let mut v = v?;
    if absolute && v < 0 {
        // SAFETY: a live type's sequence table.
        let len = unsafe { (*type_of(s)).tp_as_sequence.as_ref().and_then(|sq| sq.sq_length) };
        if let Some(len) = len {
            let n = unsafe { len(s) };
            if n < 0 {
                return Err(Raised);
            }
            v += n;
        }
    }
    Ok(v)
}

type SsizeArg = unsafe extern "C" fn(*mut PyObject, Py_ssize_t) -> *mut PyObject;

fn wrap_repeat(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    _: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    arity(ts, a, 1)?;
    let n = index_arg(ts, s, a[0], false)?;
    result(ts, unsafe { transmute::<*mut c_void, SsizeArg>(f)(s, n) })
}

fn wrap_sq_item(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    _: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    arity(ts, a, 1)?;
    let i = index_arg(ts, s, a[0], true)?;
    result(ts, unsafe { transmute::<*mut c_void, SsizeArg>(f)(s, i) })
}

type SsizeObjArg = unsafe extern "C" fn(*mut PyObject, Py_ssize_t, *mut PyObject) -> c_int;

fn wrap_sq_setitem(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    _: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    arity(ts, a, 2)?;
    let i = index_arg(ts, s, a[0], true)?;
    int_status(unsafe { transmute::<*mut c_void, SsizeObjArg>(f)(s, i, a[1]) })
}

fn wrap_sq_delitem(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    _: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    arity(ts, a, 1)?;
    let i = index_arg(ts, s, a[0], true)?;
    int_status(unsafe { transmute::<*mut c_void, SsizeObjArg>(f)(s, i, null_mut()) })
}

fn wrap_contains(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    _: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    arity(ts, a, 1)?;
    let r =
        unsafe { transmute::<*mut c_void, unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> c_int>(f)(s, a[0]) };
    if r < 0 {
        return Err(Raised);
    }
    Ok(bool_::from_bool(r != 0))
}

type ObjObjArg = unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> c_int;

fn wrap_setitem(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    _: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    arity(ts, a, 2)?;
    int_status(unsafe { transmute::<*mut c_void, ObjObjArg>(f)(s, a[0], a[1]) })
}

fn wrap_delitem(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    _: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    arity(ts, a, 1)?;
    int_status(unsafe { transmute::<*mut c_void, ObjObjArg>(f)(s, a[0], null_mut()) })
}

fn wrap_delattr(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    _: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    arity(ts, a, 1)?;
    int_status(unsafe { transmute::<*mut c_void, ObjObjArg>(f)(s, a[0], null_mut()) })
}

fn wrap_descr_get(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    _: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    let (obj, owner) = match a {
        [o] => (*o, null_mut()),
        [o, t] => (*o, *t),
        _ => return Err(errors::type_error(ts, &format!("expected 1 or 2 arguments, got {}", a.len()))),
    };
    let none = singletons::none();
    let obj = if obj == none { null_mut() } else { obj };
    let owner = if owner == none { null_mut() } else { owner };
    if obj.is_null() && owner.is_null() {
        return Err(errors::type_error(ts, "__get__(None, None) is invalid"));
    }
    result(ts, unsafe { transmute::<*mut c_void, Ternary>(f)(s, obj, owner) })
}

fn wrap_descr_delete(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    _: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    arity(ts, a, 1)?;
    int_status(unsafe { transmute::<*mut c_void, ObjObjArg>(f)(s, a[0], null_mut()) })
}

fn wrap_call(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    kw: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    let t = tuple::pack(ts, a)?;
    let r = unsafe { transmute::<*mut c_void, Ternary>(f)(s, t, kw) };
    // SAFETY: the tuple made above.
    unsafe { decref(t) };
    result(ts, r)
}

fn wrap_init(
    ts: Ts,
    s: *mut PyObject,
    a: &[*mut PyObject],
    kw: *mut PyObject,
    f: *mut c_void,
) -> PyResult<*mut PyObject> {
    let t = tuple::pack(ts, a)?;
    let r = unsafe { transmute::<*mut c_void, ObjObjArg>(f)(s, t, kw) };
    // SAFETY: the tuple made above.
    unsafe { decref(t) };
    int_status(r)
}

fn richcompare(ts: Ts, s: *mut PyObject, a: &[*mut PyObject], f: *mut c_void, op: c_int) -> PyResult<*mut PyObject> {
    arity(ts, a, 1)?;
    let f = unsafe {
        transmute::<*mut c_void, unsafe extern "C" fn(*mut PyObject, *mut PyObject, c_int) -> *mut PyObject>(f)
    };
    result(ts, unsafe { f(s, a[0], op) })
}

macro_rules! compare_wrappers {
    ($($name:ident = $op:expr),*) => {
        $( fn $name(ts: Ts, s: *mut PyObject, a: &[*mut PyObject], _: *mut PyObject, f: *mut c_void) -> PyResult<*mut PyObject> {
            richcompare(ts, s, a, f, $op)
        } )*
    };
}
compare_wrappers!(wrap_lt = Py_LT, wrap_le = Py_LE, wrap_eq = Py_EQ, wrap_ne = Py_NE, wrap_gt = Py_GT, wrap_ge = Py_GE);

/// The slots and their wrappers, in CPython's order (for a slot with several names,
/// such as `tp_richcompare`, one entry per name).
static SLOTS: &[SlotDef] = &[
    def(c"__getattribute__", tp!(tp_getattro), wrap_binary),
    def(c"__setattr__", tp!(tp_setattro), wrap_setitem),
    def(c"__delattr__", tp!(tp_setattro), wrap_delattr),
    def(c"__repr__", tp!(tp_repr), wrap_unary),
    def(c"__hash__", tp!(tp_hash), wrap_hash),
    SlotDef { name: c"__call__", offset: tp!(tp_call), wrapper: wrap_call, keywords: true },
    def(c"__str__", tp!(tp_str), wrap_unary),
    def(c"__lt__", tp!(tp_richcompare), wrap_lt),
    def(c"__le__", tp!(tp_richcompare), wrap_le),
    def(c"__eq__", tp!(tp_richcompare), wrap_eq),
    def(c"__ne__", tp!(tp_richcompare), wrap_ne),
    def(c"__gt__", tp!(tp_richcompare), wrap_gt),
    def(c"__ge__", tp!(tp_richcompare), wrap_ge),
    def(c"__iter__", tp!(tp_iter), wrap_unary),
    def(c"__next__", tp!(tp_iternext), wrap_next),
    def(c"__get__", tp!(tp_descr_get), wrap_descr_get),
    def(c"__set__", tp!(tp_descr_set), wrap_setitem),
    def(c"__delete__", tp!(tp_descr_set), wrap_descr_delete),
    SlotDef { name: c"__init__", offset: tp!(tp_init), wrapper: wrap_init, keywords: true },
    def(c"__await__", am!(am_await), wrap_unary),
    def(c"__aiter__", am!(am_aiter), wrap_unary),
    def(c"__anext__", am!(am_anext), wrap_unary),
    def(c"__add__", nb!(nb_add), wrap_binary),
    def(c"__radd__", nb!(nb_add), wrap_binary_r),
    def(c"__sub__", nb!(nb_subtract), wrap_binary),
    def(c"__rsub__", nb!(nb_subtract), wrap_binary_r),
    def(c"__mul__", nb!(nb_multiply), wrap_binary),
    def(c"__rmul__", nb!(nb_multiply), wrap_binary_r),
    def(c"__mod__", nb!(nb_remainder), wrap_binary),
    def(c"__rmod__", nb!(nb_remainder), wrap_binary_r),
    def(c"__divmod__", nb!(nb_divmod), wrap_binary),
    def(c"__rdivmod__", nb!(nb_divmod), wrap_binary_r),
    def(c"__pow__", nb!(nb_power), wrap_ternary),
    def(c"__rpow__", nb!(nb_power), wrap_ternary_r),
    def(c"__neg__", nb!(nb_negative), wrap_unary),
    def(c"__pos__", nb!(nb_positive), wrap_unary),
    def(c"__abs__", nb!(nb_absolute), wrap_unary),
    def(c"__bool__", nb!(nb_bool), wrap_inquiry),
    def(c"__invert__", nb!(nb_invert), wrap_unary),
    def(c"__lshift__", nb!(nb_lshift), wrap_binary),
    def(c"__rlshift__", nb!(nb_lshift), wrap_binary_r),
    def(c"__rshift__", nb!(nb_rshift), wrap_binary),
    def(c"__rrshift__", nb!(nb_rshift), wrap_binary_r),
    def(c"__and__", nb!(nb_and), wrap_binary),
    def(c"__rand__", nb!(nb_and), wrap_binary_r),
    def(c"__xor__", nb!(nb_xor), wrap_binary),
    def(c"__rxor__", nb!(nb_xor), wrap_binary_r),
    def(c"__or__", nb!(nb_or), wrap_binary),
    def(c"__ror__", nb!(nb_or), wrap_binary_r),
    def(c"__int__", nb!(nb_int), wrap_unary),
    def(c"__float__", nb!(nb_float), wrap_unary),
    def(c"__iadd__", nb!(nb_inplace_add), wrap_binary),
    def(c"__isub__", nb!(nb_inplace_subtract), wrap_binary),
    def(c"__imul__", nb!(nb_inplace_multiply), wrap_binary),
    def(c"__imod__", nb!(nb_inplace_remainder), wrap_binary),
    def(c"__ipow__", nb!(nb_inplace_power), wrap_ternary),
    def(c"__ilshift__", nb!(nb_inplace_lshift), wrap_binary),
    def(c"__irshift__", nb!(nb_inplace_rshift), wrap_binary),
    def(c"__iand__", nb!(nb_inplace_and), wrap_binary),
    def(c"__ixor__", nb!(nb_inplace_xor), wrap_binary),
    def(c"__ior__", nb!(nb_inplace_or), wrap_binary),
    def(c"__floordiv__", nb!(nb_floor_divide), wrap_binary),
    def(c"__rfloordiv__", nb!(nb_floor_divide), wrap_binary_r),
    def(c"__truediv__", nb!(nb_true_divide), wrap_binary),
    def(c"__rtruediv__", nb!(nb_true_divide), wrap_binary_r),
    def(c"__ifloordiv__", nb!(nb_inplace_floor_divide), wrap_binary),
    def(c"__itruediv__", nb!(nb_inplace_true_divide), wrap_binary),
    def(c"__index__", nb!(nb_index), wrap_unary),
    def(c"__matmul__", nb!(nb_matrix_multiply), wrap_binary),
    def(c"__rmatmul__", nb!(nb_matrix_multiply), wrap_binary_r),
    def(c"__imatmul__", nb!(nb_inplace_matrix_multiply), wrap_binary),
    // The mapping entries come before the sequence ones: a type with both gets the
    // mapping's `__len__`, `__getitem__`, ... (the first name added wins).
    def(c"__len__", mp!(mp_length), wrap_len),
    def(c"__getitem__", mp!(mp_subscript), wrap_binary),
    def(c"__setitem__", mp!(mp_ass_subscript), wrap_setitem),
    def(c"__delitem__", mp!(mp_ass_subscript), wrap_delitem),
    def(c"__len__", sq!(sq_length), wrap_len),
    def(c"__add__", sq!(sq_concat), wrap_binary),
    def(c"__mul__", sq!(sq_repeat), wrap_repeat),
    def(c"__rmul__", sq!(sq_repeat), wrap_repeat),
    def(c"__getitem__", sq!(sq_item), wrap_sq_item),
    def(c"__setitem__", sq!(sq_ass_item), wrap_sq_setitem),
    def(c"__delitem__", sq!(sq_ass_item), wrap_sq_delitem),
    def(c"__contains__", sq!(sq_contains), wrap_contains),
    def(c"__iadd__", sq!(sq_inplace_concat), wrap_binary),
    def(c"__imul__", sq!(sq_inplace_repeat), wrap_repeat),
];

/// True when `ty` defines the slot at `offset` itself (not as its base has it).
fn defines(ty: *mut PyTypeObject, offset: usize) -> bool {
    let f = read_slot(ty, offset);
    if f.is_null() {
        return false;
    }
    // SAFETY: a live type.
    let base = unsafe { (*ty).tp_base };
    base.is_null() || read_slot(base, offset) != f
}

/// True when readying `ty` adds any slot wrapper to its dict.
pub fn has_slot_wrappers(ty: *mut PyTypeObject) -> bool {
    SLOTS.iter().any(|s| defines(ty, s.offset))
}

/// Adds to `d` a wrapper for each slot `ty` defines itself, unless its name is taken.
pub fn add_slot_wrappers(ts: Ts, ty: *mut PyTypeObject, d: *mut PyObject) -> PyResult<()> {
    let hash_off = tp!(tp_hash);
    for s in SLOTS {
        if !defines(ty, s.offset) {
            continue;
        }
        let name = unicode::intern_str(ts, s.name.to_str().unwrap_or("?"))?;
        let r = add_one(ts, ty, d, s, name, hash_off);
        // SAFETY: our reference; the dict holds its own.
        unsafe { decref(name) };
        r?;
    }
    Ok(())
}

fn add_one(
    ts: Ts,
    ty: *mut PyTypeObject,
    d: *mut PyObject,
    s: &'static SlotDef,
    name: *mut PyObject,
    hash_off: usize,
) -> PyResult<()> {
    if dict::get_item(ts, d, name)?.is_some() {
        return Ok(());
    }
    let f = read_slot(ty, s.offset);
    let unhashable = super::typeobject::hash_not_implemented as unsafe extern "C" fn(*mut PyObject) -> Py_hash_t;
    if s.offset == hash_off && f == unhashable as *mut c_void {
        return dict::set_item(ts, d, name, singletons::none());
    }
    let w = new_wrapper(ts, ty, s, f, name)?;
    let r = dict::set_item(ts, d, name, w);
    // SAFETY: the wrapper made above.
    unsafe { decref(w) };
    r
}

// ---------------------------------------------------------------------------------
// wrapper_descriptor and method-wrapper

/// A slot wrapper (`PyWrapperDescrObject`'s layout: the common descriptor fields, the
/// slot's entry of `SLOTS` and the wrapped function).
#[repr(C)]
struct WrapperDescr {
    common: PyDescrObject,
    base: *const SlotDef,
    wrapped: *mut c_void,
}

/// A slot wrapper bound to an object (`method-wrapper`).
#[repr(C)]
struct MethodWrapper {
    ob_base: PyObject,
    descr: *mut PyObject,
    self_: *mut PyObject,
}

fn new_wrapper(
    ts: Ts,
    ty: *mut PyTypeObject,
    s: &'static SlotDef,
    f: *mut c_void,
    name: *mut PyObject,
) -> PyResult<*mut PyObject> {
    let o = object::alloc_object(ts, &raw mut PyWrapperDescr_Type, 0)?;
    // SAFETY: a fresh wrapper descriptor; it keeps a reference to its name.
    unsafe {
        let w = &mut *(o as *mut WrapperDescr);
        w.common.d_type = ty;
        w.common.d_name = new_ref(name);
        w.base = s;
        w.wrapped = f;
    }
    Ok(o)
}

fn wrapper_fields(o: *mut PyObject) -> &'static WrapperDescr {
    // SAFETY: callers pass wrapper descriptors.
    unsafe { &*(o as *mut WrapperDescr) }
}

fn wrapper_name(o: *mut PyObject) -> String {
    // SAFETY: the entry is one of SLOTS.
    unsafe { (*wrapper_fields(o).base).name }.to_string_lossy().into_owned()
}

fn owner(o: *mut PyObject) -> *mut PyTypeObject {
    wrapper_fields(o).common.d_type
}

/// Calls the wrapper `o` for `self_`, after checking `self_` is of its type.
fn call_wrapper(
    ts: Ts,
    o: *mut PyObject,
    self_: *mut PyObject,
    args: &[*mut PyObject],
    kwargs: *mut PyObject,
) -> PyResult<*mut PyObject> {
    let w = wrapper_fields(o);
    if !object::is_subtype(type_of(self_), owner(o)) {
        return Err(errors::type_error(
            ts,
            &format!(
                "descriptor '{}' requires a '{}' object but received a '{}'",
                wrapper_name(o),
                type_name(owner(o)),
                type_name(type_of(self_))
            ),
        ));
    }
    // SAFETY: the entry is one of SLOTS.
    let def = unsafe { &*w.base };
    if !def.keywords {
        no_keywords(ts, kwargs)?;
    }
    (def.wrapper)(ts, self_, args, kwargs, w.wrapped)
}

unsafe extern "C" fn wrapper_dealloc(o: *mut PyObject) {
    boundary::guard(|| {
        // SAFETY: the last reference; the name is owned.
        unsafe {
            clear_slot(&mut (*(o as *mut WrapperDescr)).common.d_name);
            object::free_object(o);
        }
    })
}

unsafe extern "C" fn wrapper_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let text = format!("<slot wrapper '{}' of '{}' objects>", wrapper_name(o), type_name(owner(o)));
        unicode::from_str(ts, &text).unwrap_or(null_mut())
    })
}

/// Calling the unbound wrapper: the first argument is `self`.
unsafe extern "C" fn wrapper_call(o: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let a = tuple::items(args);
        let Some((&self_, rest)) = a.split_first() else {
            let text =
                format!("descriptor '{}' of '{}' object needs an argument", wrapper_name(o), type_name(owner(o)));
            errors::type_error(ts, &text);
            return null_mut();
        };
        call_wrapper(ts, o, self_, rest, kwargs).unwrap_or(null_mut())
    })
}

unsafe extern "C" fn wrapper_get(o: *mut PyObject, obj: *mut PyObject, _ty: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        if obj.is_null() {
            return unsafe { new_ref(o) };
        }
        if !object::is_subtype(type_of(obj), owner(o)) {
            let text = format!(
                "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
                wrapper_name(o),
                type_name(owner(o)),
                type_name(type_of(obj))
            );
            errors::type_error(ts, &text);
            return null_mut();
        }
        let Ok(m) = object::alloc_object(ts, &raw mut _PyMethodWrapper_Type, 0) else { return null_mut() };
        // SAFETY: a fresh method-wrapper; it holds references to both.
        unsafe {
            let mw = &mut *(m as *mut MethodWrapper);
            mw.descr = new_ref(o);
            mw.self_ = new_ref(obj);
        }
        m
    })
}

unsafe extern "C" fn method_wrapper_dealloc(o: *mut PyObject) {
    boundary::guard(|| {
        // SAFETY: the last reference; both fields are owned.
        unsafe {
            let mw = &mut *(o as *mut MethodWrapper);
            clear_slot(&mut mw.descr);
            clear_slot(&mut mw.self_);
            object::free_object(o);
        }
    })
}

unsafe extern "C" fn method_wrapper_call(
    o: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        // SAFETY: a live method-wrapper.
        let mw = unsafe { &*(o as *mut MethodWrapper) };
        call_wrapper(ts, mw.descr, mw.self_, tuple::items(args), kwargs).unwrap_or(null_mut())
    })
}

unsafe extern "C" fn method_wrapper_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        // SAFETY: a live method-wrapper.
        let mw = unsafe { &*(o as *mut MethodWrapper) };
        let text = format!(
            "<method-wrapper '{}' of {} object at {:p}>",
            wrapper_name(mw.descr),
            type_name(type_of(mw.self_)),
            mw.self_
        );
        unicode::from_str(ts, &text).unwrap_or(null_mut())
    })
}

#[no_mangle]
pub static mut PyWrapperDescr_Type: PyTypeObject = PyTypeObject {
    ob_base: PyVarObject {
        ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut super::typeobject::PyType_Type },
        ob_size: 0,
    },
    tp_dealloc: Some(wrapper_dealloc),
    tp_repr: Some(wrapper_repr),
    tp_call: Some(wrapper_call),
    tp_descr_get: Some(wrapper_get),
    tp_flags: Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_METHOD_DESCRIPTOR,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"wrapper_descriptor", core::mem::size_of::<WrapperDescr>(), 0)
};

/// `method-wrapper`, the type of a slot wrapper bound to an object (CPython exports
/// it as `_PyMethodWrapper_Type`).
#[no_mangle]
pub static mut _PyMethodWrapper_Type: PyTypeObject = PyTypeObject {
    ob_base: PyVarObject {
        ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut super::typeobject::PyType_Type },
        ob_size: 0,
    },
    tp_dealloc: Some(method_wrapper_dealloc),
    tp_repr: Some(method_wrapper_repr),
    tp_call: Some(method_wrapper_call),
    tp_flags: Py_TPFLAGS_IMMUTABLETYPE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"method-wrapper", core::mem::size_of::<MethodWrapper>(), 0)
};

/// The static types defined here, for start-up.
pub fn static_types() -> [*mut PyTypeObject; 2] {
    [&raw mut PyWrapperDescr_Type, &raw mut _PyMethodWrapper_Type]
}
