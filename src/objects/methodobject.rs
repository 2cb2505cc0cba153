//! Builtin functions and methods (`builtin_function_or_method`): a `PyMethodDef`
//! bound to a `self` (a module, an instance, or nothing), and `call_def`, the one
//! place that calls a `PyMethodDef` by its `METH_*` convention. Method descriptors
//! call `call_def` too.

use super::object::{self, clear_slot, decref, type_of};
use super::typeobject::{getset, type_name};
use super::{dict, module, singletons, tuple, unicode};
use crate::abi::*;
use crate::protocols::call::{self as callp, arg_slice, nargs_of};
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ffi::{c_int, c_void, CStr};
use core::ptr::null_mut;

/// The calling-convention bits of `ml_flags` (the binding bits masked off).
const CALL_BITS: c_int = METH_VARARGS | METH_FASTCALL | METH_NOARGS | METH_O | METH_KEYWORDS | METH_METHOD;

type WithKeywords = unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject;
type Fast = unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, Py_ssize_t) -> *mut PyObject;
type FastWithKeywords =
    unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, Py_ssize_t, *mut PyObject) -> *mut PyObject;
type Method =
    unsafe extern "C" fn(*mut PyObject, *mut PyTypeObject, *const *mut PyObject, usize, *mut PyObject) -> *mut PyObject;

/// The conventions a `PyMethodDef` may use.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Convention {
    VarArgs,
    VarArgsKeywords,
    Fast,
    FastKeywords,
    Method,
    NoArgs,
    O,
}

/// The convention `ml_flags` names, or None for a combination CPython refuses.
#[inline]
pub fn convention(flags: c_int) -> Option<Convention> {
    Some(match flags & CALL_BITS {
        METH_VARARGS => Convention::VarArgs,
        f if f == METH_VARARGS | METH_KEYWORDS => Convention::VarArgsKeywords,
        METH_FASTCALL => Convention::Fast,
        f if f == METH_FASTCALL | METH_KEYWORDS => Convention::FastKeywords,
        f if f == METH_METHOD | METH_FASTCALL | METH_KEYWORDS => Convention::Method,
        METH_NOARGS => Convention::NoArgs,
        METH_O => Convention::O,
        _ => return None,
    })
}

fn def_name(def: *const PyMethodDef) -> String {
    // SAFETY: ml_name is a NUL-terminated string for as long as the def lives.
    unsafe {
        let n = (*def).ml_name;
        if n.is_null() {
            return "?".into();
        }
        CStr::from_ptr(n).to_string_lossy().into_owned()
    }
}

/// `SystemError: f() method: bad call flags`, as CPython raises for a def whose
/// flags name no convention.
pub fn bad_flags(ts: Ts, def: *const PyMethodDef) -> Raised {
    errors::system_error(ts, &format!("{}() method: bad call flags", def_name(def)))
}

/// Calls `def` with `self_` (null for none) by its `METH_*` convention. `args` holds
/// the positional arguments, then the values of the keyword arguments named by
/// `kwnames` (a tuple of str, or null). `defining_class` is passed to `METH_METHOD`
/// functions. Raises CPython's `TypeError`s for arguments the convention cannot take,
/// and `SystemError` when the function breaks the NULL-iff-exception contract.
pub fn call_def(
    ts: Ts,
    def: *const PyMethodDef,
    self_: *mut PyObject,
    defining_class: *mut PyTypeObject,
    args: &[*mut PyObject],
    kwnames: *mut PyObject,
) -> PyResult<*mut PyObject> {
    let module = if !self_.is_null() && module::check(self_) { module::name_object(self_) } else { null_mut() };
    dispatch(ts, def, Site { self_, defining_class, module }, args, kwnames)
}

