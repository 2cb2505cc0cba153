//! `type`: the type of types, slot inheritance for static types, and the default
//! slots every object gets from `object`.

use super::object::{self, base_object_type, incref};
use super::{bool_, singletons, unicode};
use crate::abi::*;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ffi::{c_int, c_void, CStr};
use core::ptr::null_mut;

/// `<class 'module.QualName'>` for a heap type (the module from its dict's
/// `__module__`, left out when missing or `builtins`), `<class 'tp_name'>` otherwise.
unsafe extern "C" fn type_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let ty = o as *mut PyTypeObject;
        let text = match heap_module_and_qualname(ts, ty) {
            Some((Some(m), q)) if m != "builtins" => format!("<class '{m}.{q}'>"),
            Some((_, q)) => format!("<class '{q}'>"),
            None => format!("<class '{}'>", type_name(ty)),
        };
        unicode::from_str(ts, &text).unwrap_or(null_mut())
    })
}

/// A heap type's `__module__` (when its dict has a str one) and qualified name.
fn heap_module_and_qualname(ts: Ts, ty: *mut PyTypeObject) -> Option<(Option<String>, String)> {
    if !object::is_heap_type(ty) {
        return None;
    }
    // SAFETY: a heap type is laid out as PyHeapTypeObject.
    let qualname = unsafe { (*(ty as *mut PyHeapTypeObject)).ht_qualname };
    if qualname.is_null() {
        return None;
    }
    let module = heap_module(ts, ty).filter(|&m| unicode::check(m)).map(unicode::to_string_lossy);
    Some((module, unicode::to_string_lossy(qualname)))
}

/// The `__module__` entry of a heap type's own dict (borrowed), if any.
fn heap_module(ts: Ts, ty: *mut PyTypeObject) -> Option<*mut PyObject> {
    // SAFETY: a heap type's dict.
    let d = unsafe { (*ty).tp_dict };
    if d.is_null() {
        return None;
    }
    let key = unicode::intern_str(ts, "__module__").ok()?;
    let found = super::dict::get_item(ts, d, key);
    unsafe { object::decref(key) };
    match found {
        Ok(v) => v,
        Err(_) => {
            errors::clear(ts);
            None
        }
    }
}

/// The text after the last dot of `tp_name` (the unqualified name).
pub fn short_name(ty: *mut PyTypeObject) -> &'static str {
    let full = type_name(ty);
    full.rsplit('.').next().unwrap_or(full)
}

/// The type's `__qualname__`: a heap type's `ht_qualname`, else its short name.
pub fn qualname_of(ty: *mut PyTypeObject) -> String {
    if object::is_heap_type(ty) {
        // SAFETY: a heap type is laid out as PyHeapTypeObject.
        let q = unsafe { (*(ty as *mut PyHeapTypeObject)).ht_qualname };
        if !q.is_null() && unicode::check(q) {
            return unicode::to_string_lossy(q);
        }
    }
    short_name(ty).to_string()
}

/// The whole `tp_name`, as the C string says it.
pub fn type_name(ty: *mut PyTypeObject) -> &'static str {
    // SAFETY: tp_name is a NUL-terminated string that lives as long as the type.
    unsafe {
        let p = (*ty).tp_name;
        if p.is_null() {
            return "?";
        }
        CStr::from_ptr(p).to_str().unwrap_or("?")
    }
}

/// `<T object at 0x...>`, the repr of objects whose type defines none.
pub unsafe extern "C" fn default_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let name = type_name(object::type_of(o));
        unicode::from_str(ts, &format!("<{name} object at {o:p}>")).unwrap_or(null_mut())
    })
}

pub unsafe extern "C" fn identity_hash(o: *mut PyObject) -> Py_hash_t {
    boundary::guard(|| super::hash::pointer(o as *const core::ffi::c_void))
}

// Exported under CPython's name from here, like the static type objects, rather than
// from `capi/`: extensions compare a type's slot with this address, so the slot and
// the export must be one function.
/// The `tp_hash` of unhashable types (list, dict, ...): raises `TypeError`.
#[export_name = "PyObject_HashNotImplemented"]
pub unsafe extern "C" fn hash_not_implemented(o: *mut PyObject) -> Py_hash_t {
    boundary::with_thread_state(|ts| {
        crate::protocols::object::unhashable(ts, o);
        -1
    })
}

