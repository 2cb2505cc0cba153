//! Descriptors: the objects a type's dict holds for its `tp_methods`, `tp_members` and
//! `tp_getset` (`method_descriptor`, `classmethod_descriptor`, `member_descriptor`,
//! `getset_descriptor`, and `staticmethod` for `METH_STATIC` methods), and the member
//! accessors `PyMember_GetOne`/`SetOne`.
//!
//! A descriptor's `d_type` holds no reference: the descriptors of a heap type live in
//! its own dict, and without a cycle collector a counted reference would keep every
//! heap type alive for ever. A descriptor lives in its type's dict; one taken out and
//! kept past its type's life refers to a dead type (so does CPython's `d_type`, kept
//! alive there only by the collector-backed reference).

use super::methodobject::{self, Convention};
use super::object::{self, clear_slot, decref, new_ref, type_of};
use super::typeobject::{getset, type_name};
use super::{bool_, dict, float, long, singletons, unicode};
use crate::abi::*;
use crate::protocols::call::{self as callp, arg_slice, nargs_of};
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ffi::{c_char, c_int, c_void, CStr};
use core::ptr::null_mut;

fn common(o: *mut PyObject) -> &'static mut PyDescrObject {
    // SAFETY: callers pass descriptors, which all start with PyDescrObject.
    unsafe { &mut *(o as *mut PyDescrObject) }
}

fn descr_name(o: *mut PyObject) -> String {
    let n = common(o).d_name;
    if n.is_null() {
        "?".into()
    } else {
        unicode::to_string_lossy(n)
    }
}

fn c_name(p: *const c_char) -> &'static str {
    if p.is_null() {
        return "?";
    }
    // SAFETY: definition names are NUL-terminated and outlive their types.
    unsafe { CStr::from_ptr(p) }.to_str().unwrap_or("?")
}

/// A fresh descriptor of `descr_type` for `ty`, named by the C string `name` (interned,
/// so it is the same key object as every lookup of that name).
fn new_descr(
    ts: Ts,
    descr_type: *mut PyTypeObject,
    ty: *mut PyTypeObject,
    name: *const c_char,
) -> PyResult<*mut PyObject> {
    if name.is_null() {
        return Err(errors::system_error(ts, "a descriptor needs a name"));
    }
    let interned = unicode::intern_str(ts, c_name(name))?;
    let o = match object::alloc_object(ts, descr_type, 0) {
        Ok(o) => o,
        Err(e) => {
            // SAFETY: our reference.
            unsafe { decref(interned) };
            return Err(e);
        }
    };
    let d = common(o);
    d.d_type = ty;
    d.d_name = interned;
    Ok(o)
}

unsafe extern "C" fn descr_dealloc(o: *mut PyObject) {
    boundary::guard(|| {
        let d = common(o);
        // SAFETY: the last reference; names are owned references.
        unsafe {
            clear_slot(&mut d.d_name);
            clear_slot(&mut d.d_qualname);
            object::free_object(o);
        }
    })
}

/// The owner's name for messages.
fn owner_name(o: *mut PyObject) -> &'static str {
    let t = common(o).d_type;
    if t.is_null() {
        "?"
    } else {
        type_name(t)
    }
}

fn repr_with(ts: Ts, o: *mut PyObject, kind: &str) -> PyResult<*mut PyObject> {
    unicode::from_str(ts, &format!("<{kind} '{}' of '{}' objects>", descr_name(o), owner_name(o)))
}

unsafe extern "C" fn method_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| repr_with(ts, o, "method").unwrap_or(null_mut()))
}

unsafe extern "C" fn member_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| repr_with(ts, o, "member").unwrap_or(null_mut()))
}

unsafe extern "C" fn getset_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| repr_with(ts, o, "attribute").unwrap_or(null_mut()))
}