/// `call_def` with the arguments as a tuple and the keyword arguments as a dict (or
/// null), as `tp_call` receives them.
pub fn call_def_tuple(
    ts: Ts,
    def: *const PyMethodDef,
    self_: *mut PyObject,
    defining_class: *mut PyTypeObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> PyResult<*mut PyObject> {
    let module = if !self_.is_null() && module::check(self_) { module::name_object(self_) } else { null_mut() };
    dispatch_tuple(ts, def, Site { self_, defining_class, module }, args, kwargs)
}

/// What a call is bound to: enough to name the function in messages as CPython does
/// (`module.f()`, `Type.f()`, `f()`).
#[derive(Clone, Copy)]
struct Site {
    self_: *mut PyObject,
    defining_class: *mut PyTypeObject,
    /// `__module__` (a str, or null / anything else for none).
    module: *mut PyObject,
}

/// The `__qualname__` of a function bound as `site` says.
fn qualname(def: *const PyMethodDef, site: Site) -> String {
    let name = def_name(def);
    let owner = if !site.defining_class.is_null() {
        site.defining_class
    } else if site.self_.is_null() || module::check(site.self_) {
        return name;
    } else if object::has_flag(type_of(site.self_), Py_TPFLAGS_TYPE_SUBCLASS) {
        site.self_ as *mut PyTypeObject
    } else {
        type_of(site.self_)
    };
    format!("{}.{name}", super::typeobject::qualname_of(owner))
}

/// The function as messages name it: `module.qualname()`, without the module for
/// builtins or when there is none.
fn function_str(def: *const PyMethodDef, site: Site) -> String {
    let q = qualname(def, site);
    if !site.module.is_null() && unicode::check(site.module) {
        let m = unicode::to_string_lossy(site.module);
        if m != "builtins" {
            return format!("{m}.{q}()");
        }
    }
    format!("{q}()")
}

fn no_keywords(ts: Ts, who: String) -> Raised {
    errors::type_error(ts, &format!("{who} takes no keyword arguments"))
}

fn dispatch(
    ts: Ts,
    def: *const PyMethodDef,
    site: Site,
    args: &[*mut PyObject],
    kwnames: *mut PyObject,
) -> PyResult<*mut PyObject> {
    // SAFETY: `def` is a live PyMethodDef (the caller's contract).
    let (flags, meth) = unsafe { ((*def).ml_flags, (*def).ml_meth) };
    let Some(conv) = convention(flags) else { return Err(bad_flags(ts, def)) };
    let Some(meth) = meth else { return Err(bad_flags(ts, def)) };
    let nkw = if kwnames.is_null() { 0 } else { tuple::size(kwnames) as usize };
    let nargs = args.len() - nkw;
    let kwnames = if nkw == 0 { null_mut() } else { kwnames };
    let self_ = if flags & METH_STATIC != 0 { null_mut() } else { site.self_ };
    // SAFETY (each arm): the flags name the function's real C signature, so the
    // pointer is called as that type; `args` outlives the call.
    let r = unsafe {
        match conv {
            Convention::VarArgs | Convention::VarArgsKeywords => {
                if conv == Convention::VarArgs && nkw > 0 {
                    return Err(no_keywords(ts, format!("{}()", def_name(def))));
                }
                return call_varargs(ts, def, site, conv, &args[..nargs], kwnames, &args[nargs..]);
            }
            Convention::Fast => {
                if nkw > 0 {
                    return Err(no_keywords(ts, function_str(def, site)));
                }
                let f: Fast = core::mem::transmute(meth);
                f(self_, args.as_ptr(), nargs as Py_ssize_t)
            }
            Convention::FastKeywords => {
                let f: FastWithKeywords = core::mem::transmute(meth);
                f(self_, args.as_ptr(), nargs as Py_ssize_t, kwnames)
            }
            Convention::Method => {
                let f: Method = core::mem::transmute(meth);
                f(self_, site.defining_class, args.as_ptr(), nargs, kwnames)
            }
            Convention::NoArgs => {
                if nkw > 0 {
                    return Err(no_keywords(ts, function_str(def, site)));
                }
                if nargs != 0 {
                    let who = function_str(def, site);
                    return Err(errors::type_error(ts, &format!("{who} takes no arguments ({nargs} given)")));
                }
                meth(self_, null_mut())
            }
            Convention::O => {
                if nkw > 0 {
                    return Err(no_keywords(ts, function_str(def, site)));
                }
                if nargs != 1 {
                    let who = function_str(def, site);
                    return Err(errors::type_error(ts, &format!("{who} takes exactly one argument ({nargs} given)")));
                }
                meth(self_, args[0])
            }
        }
    };
    checked(ts, def, site, r)
}

/// A `METH_VARARGS` call from an argument array: the tuple (and dict) it takes.
fn call_varargs(
    ts: Ts,
    def: *const PyMethodDef,
    site: Site,
    conv: Convention,
    positional: &[*mut PyObject],
    kwnames: *mut PyObject,
    kwvalues: &[*mut PyObject],
) -> PyResult<*mut PyObject> {
    let t = tuple::pack(ts, positional)?;
    let kwargs = if kwnames.is_null() { Ok(null_mut()) } else { callp::kwnames_to_dict(ts, kwnames, kwvalues) };
    let r = kwargs.and_then(|d| {
        let r = call_with_tuple(ts, def, site, conv, t, d);
        // SAFETY: null or the dict made above.
        unsafe { object::xdecref(d) };
        r
    });
    // SAFETY: the tuple made above.
    unsafe { decref(t) };
    r
}

fn call_with_tuple(
    ts: Ts,
    def: *const PyMethodDef,
    site: Site,
    conv: Convention,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> PyResult<*mut PyObject> {
    // SAFETY: `def` is live and its flags say VARARGS (with or without KEYWORDS).
    let (flags, meth) = unsafe { ((*def).ml_flags, (*def).ml_meth) };
    let Some(meth) = meth else { return Err(bad_flags(ts, def)) };
    let self_ = if flags & METH_STATIC != 0 { null_mut() } else { site.self_ };
    let r = if conv == Convention::VarArgsKeywords {
        // SAFETY: METH_VARARGS | METH_KEYWORDS functions take (self, tuple, dict).
        unsafe {
            let f: WithKeywords = core::mem::transmute(meth);
            f(self_, args, kwargs)
        }
    } else {
        if !kwargs.is_null() && dict::len(kwargs) != 0 {
            return Err(no_keywords(ts, format!("{}()", def_name(def))));
        }
        // SAFETY: METH_VARARGS functions take (self, tuple).
        unsafe { meth(self_, args) }
    };
    checked(ts, def, site, r)
}

fn dispatch_tuple(
    ts: Ts,
    def: *const PyMethodDef,
    site: Site,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> PyResult<*mut PyObject> {
    // SAFETY: `def` is live.
    let flags = unsafe { (*def).ml_flags };
    match convention(flags) {
        Some(conv @ (Convention::VarArgs | Convention::VarArgsKeywords)) => {
            call_with_tuple(ts, def, site, conv, args, kwargs)
        }
        Some(_) if kwargs.is_null() || dict::len(kwargs) == 0 => {
            dispatch(ts, def, site, tuple::items(args), null_mut())
        }
        Some(_) => {
            let (all, kwnames) = callp::dict_to_kwnames(ts, tuple::items(args), kwargs)?;
            let r = dispatch(ts, def, site, &all, kwnames);
            // SAFETY: the names tuple made above.
            unsafe { decref(kwnames) };
            r
        }
        None => Err(bad_flags(ts, def)),
    }
}

/// CPython's check of a C function's result: NULL exactly when an exception is set.
#[inline]
fn checked(ts: Ts, def: *const PyMethodDef, site: Site, r: *mut PyObject) -> PyResult<*mut PyObject> {
    let raised = errors::occurred(ts);
    if !r.is_null() && !raised {
        return Ok(r);
    }
    misbehaved(ts, def, site, r, raised)
}

/// A result that breaks the rule "NULL exactly when an exception is set".
#[cold]
fn misbehaved(ts: Ts, def: *const PyMethodDef, site: Site, r: *mut PyObject, raised: bool) -> PyResult<*mut PyObject> {
    if r.is_null() && !raised {
        let who = format!("<built-in function {}>", qualname(def, site));
        return Err(errors::system_error(ts, &format!("{who} returned NULL without setting an exception")));
    }
    if r.is_null() {
        return Err(Raised);
    }
    if raised {
        // SAFETY: a new reference we will not return.
        unsafe { decref(r) };
        let cause = errors::take_raised(ts);
        let who = format!("<built-in function {}>", qualname(def, site));
        errors::system_error(ts, &format!("{who} returned a result with an exception set"));
        errors::chain_cause(ts, cause);
        return Err(Raised);
    }
    Ok(r)
}

// --- the function objects ---

unsafe extern "C" fn cfunction_dealloc(o: *mut PyObject) {
    boundary::guard(|| {
        // SAFETY: `o` is a dead function object of ours; each field is owned or null.
        unsafe {
            let f = &mut *(o as *mut PyCFunctionObject);
            clear_slot(&mut f.m_self);
            clear_slot(&mut f.m_module);
            if object::is_subtype(type_of(o), cmethod_type()) {
                let m = &mut *(o as *mut PyCMethodObject);
                let class = core::mem::replace(&mut m.mm_class, null_mut());
                object::xdecref(class as *mut PyObject);
            }
            object::free_object(o);
        }
    })
}

fn fields<'a>(o: *mut PyObject) -> &'a PyCFunctionObject {
    // SAFETY: only called on instances of PyCFunction_Type and its subtypes.
    unsafe { &*(o as *mut PyCFunctionObject) }
}

/// The defining class of a `METH_METHOD` function object (borrowed), or null.
pub fn class_of(o: *mut PyObject) -> *mut PyTypeObject {
    let f = fields(o);
    // SAFETY: m_ml is live; METH_METHOD functions are PyCMethodObjects.
    if unsafe { (*f.m_ml).ml_flags } & METH_METHOD != 0 {
        unsafe { (*(o as *mut PyCMethodObject)).mm_class }
    } else {
        null_mut()
    }
}

#[inline]
fn site_of(o: *mut PyObject) -> Site {
    let f = fields(o);
    Site { self_: f.m_self, defining_class: class_of(o), module: f.m_module }
}

unsafe extern "C" fn cfunction_vectorcall(
    o: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    boundary::slot(|ts| {
        let nkw = if kwnames.is_null() { 0 } else { tuple::size(kwnames) as usize };
        let all = arg_slice(args, nargs_of(nargsf) + nkw);
        dispatch(ts, fields(o).m_ml, site_of(o), all, kwnames)
    })
}

/// A def's function, present.
type CFunction = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;

/// The C function of `o`'s def and the `self` it is called with, for the vectorcalls
/// that go straight to it (none when the def holds no function).
#[inline]
fn direct_target(o: *mut PyObject) -> Option<(CFunction, *mut PyObject)> {
    let def = fields(o).m_ml;
    // SAFETY: `def` outlives the function (the C API's rule).
    let (flags, meth) = unsafe { ((*def).ml_flags, (*def).ml_meth) };
    let self_ = if flags & METH_STATIC != 0 { null_mut() } else { fields(o).m_self };
    meth.map(|meth| (meth, self_))
}

/// The vectorcall of `METH_FASTCALL` functions: straight to the C function. As in
/// CPython, the caller checks the result (`protocols::call` does) and the one nesting
/// level is counted there; anything off the plain path (keywords, a def changed to
/// hold no function) goes through `cfunction_vectorcall` for its error.
unsafe extern "C" fn cfunction_vectorcall_fast(
    o: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    boundary::guard(|| {
        match direct_target(o) {
            Some((meth, self_)) if kwnames.is_null() => {
                // SAFETY: the function was made for a METH_FASTCALL def, so `meth` has
                // that signature; `args` holds `nargs` live objects.
                unsafe {
                    let f: Fast = core::mem::transmute(meth);
                    f(self_, args, nargs_of(nargsf) as Py_ssize_t)
                }
            }
            // SAFETY: the same arguments, handed on.
            _ => unsafe { cfunction_vectorcall(o, args, nargsf, kwnames) },
        }
    })
}

/// The vectorcall of `METH_O` functions, as `cfunction_vectorcall_fast` is for
/// `METH_FASTCALL`: one positional argument goes straight to the C function.
unsafe extern "C" fn cfunction_vectorcall_o(
    o: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    boundary::guard(|| {
        match direct_target(o) {
            Some((meth, self_)) if kwnames.is_null() && nargs_of(nargsf) == 1 => {
                // SAFETY: a METH_O def's function takes (self, arg); args[0] is live.
                unsafe { meth(self_, *args) }
            }
            // SAFETY: the same arguments, handed on.
            _ => unsafe { cfunction_vectorcall(o, args, nargsf, kwnames) },
        }
    })
}

/// The vectorcall of `METH_NOARGS` functions: no arguments, straight to the C function.
unsafe extern "C" fn cfunction_vectorcall_noargs(
    o: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    boundary::guard(|| {
        match direct_target(o) {
            Some((meth, self_)) if kwnames.is_null() && nargs_of(nargsf) == 0 => {
                // SAFETY: a METH_NOARGS def's function takes (self, NULL).
                unsafe { meth(self_, null_mut()) }
            }
            // SAFETY: the same arguments, handed on.
            _ => unsafe { cfunction_vectorcall(o, args, nargsf, kwnames) },
        }
    })
}

unsafe extern "C" fn cfunction_call(o: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| dispatch_tuple(ts, fields(o).m_ml, site_of(o), args, kwargs))
}

unsafe extern "C" fn cfunction_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        let f = fields(o);
        let name = def_name(f.m_ml);
        let text = if f.m_self.is_null() || module::check(f.m_self) {
            format!("<built-in function {name}>")
        } else {
            format!("<built-in method {name} of {} object at {:p}>", type_name(type_of(f.m_self)), f.m_self)
        };
        unicode::from_str(ts, &text)
    })
}