pub unsafe extern "C" fn identity_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    boundary::guard(|| {
        let r = match op {
            Py_EQ => a == b,
            Py_NE => a != b,
            _ => return singletons::not_implemented(),
        };
        bool_::from_bool(r)
    })
}

unsafe extern "C" fn type_get_name(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::with_thread_state(|ts| unicode::from_str(ts, short_name(o as *mut PyTypeObject)).unwrap_or(null_mut()))
}

unsafe extern "C" fn type_get_qualname(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let ty = o as *mut PyTypeObject;
        if object::is_heap_type(ty) {
            // SAFETY: a heap type is laid out as PyHeapTypeObject.
            let q = unsafe { (*(ty as *mut PyHeapTypeObject)).ht_qualname };
            if !q.is_null() {
                return unsafe { object::new_ref(q) };
            }
        }
        unicode::from_str(ts, short_name(ty)).unwrap_or(null_mut())
    })
}

/// A heap type's `__module__` is its dict's entry (`AttributeError` without one, as
/// in CPython); a static type's is the dotted prefix of its name, else `builtins`.
unsafe extern "C" fn type_get_module(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let ty = o as *mut PyTypeObject;
        if object::is_heap_type(ty) {
            if let Some(m) = heap_module(ts, ty) {
                return unsafe { object::new_ref(m) };
            }
            if !type_name(ty).contains('.') {
                let exc = super::exceptions::exc(super::exceptions::Exc::AttributeError);
                errors::set_string(ts, exc, "__module__");
                return null_mut();
            }
        }
        let full = type_name(ty);
        let module = match full.rfind('.') {
            Some(i) => &full[..i],
            None => "builtins",
        };
        unicode::from_str(ts, module).unwrap_or(null_mut())
    })
}

unsafe extern "C" fn type_get_base(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::guard(|| {
        let base = unsafe { (*(o as *mut PyTypeObject)).tp_base };
        if base.is_null() {
            return singletons::none();
        }
        unsafe { object::new_ref(base as *mut PyObject) }
    })
}

unsafe extern "C" fn type_get_doc(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let doc = unsafe { (*(o as *mut PyTypeObject)).tp_doc };
        if doc.is_null() {
            return singletons::none();
        }
        let text = unsafe { CStr::from_ptr(doc) }.to_string_lossy();
        unicode::from_str(ts, &text).unwrap_or(null_mut())
    })
}

/// `__mro__`: a copy of `tp_mro` (a heap type's own holds itself uncounted; see heaptype).
unsafe extern "C" fn type_get_mro(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let order: Vec<*mut PyObject> =
            super::mro::mro_list(o as *mut PyTypeObject).into_iter().map(|t| t as *mut PyObject).collect();
        super::tuple::pack(ts, &order).unwrap_or(null_mut())
    })
}

unsafe extern "C" fn type_get_bases(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::guard(|| {
        let bases = unsafe { (*(o as *mut PyTypeObject)).tp_bases };
        let bases = if bases.is_null() { super::tuple::empty() } else { bases };
        unsafe { object::new_ref(bases) }
    })
}

/// `tp_call` of `type`: `type(x)` is `x`'s type; calling any other type makes an
/// instance with its `tp_new`, then runs its `tp_init` when `tp_new` returned one of its
/// instances.
unsafe extern "C" fn type_call(callee: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| call_type(ts, callee as *mut PyTypeObject, args, kwargs).unwrap_or(null_mut()))
}