/// `TypeError` unless `obj` is an instance of the descriptor's type.
fn check_instance(ts: Ts, o: *mut PyObject, obj: *mut PyObject) -> PyResult<()> {
    let t = common(o).d_type;
    if t.is_null() || object::is_subtype(type_of(obj), t) {
        return Ok(());
    }
    Err(errors::type_error(
        ts,
        &format!(
            "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
            descr_name(o),
            owner_name(o),
            type_name(type_of(obj))
        ),
    ))
}

unsafe extern "C" fn descr_get_name(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::guard(|| {
        let n = common(o).d_name;
        if n.is_null() {
            singletons::none()
        } else {
            unsafe { new_ref(n) }
        }
    })
}

unsafe extern "C" fn descr_get_objclass(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::guard(|| {
        let t = common(o).d_type;
        if t.is_null() {
            singletons::none()
        } else {
            unsafe { new_ref(t as *mut PyObject) }
        }
    })
}

const NO_GETSET: PyGetSetDef =
    PyGetSetDef { name: core::ptr::null(), get: None, set: None, doc: core::ptr::null(), closure: null_mut() };

static mut DESCR_GETSET: [PyGetSetDef; 4] = [
    getset(c"__name__", descr_get_name),
    getset(c"__qualname__", descr_get_name),
    getset(c"__objclass__", descr_get_objclass),
    NO_GETSET,
];

const fn descr_type(name: &'static CStr, size: usize) -> PyTypeObject {
    PyTypeObject {
        ob_base: PyVarObject {
            ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut super::typeobject::PyType_Type },
            ob_size: 0,
        },
        tp_dealloc: Some(descr_dealloc),
        tp_getset: &raw mut DESCR_GETSET as *mut PyGetSetDef,
        tp_free: object::DEFAULT_FREE,
        ..PyTypeObject::blank(name, size, 0)
    }
}

// ---------------------------------------------------------------------------------
// Methods

fn method_def(o: *mut PyObject) -> *mut PyMethodDef {
    // SAFETY: callers pass method descriptors.
    unsafe { (*(o as *mut PyMethodDescrObject)).d_method }
}

/// The class a `METH_METHOD` function is passed (`defining_class`), else null.
fn defining_class(o: *mut PyObject) -> *mut PyTypeObject {
    // SAFETY: the def outlives its descriptor.
    let flags = unsafe { (*method_def(o)).ml_flags };
    if methodobject::convention(flags) == Some(Convention::Method) {
        common(o).d_type
    } else {
        null_mut()
    }
}

/// `method_descriptor.__get__`: the descriptor itself from the class, a bound builtin
/// method from an instance.
unsafe extern "C" fn method_get(o: *mut PyObject, obj: *mut PyObject, _ty: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        if obj.is_null() {
            return unsafe { new_ref(o) };
        }
        check_instance(ts, o, obj)
            .and_then(|()| methodobject::new_function(ts, method_def(o), obj, null_mut(), defining_class(o)))
            .unwrap_or(null_mut())
    })
}

/// Calls an unbound method: the first argument is `self`.
unsafe extern "C" fn method_vectorcall(
    o: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let n = nargs_of(nargsf);
        let nkw = if kwnames.is_null() { 0 } else { super::tuple::size(kwnames) as usize };
        let all = arg_slice(args, n + nkw);
        if n == 0 {
            errors::type_error(ts, &format!("unbound method {}.{}() needs an argument", owner_name(o), descr_name(o)));
            return null_mut();
        }
        let self_ = all[0];
        check_instance(ts, o, self_)
            .and_then(|()| methodobject::call_def(ts, method_def(o), self_, defining_class(o), &all[1..], kwnames))
            .unwrap_or(null_mut())
    })
}

/// `tp_call` of the descriptor types: through their vectorcall.
unsafe extern "C" fn call_through_vectorcall(
    o: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    boundary::with_thread_state(|ts| callp::call(ts, o, args, kwargs).unwrap_or(null_mut()))
}

#[no_mangle]
pub static mut PyMethodDescr_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(method_repr),
    tp_call: Some(call_through_vectorcall),
    tp_descr_get: Some(method_get),
    tp_vectorcall_offset: core::mem::offset_of!(PyMethodDescrObject, vectorcall) as Py_ssize_t,
    tp_flags: Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR,
    ..descr_type(c"method_descriptor", core::mem::size_of::<PyMethodDescrObject>())
};

