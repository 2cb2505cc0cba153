//! Heap types: type objects made at run time in an interpreter's heap, owned by that
//! interpreter and freed with their last reference.

use super::object::{self, clear_slot, decref, incref};
use super::typeobject::{inherit_slots, type_type};
use super::{dict, module, unicode};
use crate::abi::*;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;

/// A heap type: the type object followed by the objects its C fields point into.
#[repr(C)]
pub struct HeapTypeObject {
    pub ty: PyTypeObject,
    /// The full dotted name; `tp_name` points at its UTF-8 text.
    pub name: *mut PyObject,
    pub qualname: *mut PyObject,
    pub module: *mut PyObject,
    /// The doc string, copied into our heap; `tp_doc` points at it.
    pub doc: *mut u8,
}

/// A new heap type named `full_name` ("module.Name") deriving from `base`.
pub fn new_type(
    ts: Ts,
    full_name: &str,
    base: *mut PyTypeObject,
    doc: Option<&str>,
    namespace: *mut PyObject,
) -> PyResult<*mut PyTypeObject> {
    if !object::has_flag(base, Py_TPFLAGS_BASETYPE) {
        let base_name = super::typeobject::type_name(base);
        return Err(errors::type_error(ts, &format!("type '{base_name}' is not an acceptable base type")));
    }
    let size = core::mem::size_of::<HeapTypeObject>();
    let p = crate::memory::alloc_in(ts, size) as *mut HeapTypeObject;
    if p.is_null() {
        return Err(errors::no_memory(ts));
    }
    // SAFETY: `p` is fresh and large enough; every field is written before use.
    unsafe {
        core::ptr::write_bytes(p as *mut u8, 0, size);
        let base_ref = &*base;
        let t = &mut (*p).ty;
        t.ob_base.ob_base.ob_refcnt = 1;
        t.ob_base.ob_base.ob_type = type_type();
        t.tp_basicsize = base_ref.tp_basicsize;
        t.tp_itemsize = base_ref.tp_itemsize;
        t.tp_flags = Py_TPFLAGS_HEAPTYPE | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_READY;
        incref(base as *mut PyObject);
        t.tp_base = base;
        inherit_slots(t, base_ref);
    }
    let ty = p as *mut PyTypeObject;
    match fill(ts, p, full_name, doc, namespace) {
        Ok(()) => Ok(ty),
        Err(e) => {
            unsafe { decref(ty as *mut PyObject) };
            Err(e)
        }
    }
}

fn fill(ts: Ts, p: *mut HeapTypeObject, full_name: &str, doc: Option<&str>, namespace: *mut PyObject) -> PyResult<()> {
    let h = unsafe { &mut *p };
    let (module_name, short) = match full_name.rfind('.') {
        Some(i) => (&full_name[..i], &full_name[i + 1..]),
        None => ("builtins", full_name),
    };
    h.name = unicode::from_str(ts, full_name)?;
    h.qualname = unicode::from_str(ts, short)?;
    h.module = unicode::from_str(ts, module_name)?;
    h.ty.tp_name = unicode::as_utf8(ts, h.name)?.0 as *const core::ffi::c_char;
    let d = dict::new(ts)?;
    h.ty.tp_dict = d;
    if !namespace.is_null() {
        for e in dict::entries(namespace) {
            dict::set_item(ts, d, e.key, e.value)?;
        }
    }
    module::set_str_attr(ts, d, "__module__", h.module)?;
    if let Some(text) = doc {
        let buf = crate::memory::alloc_in(ts, text.len() + 1);
        if buf.is_null() {
            return Err(errors::no_memory(ts));
        }
        unsafe {
            core::ptr::copy_nonoverlapping(text.as_ptr(), buf, text.len());
            *buf.add(text.len()) = 0;
        }
        h.doc = buf;
        h.ty.tp_doc = buf as *const core::ffi::c_char;
    }
    Ok(())
}

/// `tp_dealloc` of `type`: only heap types ever reach it (static ones are immortal).
pub unsafe extern "C" fn type_dealloc(o: *mut PyObject) {
    boundary::guard(|| {
        if !object::is_heap_type(o as *mut PyTypeObject) {
            return;
        }
        let h = unsafe { &mut *(o as *mut HeapTypeObject) };
        unsafe {
            clear_slot(&mut h.ty.tp_dict);
            clear_slot(&mut h.name);
            clear_slot(&mut h.qualname);
            clear_slot(&mut h.module);
            let base = core::mem::replace(&mut h.ty.tp_base, core::ptr::null_mut());
            object::xdecref(base as *mut PyObject);
            crate::memory::free(h.doc);
            crate::memory::free(o as *mut u8);
        }
    })
}