pub fn call_type(ts: Ts, ty: *mut PyTypeObject, args: *mut PyObject, kwargs: *mut PyObject) -> PyResult<*mut PyObject> {
    let no_kwargs = kwargs.is_null() || super::dict::len(kwargs) == 0;
    if ty == type_type() && super::tuple::size(args) == 1 && no_kwargs {
        return Ok(type_of_new(super::tuple::item(args, 0)));
    }
    // SAFETY: a live type's slots.
    let Some(new) = (unsafe { (*ty).tp_new }) else {
        return Err(errors::type_error(ts, &format!("cannot create '{}' instances", type_name(ty))));
    };
    let obj = crate::protocols::object::check_result(ts, unsafe { new(ty, args, kwargs) }, "tp_new")?;
    let made = object::type_of(obj);
    if !object::is_subtype(made, ty) {
        return Ok(obj);
    }
    if let Some(init) = unsafe { (*made).tp_init } {
        if unsafe { init(obj, args, kwargs) } < 0 {
            // SAFETY: the instance tp_new made.
            unsafe { object::decref(obj) };
            return Err(errors::Raised);
        }
    }
    Ok(obj)
}

/// `tp_new` of `type`: `type(name, bases, dict)` makes a class (`heaptype::new_class`).
pub unsafe extern "C" fn type_new(
    meta: *mut PyTypeObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    boundary::with_thread_state(|ts| new_class(ts, meta, args, kwargs).map_or(null_mut(), |t| t as *mut PyObject))
}

/// True when `f` is `type`'s own `tp_new`.
pub fn is_type_new(f: newfunc) -> bool {
    f.is_some_and(|f| core::ptr::fn_addr_eq(f, type_new as unsafe extern "C" fn(_, _, _) -> _))
}