/// `PyDescr_NewMethod`: a method descriptor for `def` on `ty`.
pub fn new_method(ts: Ts, ty: *mut PyTypeObject, def: *mut PyMethodDef) -> PyResult<*mut PyObject> {
    // SAFETY: `def` is a live definition.
    let (name, flags) = unsafe { ((*def).ml_name, (*def).ml_flags) };
    if methodobject::convention(flags).is_none() {
        return Err(methodobject::bad_flags(ts, def));
    }
    let o = new_descr(ts, &raw mut PyMethodDescr_Type, ty, name)?;
    // SAFETY: a fresh method descriptor.
    unsafe {
        let m = &mut *(o as *mut PyMethodDescrObject);
        m.d_method = def;
        m.vectorcall = Some(method_vectorcall);
    }
    Ok(o)
}

// ---------------------------------------------------------------------------------
// Class methods

fn check_class(ts: Ts, o: *mut PyObject, cls: *mut PyObject) -> PyResult<*mut PyTypeObject> {
    let t = common(o).d_type;
    if !object::has_flag(type_of(cls), Py_TPFLAGS_TYPE_SUBCLASS) {
        return Err(errors::type_error(
            ts,
            &format!(
                "descriptor '{}' for type '{}' needs a type, not a '{}' as arg 2",
                descr_name(o),
                owner_name(o),
                type_name(type_of(cls))
            ),
        ));
    }
    let cls = cls as *mut PyTypeObject;
    if !t.is_null() && !object::is_subtype(cls, t) {
        return Err(errors::type_error(
            ts,
            &format!(
                "descriptor '{}' requires a subtype of '{}' but received '{}'",
                descr_name(o),
                owner_name(o),
                type_name(cls)
            ),
        ));
    }
    Ok(cls)
}

/// `classmethod_descriptor.__get__`: a builtin method bound to the class.
unsafe extern "C" fn classmethod_get(o: *mut PyObject, obj: *mut PyObject, ty: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let cls = if ty.is_null() || ty == singletons::none() { type_of(obj) as *mut PyObject } else { ty };
        check_class(ts, o, cls)
            .and_then(|c| {
                methodobject::new_function(ts, method_def(o), c as *mut PyObject, null_mut(), defining_class(o))
            })
            .unwrap_or(null_mut())
    })
}

/// Calls a class method descriptor: the first argument is the class.
unsafe extern "C" fn classmethod_vectorcall(
    o: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let n = nargs_of(nargsf);
        let nkw = if kwnames.is_null() { 0 } else { super::tuple::size(kwnames) as usize };
        let all = arg_slice(args, n + nkw);
        if n == 0 {
            errors::type_error(
                ts,
                &format!("descriptor '{}' of '{}' object needs an argument", descr_name(o), owner_name(o)),
            );
            return null_mut();
        }
        check_class(ts, o, all[0])
            .and_then(|c| {
                methodobject::call_def(ts, method_def(o), c as *mut PyObject, defining_class(o), &all[1..], kwnames)
            })
            .unwrap_or(null_mut())
    })
}

#[no_mangle]
pub static mut PyClassMethodDescr_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(method_repr),
    tp_call: Some(call_through_vectorcall),
    tp_descr_get: Some(classmethod_get),
    tp_vectorcall_offset: core::mem::offset_of!(PyMethodDescrObject, vectorcall) as Py_ssize_t,
    tp_flags: Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_HAVE_VECTORCALL,
    ..descr_type(c"classmethod_descriptor", core::mem::size_of::<PyMethodDescrObject>())
};