unsafe extern "C" fn get_name(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::slot(|ts| unicode::from_str(ts, &def_name(fields(o).m_ml)))
}

unsafe extern "C" fn get_qualname(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::slot(|ts| {
        let f = fields(o);
        let site = Site { self_: f.m_self, defining_class: null_mut(), module: null_mut() };
        unicode::from_str(ts, &qualname(f.m_ml, site))
    })
}

unsafe extern "C" fn get_module(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::guard(|| {
        let m = fields(o).m_module;
        let m = if m.is_null() { singletons::none() } else { m };
        // SAFETY: a live object; the getter returns a new reference.
        unsafe { object::new_ref(m) }
    })
}

unsafe extern "C" fn get_self(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::guard(|| {
        let s = self_of(o);
        let s = if s.is_null() { singletons::none() } else { s };
        // SAFETY: a live object; the getter returns a new reference.
        unsafe { object::new_ref(s) }
    })
}

unsafe extern "C" fn get_doc(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::slot(|ts| {
        let f = fields(o);
        // SAFETY: m_ml is live; ml_doc is null or a NUL-terminated string.
        let doc = unsafe { (*f.m_ml).ml_doc };
        if doc.is_null() {
            return Ok(singletons::none());
        }
        let text = unsafe { CStr::from_ptr(doc) }.to_string_lossy();
        unicode::from_str(ts, doc_without_signature(&def_name(f.m_ml), &text))
    })
}