fn new_class(
    ts: Ts,
    meta: *mut PyTypeObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> PyResult<*mut PyTypeObject> {
    let args = if args.is_null() { &[][..] } else { super::tuple::items(args) };
    let &[name, bases, namespace] = args else {
        return Err(errors::type_error(ts, "type() takes 1 or 3 arguments"));
    };
    let wrong = |n: u32, what: &str, got: *mut PyObject| {
        let got = type_name(object::type_of(got));
        errors::type_error(ts, &format!("type.__new__() argument {n} must be {what}, not {got}"))
    };
    if !unicode::check(name) {
        return Err(wrong(1, "str", name));
    }
    if !super::tuple::check(bases) {
        return Err(wrong(2, "tuple", bases));
    }
    if !super::dict::check(namespace) {
        return Err(wrong(3, "dict", namespace));
    }
    let winner = most_derived_metatype(ts, meta, super::tuple::items(bases))?;
    if winner != meta {
        // SAFETY: a live metatype's slot.
        let new = unsafe { (*winner).tp_new };
        if let Some(new) = new.filter(|_| !is_type_new(new)) {
            // SAFETY: the winner's own constructor, with the caller's arguments.
            let tuple_args = super::tuple::pack(ts, args)?;
            let r = unsafe { new(winner, tuple_args, kwargs) };
            unsafe { object::decref(tuple_args) };
            return crate::protocols::object::check_result(ts, r, "tp_new").map(|o| o as *mut PyTypeObject);
        }
    }
    let meta = winner;
    // SAFETY: a live metatype.
    if unsafe { (*meta).tp_basicsize } as usize > core::mem::size_of::<PyHeapTypeObject>() {
        return Err(errors::type_error(ts, "type(): metatypes that extend the type layout are not supported"));
    }
    let base_types: Vec<*mut PyTypeObject> =
        super::tuple::items(bases).iter().map(|&b| b as *mut PyTypeObject).collect();
    let ns = super::dict::copy(ts, namespace)?;
    let made = class_from_namespace(ts, meta, name, &base_types, ns);
    // SAFETY: our copy; the type holds its own.
    unsafe { object::decref(ns) };
    let cls = made?;
    if let Err(e) = super::class_hooks::run(ts, cls, kwargs) {
        // SAFETY: the one reference to the new class.
        unsafe { object::decref(cls as *mut PyObject) };
        return Err(e);
    }
    Ok(cls)
}

/// The metatype of the class (CPython's `_PyType_CalculateMetaclass`): the most derived
/// of `meta` and the metatypes of the bases, which must form a chain.
fn most_derived_metatype(ts: Ts, meta: *mut PyTypeObject, bases: &[*mut PyObject]) -> PyResult<*mut PyTypeObject> {
    let mut winner = meta;
    for &b in bases {
        let candidate = object::type_of(b);
        if object::is_subtype(winner, candidate) {
            continue;
        }
        if object::is_subtype(candidate, winner) {
            winner = candidate;
            continue;
        }
        return Err(errors::type_error(
            ts,
            "metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases",
        ));
    }
    Ok(winner)
}

/// The entry `key` of `ns` (borrowed), if any.
fn entry(ts: Ts, ns: *mut PyObject, key: &str) -> PyResult<Option<*mut PyObject>> {
    let k = unicode::intern_str(ts, key)?;
    let v = super::dict::get_item(ts, ns, k);
    unsafe { object::decref(k) };
    v
}

/// Reads `__qualname__` (removed from the dict, as CPython does), `__doc__` and
/// `__slots__` from `ns`, and makes the class.
fn class_from_namespace(
    ts: Ts,
    meta: *mut PyTypeObject,
    name: *mut PyObject,
    bases: &[*mut PyTypeObject],
    ns: *mut PyObject,
) -> PyResult<*mut PyTypeObject> {
    let qualname = match entry(ts, ns, "__qualname__")? {
        Some(q) if !unicode::check(q) => {
            let got = type_name(object::type_of(q));
            return Err(errors::type_error(ts, &format!("type __qualname__ must be a str, not {got}")));
        }
        Some(q) => unsafe { object::new_ref(q) },
        None => null_mut(),
    };
    if !qualname.is_null() {
        let k = unicode::intern_str(ts, "__qualname__")?;
        let r = super::dict::del_item(ts, ns, k);
        unsafe { object::decref(k) };
        if let Err(e) = r {
            unsafe { object::decref(qualname) };
            return Err(e);
        }
    }
    let made = (|| {
        let doc = entry(ts, ns, "__doc__")?.filter(|&d| unicode::check(d)).map(unicode::to_string_lossy);
        // A class that defines equality but not hashing is unhashable.
        if entry(ts, ns, "__eq__")?.is_some() && entry(ts, ns, "__hash__")?.is_none() {
            super::module::set_str_attr(ts, ns, "__hash__", singletons::none())?;
        }
        super::heaptype::new_class(ts, meta, name, qualname, bases, doc.as_deref(), ns)
    })();
    unsafe { object::xdecref(qualname) };
    made
}

fn excess_args(args: *mut PyObject, kwargs: *mut PyObject) -> bool {
    (!args.is_null() && super::tuple::size(args) > 0) || (!kwargs.is_null() && super::dict::len(kwargs) > 0)
}

fn is_object_new(f: newfunc) -> bool {
    f.is_some_and(|f| core::ptr::fn_addr_eq(f, object_new as unsafe extern "C" fn(_, _, _) -> _))
}

fn is_object_init(f: initproc) -> bool {
    f.is_some_and(|f| core::ptr::fn_addr_eq(f, object_init as unsafe extern "C" fn(_, _, _) -> _))
}

/// `object.__new__`: an instance from `tp_alloc`; arguments only when the type
/// overrides `__init__` and not `__new__`.
pub unsafe extern "C" fn object_new(
    ty: *mut PyTypeObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        // SAFETY: a live type's slots.
        let (new, init, alloc) = unsafe { ((*ty).tp_new, (*ty).tp_init, (*ty).tp_alloc) };
        if excess_args(args, kwargs) {
            if !is_object_new(new) {
                errors::type_error(ts, "object.__new__() takes exactly one argument (the type to instantiate)");
                return null_mut();
            }
            if is_object_init(init) {
                errors::type_error(ts, &format!("{}() takes no arguments", type_name(ty)));
                return null_mut();
            }
        }
        match alloc {
            Some(a) => unsafe { a(ty, 0) },
            None => generic_alloc_in(ts, ty, 0).unwrap_or(null_mut()),
        }
    })
}

/// `object.__init__`: nothing to do; arguments only when the type overrides `__new__`.
pub unsafe extern "C" fn object_init(o: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| {
        let ty = object::type_of(o);
        // SAFETY: a live type's slots.
        let (new, init) = unsafe { ((*ty).tp_new, (*ty).tp_init) };
        if excess_args(args, kwargs) {
            if !is_object_init(init) {
                errors::type_error(ts, "object.__init__() takes exactly one argument (the instance to initialize)");
                return -1;
            }
            if is_object_new(new) {
                let text =
                    format!("{}.__init__() takes exactly one argument (the instance to initialize)", type_name(ty));
                errors::type_error(ts, &text);
                return -1;
            }
        }
        0
    })
}