/// `PyDescr_NewClassMethod`.
pub fn new_classmethod(ts: Ts, ty: *mut PyTypeObject, def: *mut PyMethodDef) -> PyResult<*mut PyObject> {
    // SAFETY: `def` is a live definition.
    let (name, flags) = unsafe { ((*def).ml_name, (*def).ml_flags) };
    if methodobject::convention(flags).is_none() {
        return Err(methodobject::bad_flags(ts, def));
    }
    let o = new_descr(ts, &raw mut PyClassMethodDescr_Type, ty, name)?;
    // SAFETY: a fresh descriptor with the method layout.
    unsafe {
        let m = &mut *(o as *mut PyMethodDescrObject);
        m.d_method = def;
        m.vectorcall = Some(classmethod_vectorcall);
    }
    Ok(o)
}

// ---------------------------------------------------------------------------------
// staticmethod

/// A `staticmethod` object: a callable handed out as is from class and instance.
#[repr(C)]
pub struct StaticMethodObject {
    pub ob_base: PyObject,
    pub sm_callable: *mut PyObject,
    pub sm_dict: *mut PyObject,
}

unsafe extern "C" fn staticmethod_dealloc(o: *mut PyObject) {
    boundary::guard(|| {
        // SAFETY: the last reference to a staticmethod; its fields are owned.
        unsafe {
            let s = &mut *(o as *mut StaticMethodObject);
            clear_slot(&mut s.sm_callable);
            clear_slot(&mut s.sm_dict);
            object::free_object(o);
        }
    })
}

unsafe extern "C" fn staticmethod_get(o: *mut PyObject, _obj: *mut PyObject, _ty: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| unsafe { new_ref((*(o as *mut StaticMethodObject)).sm_callable) })
}

unsafe extern "C" fn staticmethod_call(o: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let f = unsafe { (*(o as *mut StaticMethodObject)).sm_callable };
        callp::call(ts, f, args, kwargs).unwrap_or(null_mut())
    })
}

#[no_mangle]
pub static mut PyStaticMethod_Type: PyTypeObject = PyTypeObject {
    ob_base: PyVarObject {
        ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut super::typeobject::PyType_Type },
        ob_size: 0,
    },
    tp_dealloc: Some(staticmethod_dealloc),
    tp_call: Some(staticmethod_call),
    tp_descr_get: Some(staticmethod_get),
    tp_dictoffset: core::mem::offset_of!(StaticMethodObject, sm_dict) as Py_ssize_t,
    tp_flags: Py_TPFLAGS_BASETYPE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"staticmethod", core::mem::size_of::<StaticMethodObject>(), 0)
};

/// `PyStaticMethod_New`.
pub fn new_staticmethod(ts: Ts, callable: *mut PyObject) -> PyResult<*mut PyObject> {
    object::refuse_foreign(ts, callable)?;
    let o = object::alloc_object(ts, &raw mut PyStaticMethod_Type, 0)?;
    // SAFETY: a fresh staticmethod; it takes a reference to the callable.
    unsafe { (*(o as *mut StaticMethodObject)).sm_callable = new_ref(callable) };
    Ok(o)
}

// ---------------------------------------------------------------------------------
// Members

fn member_def(o: *mut PyObject) -> *mut PyMemberDef {
    // SAFETY: callers pass member descriptors.
    unsafe { (*(o as *mut PyMemberDescrObject)).d_member }
}

unsafe extern "C" fn member_get(o: *mut PyObject, obj: *mut PyObject, _ty: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        if obj.is_null() {
            return unsafe { new_ref(o) };
        }
        check_instance(ts, o, obj).and_then(|()| get_one(ts, obj, member_def(o))).unwrap_or(null_mut())
    })
}

unsafe extern "C" fn member_set(o: *mut PyObject, obj: *mut PyObject, value: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| {
        match check_instance(ts, o, obj).and_then(|()| set_one(ts, obj, member_def(o), value)) {
            Ok(()) => 0,
            Err(Raised) => -1,
        }
    })
}

#[no_mangle]
pub static mut PyMemberDescr_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(member_repr),
    tp_descr_get: Some(member_get),
    tp_descr_set: Some(member_set),
    ..descr_type(c"member_descriptor", core::mem::size_of::<PyMemberDescrObject>())
};