/// A doc string without the `name(...)\n--\n\n` signature block CPython's tools put
/// at its start (it becomes `__text_signature__` there).
pub fn doc_without_signature<'a>(name: &str, doc: &'a str) -> &'a str {
    if doc.starts_with(name) && doc[name.len()..].starts_with('(') {
        if let Some(end) = doc.find(")\n--\n\n") {
            return &doc[end + 6..];
        }
    }
    doc
}

static mut CFUNCTION_GETSET: [PyGetSetDef; 6] = [
    getset(c"__name__", get_name),
    getset(c"__qualname__", get_qualname),
    getset(c"__module__", get_module),
    getset(c"__self__", get_self),
    getset(c"__doc__", get_doc),
    PyGetSetDef { name: core::ptr::null(), get: None, set: None, doc: core::ptr::null(), closure: null_mut() },
];

#[no_mangle]
pub static mut PyCFunction_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(cfunction_dealloc),
    tp_vectorcall_offset: core::mem::offset_of!(PyCFunctionObject, vectorcall) as Py_ssize_t,
    tp_repr: Some(cfunction_repr),
    tp_call: Some(cfunction_call),
    tp_getset: &raw mut CFUNCTION_GETSET as *mut PyGetSetDef,
    tp_flags: Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_IMMUTABLETYPE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"builtin_function_or_method", core::mem::size_of::<PyCFunctionObject>(), 0)
};