/// `PyType_GenericAlloc`: a zeroed instance of `ty` with room for `nitems` items.
/// Instances of GC types get the pre-header and start tracked, as CPython's do.
pub fn generic_alloc_in(ts: Ts, ty: *mut PyTypeObject, nitems: Py_ssize_t) -> PyResult<*mut PyObject> {
    if super::gc::is_gc_type(ty) {
        let o = super::gc::alloc(ts, ty, nitems)?;
        super::gc::track(o);
        return Ok(o);
    }
    object::alloc_object(ts, ty, nitems)
}

/// `tp_alloc` of `object`, inherited by every type that does not set its own.
pub unsafe extern "C" fn generic_alloc(ty: *mut PyTypeObject, nitems: Py_ssize_t) -> *mut PyObject {
    boundary::with_thread_state(|ts| generic_alloc_in(ts, ty, nitems).unwrap_or(null_mut()))
}

static mut TYPE_GETSET: [PyGetSetDef; 8] = [
    getset(c"__name__", type_get_name),
    getset(c"__qualname__", type_get_qualname),
    getset(c"__module__", type_get_module),
    getset(c"__base__", type_get_base),
    getset(c"__doc__", type_get_doc),
    getset(c"__mro__", type_get_mro),
    getset(c"__bases__", type_get_bases),
    PyGetSetDef { name: core::ptr::null(), get: None, set: None, doc: core::ptr::null(), closure: null_mut() },
];

/// A read-only getset entry.
pub const fn getset(
    name: &'static CStr,
    get: unsafe extern "C" fn(*mut PyObject, *mut c_void) -> *mut PyObject,
) -> PyGetSetDef {
    PyGetSetDef { name: name.as_ptr(), get: Some(get), set: None, doc: core::ptr::null(), closure: null_mut() }
}

#[no_mangle]
pub static mut PyType_Type: PyTypeObject = PyTypeObject {
    ob_base: PyVarObject {
        ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut PyType_Type },
        ob_size: 0,
    },
    tp_dealloc: Some(super::heaptype::type_dealloc),
    tp_repr: Some(type_repr),
    tp_call: Some(type_call),
    tp_new: Some(type_new),
    tp_getattro: Some(crate::protocols::attr::type_getattro),
    tp_setattro: Some(crate::protocols::attr::type_setattro),
    tp_getset: &raw mut TYPE_GETSET as *mut PyGetSetDef,
    tp_flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_TYPE_SUBCLASS | Py_TPFLAGS_IMMUTABLETYPE,
    tp_base: &raw mut super::object::PyBaseObject_Type,
    ..PyTypeObject::blank(c"type", core::mem::size_of::<PyHeapTypeObject>(), 0)
};

#[inline]
pub fn type_type() -> *mut PyTypeObject {
    &raw mut PyType_Type
}