/// `PyDescr_NewMember`. A member with `Py_RELATIVE_OFFSET` is refused (a type made
/// from a spec resolves those offsets first), as CPython does.
pub fn new_member(ts: Ts, ty: *mut PyTypeObject, def: *mut PyMemberDef) -> PyResult<*mut PyObject> {
    // SAFETY: `def` is a live definition.
    let (name, flags) = unsafe { ((*def).name, (*def).flags) };
    if flags & Py_RELATIVE_OFFSET != 0 {
        return Err(errors::system_error(ts, "PyDescr_NewMember used with Py_RELATIVE_OFFSET"));
    }
    let o = new_descr(ts, &raw mut PyMemberDescr_Type, ty, name)?;
    // SAFETY: a fresh member descriptor.
    unsafe { (*(o as *mut PyMemberDescrObject)).d_member = def };
    Ok(o)
}

fn attribute_error(ts: Ts, message: &str) -> Raised {
    errors::set_string(ts, super::exceptions::exc(super::exceptions::Exc::AttributeError), message)
}

/// `PyMember_GetOne`: the member `m` of the object at `obj`, as a new reference.
// `c_long` is `i64` here but not on every target: the casts say what C does.
#[allow(clippy::unnecessary_cast)]
pub fn get_one(ts: Ts, obj: *mut PyObject, m: *const PyMemberDef) -> PyResult<*mut PyObject> {
    // SAFETY: `m` is a live definition whose offset lies inside `obj`'s layout (the C
    // API's contract); each read has the C type the type code names.
    unsafe {
        let m = &*m;
        if m.flags & Py_RELATIVE_OFFSET != 0 {
            return Err(errors::system_error(ts, "PyMember_GetOne used with Py_RELATIVE_OFFSET"));
        }
        let addr = (obj as *mut u8).offset(m.offset);
        macro_rules! read {
            ($t:ty) => {
                (addr as *const $t).read_unaligned()
            };
        }
        match m.r#type {
            Py_T_BOOL => Ok(bool_::from_bool(read!(i8) != 0)),
            Py_T_BYTE => long::from_i64(ts, read!(i8) as i64),
            Py_T_UBYTE => long::from_i64(ts, read!(u8) as i64),
            Py_T_SHORT => long::from_i64(ts, read!(i16) as i64),
            Py_T_USHORT => long::from_i64(ts, read!(u16) as i64),
            Py_T_INT => long::from_i64(ts, read!(i32) as i64),
            Py_T_UINT => long::from_i64(ts, read!(u32) as i64),
            Py_T_LONG => long::from_i64(ts, read!(core::ffi::c_long) as i64),
            Py_T_ULONG => long::from_u64(ts, read!(core::ffi::c_ulong) as u64),
            Py_T_LONGLONG => long::from_i64(ts, read!(i64)),
            Py_T_ULONGLONG => long::from_u64(ts, read!(u64)),
            Py_T_PYSSIZET => long::from_i64(ts, read!(isize) as i64),
            Py_T_FLOAT => float::from_f64(ts, read!(f32) as f64),
            Py_T_DOUBLE => float::from_f64(ts, read!(f64)),
            Py_T_STRING => {
                let p = read!(*const c_char);
                if p.is_null() {
                    Ok(singletons::none())
                } else {
                    text_to_str(ts, CStr::from_ptr(p).to_bytes())
                }
            }
            Py_T_STRING_INPLACE => text_to_str(ts, CStr::from_ptr(addr as *const c_char).to_bytes()),
            Py_T_CHAR => text_to_str(ts, &[read!(u8)]),
            _Py_T_OBJECT => {
                let v = read!(*mut PyObject);
                Ok(if v.is_null() { singletons::none() } else { new_ref(v) })
            }
            Py_T_OBJECT_EX => {
                let v = read!(*mut PyObject);
                if v.is_null() {
                    // CPython names the type with its module (`%T`).
                    let full = super::typespec::get_fully_qualified_name(ts, type_of(obj))?;
                    let msg =
                        format!("'{}' object has no attribute '{}'", unicode::to_string_lossy(full), c_name(m.name));
                    decref(full);
                    return Err(attribute_error(ts, &msg));
                }
                Ok(new_ref(v))
            }
            _Py_T_NONE => Ok(singletons::none()),
            _ => Err(errors::system_error(ts, "bad memberdescr type")),
        }
    }
}