#[no_mangle]
pub static mut PyCMethod_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(cfunction_dealloc),
    tp_vectorcall_offset: core::mem::offset_of!(PyCFunctionObject, vectorcall) as Py_ssize_t,
    tp_repr: Some(cfunction_repr),
    tp_call: Some(cfunction_call),
    tp_flags: Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_IMMUTABLETYPE,
    tp_base: &raw mut PyCFunction_Type,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"builtin_method", core::mem::size_of::<PyCMethodObject>(), 0)
};

pub fn cfunction_type() -> *mut PyTypeObject {
    &raw mut PyCFunction_Type
}

pub fn cmethod_type() -> *mut PyTypeObject {
    &raw mut PyCMethod_Type
}

pub fn check(o: *mut PyObject) -> bool {
    object::is_subtype(type_of(o), cfunction_type())
}

/// A builtin function for `def` bound to `self_`, with `module` as `__module__` and,
/// for `METH_METHOD` defs, `class` as the defining class (`PyCMethod_New`). Refuses
/// what CPython refuses: flags naming no convention, `METH_METHOD` without a class, a
/// class without `METH_METHOD`.
pub fn new_function(
    ts: Ts,
    def: *mut PyMethodDef,
    self_: *mut PyObject,
    module: *mut PyObject,
    class: *mut PyTypeObject,
) -> PyResult<*mut PyObject> {
    // SAFETY: `def` is a live PyMethodDef that outlives the function (the C API's rule).
    let flags = unsafe { (*def).ml_flags };
    let Some(conv) = convention(flags) else { return Err(bad_flags(ts, def)) };
    let is_method = conv == Convention::Method;
    if is_method && class.is_null() {
        return Err(errors::system_error(ts, "attempting to create PyCMethod with a METH_METHOD flag but no class"));
    }
    if !is_method && !class.is_null() {
        return Err(errors::system_error(ts, "attempting to create PyCFunction with class but no METH_METHOD flag"));
    }
    object::refuse_foreign(ts, self_)?;
    object::refuse_foreign(ts, module)?;
    object::refuse_foreign(ts, class as *mut PyObject)?;
    let ty = if is_method { cmethod_type() } else { cfunction_type() };
    let o = object::alloc_object(ts, ty, 0)?;
    let vectorcall: vectorcallfunc = match conv {
        // CPython leaves VARARGS functions without vectorcall: tp_call takes the tuple as is.
        Convention::VarArgs | Convention::VarArgsKeywords => None,
        Convention::Fast => Some(cfunction_vectorcall_fast),
        Convention::O => Some(cfunction_vectorcall_o),
        Convention::NoArgs => Some(cfunction_vectorcall_noargs),
        Convention::FastKeywords | Convention::Method => Some(cfunction_vectorcall),
    };
    // SAFETY: `o` is a fresh, zeroed instance of the right layout; each stored object
    // gets its own reference.
    unsafe {
        let f = &mut *(o as *mut PyCFunctionObject);
        f.m_ml = def;
        f.m_self = self_;
        object::xincref(self_);
        f.m_module = module;
        object::xincref(module);
        f.vectorcall = vectorcall;
        if is_method {
            (*(o as *mut PyCMethodObject)).mm_class = class;
            object::incref(class as *mut PyObject);
        }
    }
    Ok(o)
}