/// Readies a static type once per process, as `PyType_Ready` does: links it to its base
/// (`object` by default), sets `tp_bases` and `tp_mro` (immortal tuples every
/// interpreter reads) and fills its empty slots from the types of its MRO. Idempotent.
///
/// # Safety
/// Called while no other thread uses `ty` (runtime start-up), on a live static type.
pub unsafe fn ready_static(ty: *mut PyTypeObject) {
    unsafe {
        let t = &mut *ty;
        if t.tp_flags & Py_TPFLAGS_READY != 0 && ty != base_object_type() {
            return;
        }
        if t.ob_base.ob_base.ob_type.is_null() {
            t.ob_base.ob_base.ob_type = type_type();
        }
        if t.tp_base.is_null() && ty != base_object_type() {
            t.tp_base = base_object_type();
        }
        let bases: Vec<*mut PyTypeObject> = if !t.tp_bases.is_null() {
            super::tuple::items(t.tp_bases).iter().map(|&b| b as *mut PyTypeObject).collect()
        } else if t.tp_base.is_null() {
            Vec::new()
        } else {
            vec![t.tp_base]
        };
        for &b in &bases {
            ready_static(b);
        }
        if t.tp_bases.is_null() {
            let items: Vec<*mut PyObject> = bases.iter().map(|&b| b as *mut PyObject).collect();
            t.tp_bases = super::tuple::new_immortal(&items).unwrap_or(null_mut());
        }
        if t.tp_mro.is_null() {
            if let Some(mro) = super::mro::compute_static(ty, &bases) {
                let items: Vec<*mut PyObject> = mro.iter().map(|&b| b as *mut PyObject).collect();
                t.tp_mro = super::tuple::new_immortal(&items).unwrap_or(null_mut());
            }
        }
        for b in super::mro::mro_list(ty).into_iter().skip(1) {
            inherit_slots(&mut *ty, &*b);
        }
        if !t.tp_base.is_null() {
            inherit_flags(t, &*t.tp_base);
        }
        // isle's builtins make their instances with their own constructors; one that
        // sets no tp_new is not callable (object's would make a broken instance).
        if ty != base_object_type() && is_object_new(t.tp_new) {
            t.tp_new = None;
        }
        super::typestate::register_static(ty);
        t.tp_flags |= Py_TPFLAGS_READY;
    }
}

/// Serializes `PyType_Ready` of static types: they are memory every interpreter
/// shares, and interpreters with their own GILs may ready the same one at once.
static READY_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// `PyType_Ready`. A heap type is ready when made. A static type (an extension's) is
/// readied once per process, as the builtins are: its bases and MRO become immortal
/// tuples, it inherits slots along its MRO, and it becomes immortal itself, since every
/// interpreter may use it. Its dict is per interpreter (`typestate::dict_of`); this
/// makes the current interpreter's, with a descriptor for each method, member and getset.
pub fn ready(ts: Ts, ty: *mut PyTypeObject) -> PyResult<()> {
    if object::is_heap_type(ty) {
        return Ok(());
    }
    {
        let _guard = READY_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        ready_locked(ts, ty)?;
    }
    super::typestate::dict_of(ts, ty).map(|_| ())
}

fn ready_locked(ts: Ts, ty: *mut PyTypeObject) -> PyResult<()> {
    // SAFETY: READY_LOCK keeps other readers of an unready type's fields out; a ready
    // static type is never written again.
    unsafe {
        let t = &mut *ty;
        if t.tp_flags & Py_TPFLAGS_READY != 0 {
            return Ok(());
        }
        if t.ob_base.ob_base.ob_type.is_null() {
            t.ob_base.ob_base.ob_type = type_type();
        }
        if t.tp_base.is_null() && ty != base_object_type() {
            t.tp_base = base_object_type();
        }
        let bases: Vec<*mut PyTypeObject> = if !t.tp_bases.is_null() {
            super::tuple::items(t.tp_bases).iter().map(|&b| b as *mut PyTypeObject).collect()
        } else {
            vec![t.tp_base]
        };
        for &b in &bases {
            if object::is_heap_type(b) {
                return Err(errors::type_error(
                    ts,
                    &format!(
                        "type '{}' is not dynamically allocated but its base type '{}' is dynamically allocated",
                        type_name(ty),
                        type_name(b)
                    ),
                ));
            }
            ready_locked(ts, b)?;
        }
        let order = super::mro::compute(ts, ty, &bases)?;
        let as_objects = |v: &[*mut PyTypeObject]| v.iter().map(|&b| b as *mut PyObject).collect::<Vec<_>>();
        let Some(mro) = super::tuple::new_immortal(&as_objects(&order)) else { return Err(errors::no_memory(ts)) };
        if t.tp_bases.is_null() {
            let Some(b) = super::tuple::new_immortal(&as_objects(&bases)) else { return Err(errors::no_memory(ts)) };
            t.tp_bases = b;
        }
        t.tp_mro = mro;
        let base = &*t.tp_base;
        if t.tp_basicsize == 0 {
            t.tp_basicsize = base.tp_basicsize;
        }
        if t.tp_itemsize == 0 {
            t.tp_itemsize = base.tp_itemsize;
        }
        for &b in &order[1..] {
            inherit_slots(&mut *ty, &*b);
        }
        inherit_flags(t, base);
        super::gc::fix_free(ty);
        t.ob_base.ob_base.ob_refcnt = _Py_IMMORTAL_REFCNT;
        super::typestate::register_static(ty);
        t.tp_flags |= Py_TPFLAGS_READY;
    }
    Ok(())
}