/// A str from C text (UTF-8), as `PyUnicode_FromString` makes it.
fn text_to_str(ts: Ts, bytes: &[u8]) -> PyResult<*mut PyObject> {
    match core::str::from_utf8(bytes) {
        Ok(s) => unicode::from_str(ts, s),
        Err(_) => Err(errors::set_string(
            ts,
            super::exceptions::exc(super::exceptions::Exc::UnicodeDecodeError),
            "'utf-8' codec can't decode the member's text",
        )),
    }
}

/// An int member's new value, with CPython's `RuntimeWarning`-free truncation: isle
/// stores the low bits as C does (CPython also warns; isle has no warnings yet).
fn int_value(ts: Ts, v: *mut PyObject) -> PyResult<i64> {
    long::as_long(ts, v)
}

/// An unsigned member's new value: negative ints are accepted and wrap, as in CPython.
fn unsigned_value(ts: Ts, v: *mut PyObject) -> PyResult<u64> {
    if long::check(v) && long::is_negative(v) {
        return long::as_long(ts, v).map(|x| x as u64);
    }
    long::as_unsigned_long(ts, v)
}

/// `PyMember_SetOne`: stores `value` (null deletes) in member `m` of `obj`.
#[allow(clippy::unnecessary_cast)]
pub fn set_one(ts: Ts, obj: *mut PyObject, m: *const PyMemberDef, value: *mut PyObject) -> PyResult<()> {
    // SAFETY: as in `get_one`; each write has the C type the type code names.
    unsafe {
        let m = &*m;
        if m.flags & Py_RELATIVE_OFFSET != 0 {
            return Err(errors::system_error(ts, "PyMember_SetOne used with Py_RELATIVE_OFFSET"));
        }
        if m.flags & Py_READONLY != 0 {
            return Err(attribute_error(ts, "readonly attribute"));
        }
        let addr = (obj as *mut u8).offset(m.offset);
        if value.is_null() {
            return match m.r#type {
                _Py_T_OBJECT => {
                    let old = core::ptr::replace(addr as *mut *mut PyObject, null_mut());
                    object::xdecref(old);
                    Ok(())
                }
                Py_T_OBJECT_EX => {
                    let old = core::ptr::replace(addr as *mut *mut PyObject, null_mut());
                    if old.is_null() {
                        // CPython names only the attribute here.
                        return Err(attribute_error(ts, c_name(m.name)));
                    }
                    decref(old);
                    Ok(())
                }
                _ => Err(errors::type_error(ts, "can't delete numeric/char attribute")),
            };
        }
        object::refuse_foreign(ts, value)?;
        macro_rules! write {
            ($t:ty, $v:expr) => {
                (addr as *mut $t).write_unaligned($v)
            };
        }
        match m.r#type {
            Py_T_BOOL => {
                if !bool_::check(value) {
                    return Err(errors::type_error(ts, "attribute value type must be bool"));
                }
                write!(i8, (value == bool_::py_true()) as i8);
            }
            Py_T_BYTE => write!(i8, int_value(ts, value)? as i8),
            Py_T_UBYTE => write!(u8, int_value(ts, value)? as u8),
            Py_T_SHORT => write!(i16, int_value(ts, value)? as i16),
            Py_T_USHORT => write!(u16, int_value(ts, value)? as u16),
            Py_T_INT => write!(i32, int_value(ts, value)? as i32),
            Py_T_UINT => write!(u32, unsigned_value(ts, value)? as u32),
            Py_T_LONG => write!(core::ffi::c_long, int_value(ts, value)? as core::ffi::c_long),
            Py_T_ULONG => write!(core::ffi::c_ulong, unsigned_value(ts, value)? as core::ffi::c_ulong),
            Py_T_LONGLONG => write!(i64, long::as_long_long(ts, value)?),
            Py_T_ULONGLONG => write!(u64, unsigned_value(ts, value)?),
            Py_T_PYSSIZET => write!(isize, long::as_ssize(ts, value)?),
            Py_T_FLOAT => write!(f32, float::as_double(ts, value)? as f32),
            Py_T_DOUBLE => write!(f64, float::as_double(ts, value)?),
            _Py_T_OBJECT | Py_T_OBJECT_EX => {
                let old = core::ptr::replace(addr as *mut *mut PyObject, new_ref(value));
                object::xdecref(old);
            }
            Py_T_CHAR => {
                let (p, n) = if unicode::check(value) { unicode::as_utf8(ts, value)? } else { (core::ptr::null(), 0) };
                if n != 1 {
                    return Err(errors::type_error(ts, "bad argument type for built-in operation"));
                }
                write!(u8, *p);
            }
            Py_T_STRING | Py_T_STRING_INPLACE => return Err(errors::type_error(ts, "readonly attribute")),
            _ => return Err(errors::system_error(ts, &format!("bad memberdescr type for {}", c_name(m.name)))),
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------
// Getsets

fn getset_def(o: *mut PyObject) -> *mut PyGetSetDef {
    // SAFETY: callers pass getset descriptors.
    unsafe { (*(o as *mut PyGetSetDescrObject)).d_getset }
}

unsafe extern "C" fn getset_get(o: *mut PyObject, obj: *mut PyObject, _ty: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        if obj.is_null() {
            return unsafe { new_ref(o) };
        }
        if check_instance(ts, o, obj).is_err() {
            return null_mut();
        }
        let gs = getset_def(o);
        match unsafe { (*gs).get } {
            Some(get) => unsafe { get(obj, (*gs).closure) },
            None => {
                let msg = format!("attribute '{}' of '{}' objects is not readable", descr_name(o), owner_name(o));
                attribute_error(ts, &msg);
                null_mut()
            }
        }
    })
}