/// The `self` a function passes its C function (`PyCFunction_GET_SELF`): null for
/// `METH_STATIC` defs.
pub fn self_of(o: *mut PyObject) -> *mut PyObject {
    let f = fields(o);
    // SAFETY: m_ml is live.
    if unsafe { (*f.m_ml).ml_flags } & METH_STATIC != 0 {
        null_mut()
    } else {
        f.m_self
    }
}

/// The def a function object calls.
pub fn def_of(o: *mut PyObject) -> *mut PyMethodDef {
    fields(o).m_ml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventions_follow_cpython_flag_combinations() {
        assert_eq!(convention(METH_VARARGS), Some(Convention::VarArgs));
        assert_eq!(convention(METH_VARARGS | METH_KEYWORDS), Some(Convention::VarArgsKeywords));
        assert_eq!(convention(METH_NOARGS | METH_CLASS), Some(Convention::NoArgs));
        assert_eq!(convention(METH_METHOD | METH_FASTCALL | METH_KEYWORDS), Some(Convention::Method));
        assert_eq!(convention(METH_METHOD | METH_FASTCALL), None);
        assert_eq!(convention(METH_NOARGS | METH_O), None);
        assert_eq!(convention(METH_KEYWORDS), None);
        assert_eq!(convention(0), None);
    }

    #[test]
    fn signature_blocks_are_cut_from_docs() {
        assert_eq!(doc_without_signature("f", "f($module, x)\n--\n\nDoes f."), "Does f.");
        assert_eq!(doc_without_signature("f", "Does f."), "Does f.");
        assert_eq!(doc_without_signature("g", "f(x)\n--\n\nDoes f."), "f(x)\n--\n\nDoes f.");
    }
}