/// Copies each entry of `base`'s table that `own` leaves empty (the tables of
/// `PyTypeObject`'s `tp_as_*`). A type without a table of its own shares its base's, as
/// CPython does for static types; heap types always have their own.
///
/// # Safety
/// `own` and `base` are null or point to live tables; `own` is writable.
unsafe fn inherit_table<T>(own: &mut *mut T, base: *mut T, fill: fn(&mut T, &T)) {
    if base.is_null() || *own == base {
        return;
    }
    if own.is_null() {
        *own = base;
        return;
    }
    // SAFETY: distinct live tables, per the contract.
    unsafe { fill(&mut **own, &*base) }
}

macro_rules! fill_empty {
    ($t:ident, $b:ident; $($f:ident),* $(,)?) => { $( if $t.$f.is_none() { $t.$f = $b.$f; } )* };
}

fn fill_number(t: &mut PyNumberMethods, b: &PyNumberMethods) {
    fill_empty!(t, b; nb_add, nb_subtract, nb_multiply, nb_remainder, nb_divmod, nb_power,
        nb_negative, nb_positive, nb_absolute, nb_bool, nb_invert, nb_lshift, nb_rshift, nb_and,
        nb_xor, nb_or, nb_int, nb_float, nb_inplace_add, nb_inplace_subtract, nb_inplace_multiply,
        nb_inplace_remainder, nb_inplace_power, nb_inplace_lshift, nb_inplace_rshift, nb_inplace_and,
        nb_inplace_xor, nb_inplace_or, nb_floor_divide, nb_true_divide, nb_inplace_floor_divide,
        nb_inplace_true_divide, nb_index, nb_matrix_multiply, nb_inplace_matrix_multiply);
}

fn fill_sequence(t: &mut PySequenceMethods, b: &PySequenceMethods) {
    fill_empty!(t, b; sq_length, sq_concat, sq_repeat, sq_item, sq_ass_item, sq_contains,
        sq_inplace_concat, sq_inplace_repeat);
}

fn fill_mapping(t: &mut PyMappingMethods, b: &PyMappingMethods) {
    fill_empty!(t, b; mp_length, mp_subscript, mp_ass_subscript);
}

fn fill_async(t: &mut PyAsyncMethods, b: &PyAsyncMethods) {
    fill_empty!(t, b; am_await, am_aiter, am_anext, am_send);
}

fn fill_buffer(t: &mut PyBufferProcs, b: &PyBufferProcs) {
    fill_empty!(t, b; bf_getbuffer, bf_releasebuffer);
}

/// Copies into `t` every slot it leaves empty and `base` defines, table entries one by
/// one (a type defining `nb_add` alone still inherits `nb_multiply`).
pub fn inherit_slots(t: &mut PyTypeObject, base: &PyTypeObject) {
    fill_empty!(t, base; tp_dealloc, tp_repr, tp_str, tp_hash, tp_richcompare, tp_getattro,
        tp_setattro, tp_call, tp_iter, tp_iternext, tp_init, tp_alloc, tp_new, tp_free,
        tp_descr_get, tp_descr_set, tp_traverse, tp_clear, tp_finalize);
    // SAFETY: the tables of live types; a static type's are written only at start-up,
    // a heap type's are its own.
    unsafe {
        inherit_table(&mut t.tp_as_number, base.tp_as_number, fill_number);
        inherit_table(&mut t.tp_as_sequence, base.tp_as_sequence, fill_sequence);
        inherit_table(&mut t.tp_as_mapping, base.tp_as_mapping, fill_mapping);
        inherit_table(&mut t.tp_as_async, base.tp_as_async, fill_async);
        inherit_table(&mut t.tp_as_buffer, base.tp_as_buffer, fill_buffer);
    }
    if t.tp_dictoffset == 0 {
        t.tp_dictoffset = base.tp_dictoffset;
    }
    if t.tp_weaklistoffset == 0 {
        t.tp_weaklistoffset = base.tp_weaklistoffset;
    }
}