unsafe extern "C" fn getset_set(o: *mut PyObject, obj: *mut PyObject, value: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| {
        if check_instance(ts, o, obj).is_err() {
            return -1;
        }
        let gs = getset_def(o);
        match unsafe { (*gs).set } {
            Some(set) => unsafe { set(obj, value, (*gs).closure) },
            None => {
                let msg = format!("attribute '{}' of '{}' objects is not writable", descr_name(o), owner_name(o));
                attribute_error(ts, &msg);
                -1
            }
        }
    })
}

#[no_mangle]
pub static mut PyGetSetDescr_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(getset_repr),
    tp_descr_get: Some(getset_get),
    tp_descr_set: Some(getset_set),
    ..descr_type(c"getset_descriptor", core::mem::size_of::<PyGetSetDescrObject>())
};

/// `PyDescr_NewGetSet`.
pub fn new_getset(ts: Ts, ty: *mut PyTypeObject, def: *mut PyGetSetDef) -> PyResult<*mut PyObject> {
    // SAFETY: `def` is a live definition.
    let name = unsafe { (*def).name };
    let o = new_descr(ts, &raw mut PyGetSetDescr_Type, ty, name)?;
    // SAFETY: a fresh getset descriptor.
    unsafe { (*(o as *mut PyGetSetDescrObject)).d_getset = def };
    Ok(o)
}

// ---------------------------------------------------------------------------------
// Filling a type's dict

/// True for the descriptor types whose `__get__` with no instance returns the
/// descriptor itself (methods, members, getsets, slot wrappers).
#[inline]
pub fn unbound_is_itself(t: *mut PyTypeObject) -> bool {
    t == &raw mut PyMethodDescr_Type
        || t == &raw mut super::slotwrappers::PyWrapperDescr_Type
        || t == &raw mut PyMemberDescr_Type
        || t == &raw mut PyGetSetDescr_Type
}