/// The flags a type takes from its layout base: which builtin it is a subclass of.
pub fn inherit_flags(t: &mut PyTypeObject, base: &PyTypeObject) {
    let subclass_bits = Py_TPFLAGS_LONG_SUBCLASS
        | Py_TPFLAGS_LIST_SUBCLASS
        | Py_TPFLAGS_TUPLE_SUBCLASS
        | Py_TPFLAGS_BYTES_SUBCLASS
        | Py_TPFLAGS_UNICODE_SUBCLASS
        | Py_TPFLAGS_DICT_SUBCLASS
        | Py_TPFLAGS_BASE_EXC_SUBCLASS
        | Py_TPFLAGS_TYPE_SUBCLASS;
    t.tp_flags |= base.tp_flags & subclass_bits;
}

/// `PyType_IsSubtype`.
pub fn is_subtype(a: *mut PyTypeObject, b: *mut PyTypeObject) -> bool {
    object::is_subtype(a, b)
}

/// Raises `TypeError` naming what was expected and what was given.
pub fn expected(ts: Ts, what: &str, got: *mut PyObject) -> errors::Raised {
    let name = type_name(object::type_of(got));
    errors::type_error(ts, &format!("expected {what}, got {name}"))
}

/// A new reference to the type of `o` (`PyObject_Type`).
pub fn type_of_new(o: *mut PyObject) -> *mut PyObject {
    let t = object::type_of(o) as *mut PyObject;
    unsafe { incref(t) };
    t
}

pub fn check_not_null(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if o.is_null() {
        Err(errors::bad_internal_call(ts))
    } else {
        Ok(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe extern "C" fn add(a: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
        boundary::guard(|| a)
    }
    // A different body from `add`, so the two can never be folded into one function.
    unsafe extern "C" fn mul(_: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
        boundary::guard(|| b)
    }
    unsafe extern "C" fn neg(a: *mut PyObject) -> *mut PyObject {
        boundary::guard(|| a)
    }

    #[test]
    fn a_partial_table_inherits_the_rest_entry_by_entry() {
        let mut base_nb = PyNumberMethods { nb_add: Some(add), nb_multiply: Some(mul), ..PyNumberMethods::EMPTY };
        let mut own_nb = PyNumberMethods { nb_negative: Some(neg), nb_add: Some(mul), ..PyNumberMethods::EMPTY };
        let mut base = PyTypeObject::blank(c"Base", 16, 0);
        base.tp_as_number = &raw mut base_nb;
        let mut sub = PyTypeObject::blank(c"Sub", 16, 0);
        sub.tp_as_number = &raw mut own_nb;
        inherit_slots(&mut sub, &base);
        assert_eq!(sub.tp_as_number, &raw mut own_nb, "the subtype keeps its own table");
        let f = |s: binaryfunc| s.map(|f| f as *const () as usize);
        assert_eq!(f(own_nb.nb_multiply), Some(mul as *const () as usize), "inherited");
        assert_eq!(f(own_nb.nb_add), Some(mul as *const () as usize), "its own entry wins");
        assert!(own_nb.nb_negative.is_some());
        assert_eq!(f(base_nb.nb_add), Some(add as *const () as usize), "the base's table is left alone");
        assert!(base_nb.nb_negative.is_none());
    }

    #[test]
    fn a_type_without_a_table_shares_its_bases() {
        let mut base_sq = PySequenceMethods::EMPTY;
        let mut base = PyTypeObject::blank(c"Base", 16, 0);
        base.tp_as_sequence = &raw mut base_sq;
        let mut sub = PyTypeObject::blank(c"Sub", 16, 0);
        inherit_slots(&mut sub, &base);
        assert_eq!(sub.tp_as_sequence, &raw mut base_sq);
        assert!(sub.tp_as_mapping.is_null());
    }
}