/// Every static type defined here, for start-up.
pub fn static_types() -> [*mut PyTypeObject; 5] {
    [
        &raw mut PyMethodDescr_Type,
        &raw mut PyClassMethodDescr_Type,
        &raw mut PyStaticMethod_Type,
        &raw mut PyMemberDescr_Type,
        &raw mut PyGetSetDescr_Type,
    ]
}

/// Puts `value` (a new reference, taken over) in `d` under its descriptor's name,
/// unless the name is there already and `replace` is false.
fn put(ts: Ts, d: *mut PyObject, value: *mut PyObject, name: *mut PyObject, replace: bool) -> PyResult<()> {
    let r =
        if !replace && dict::get_item(ts, d, name)?.is_some() { Ok(()) } else { dict::set_item(ts, d, name, value) };
    // SAFETY: the reference we were given.
    unsafe { decref(value) };
    r
}

/// The method entry for `def`: a method, class method or static method, as its flags say.
fn method_entry(ts: Ts, ty: *mut PyTypeObject, def: *mut PyMethodDef) -> PyResult<*mut PyObject> {
    // SAFETY: a live definition.
    let flags = unsafe { (*def).ml_flags };
    if flags & METH_CLASS != 0 && flags & METH_STATIC != 0 {
        return Err(errors::value_error(ts, "method cannot be both class and static"));
    }
    if flags & METH_CLASS != 0 {
        return new_classmethod(ts, ty, def);
    }
    if flags & METH_STATIC != 0 {
        let f = methodobject::new_function(ts, def, null_mut(), null_mut(), null_mut())?;
        let r = new_staticmethod(ts, f);
        // SAFETY: the staticmethod holds its own reference.
        unsafe { decref(f) };
        return r;
    }
    new_method(ts, ty, def)
}

/// True when `ty` declares methods, members or getsets (its dict is not empty).
pub fn has_descriptors(ty: *mut PyTypeObject) -> bool {
    // SAFETY: a live type; each array is null or starts with its first entry.
    unsafe {
        let t = &*ty;
        (!t.tp_methods.is_null() && !(*t.tp_methods).ml_name.is_null())
            || (!t.tp_members.is_null() && !(*t.tp_members).name.is_null())
            || (!t.tp_getset.is_null() && !(*t.tp_getset).name.is_null())
            || super::slotwrappers::has_slot_wrappers(ty)
    }
}

/// Adds to `d` (the type's dict) a descriptor for each entry of `ty`'s `tp_methods`,
/// `tp_members` and `tp_getset`, and a slot wrapper for each slot it defines, as
/// readying a type does. A name already in the dict keeps its value, except for methods
/// flagged `METH_COEXIST`.
pub fn add_descriptors(ts: Ts, ty: *mut PyTypeObject, d: *mut PyObject) -> PyResult<()> {
    // The slot wrappers first: a method of the same name replaces one only with METH_COEXIST.
    super::slotwrappers::add_slot_wrappers(ts, ty, d)?;
    // SAFETY: the arrays of a live type end with a null name.
    unsafe {
        let mut m = (*ty).tp_methods;
        while !m.is_null() && !(*m).ml_name.is_null() {
            let v = method_entry(ts, ty, m)?;
            let name = unicode::intern_str(ts, c_name((*m).ml_name));
            let name = match name {
                Ok(n) => n,
                Err(e) => {
                    decref(v);
                    return Err(e);
                }
            };
            let r = put(ts, d, v, name, (*m).ml_flags & METH_COEXIST != 0);
            decref(name);
            r?;
            m = m.add(1);
        }
        let mut mb = (*ty).tp_members;
        while !mb.is_null() && !(*mb).name.is_null() {
            let v = new_member(ts, ty, mb)?;
            put(ts, d, v, common(v).d_name, false)?;
            mb = mb.add(1);
        }
        let mut gs = (*ty).tp_getset;
        while !gs.is_null() && !(*gs).name.is_null() {
            let v = new_getset(ts, ty, gs)?;
            put(ts, d, v, common(v).d_name, false)?;
            gs = gs.add(1);
        }
    }
    Ok(())
}
