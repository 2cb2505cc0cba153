//! Heap types from specs: `PyType_FromMetaclass` and the variants built on it
//! (`PyType_FromSpec`, `_FromSpecWithBases`, `_FromModuleAndSpec`), as CPython 3.13
//! makes them: slots by id (every id of `typeslots.h`), members copied into the type
//! (with `__dictoffset__`, `__weaklistoffset__`, `__vectorcalloffset__` and
//! `Py_RELATIVE_OFFSET` resolved), negative `basicsize` (PEP 697), and the type queries
//! that read what a spec gave (`PyType_GetSlot`, the module a type belongs to, the
//! type data of PEP 697).

use super::object::{self, decref, is_heap_type};
use super::typeobject::{short_name, type_name, type_type};
use super::{heaptype, module, tuple, unicode};
use crate::abi::*;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ffi::{c_char, c_void, CStr};
use core::ptr::null_mut;

use super::slotoffset::{am, bf, mp, nb, read_slot, sq, tp};

/// For slot id `i` (1-based), the offset of its field in `PyHeapTypeObject`.
const SLOT_OFFSETS: [usize; 81] = [
    bf!(bf_getbuffer),
    bf!(bf_releasebuffer),
    mp!(mp_ass_subscript),
    mp!(mp_length),
    mp!(mp_subscript),
    nb!(nb_absolute),
    nb!(nb_add),
    nb!(nb_and),
    nb!(nb_bool),
    nb!(nb_divmod),
    nb!(nb_float),
    nb!(nb_floor_divide),
    nb!(nb_index),
    nb!(nb_inplace_add),
    nb!(nb_inplace_and),
    nb!(nb_inplace_floor_divide),
    nb!(nb_inplace_lshift),
    nb!(nb_inplace_multiply),
    nb!(nb_inplace_or),
    nb!(nb_inplace_power),
    nb!(nb_inplace_remainder),
    nb!(nb_inplace_rshift),
    nb!(nb_inplace_subtract),
    nb!(nb_inplace_true_divide),
    nb!(nb_inplace_xor),
    nb!(nb_int),
    nb!(nb_invert),
    nb!(nb_lshift),
    nb!(nb_multiply),
    nb!(nb_negative),
    nb!(nb_or),
    nb!(nb_positive),
    nb!(nb_power),
    nb!(nb_remainder),
    nb!(nb_rshift),
    nb!(nb_subtract),
    nb!(nb_true_divide),
    nb!(nb_xor),
    sq!(sq_ass_item),
    sq!(sq_concat),
    sq!(sq_contains),
    sq!(sq_inplace_concat),
    sq!(sq_inplace_repeat),
    sq!(sq_item),
    sq!(sq_length),
    sq!(sq_repeat),
    tp!(tp_alloc),
    tp!(tp_base),
    tp!(tp_bases),
    tp!(tp_call),
    tp!(tp_clear),
    tp!(tp_dealloc),
    tp!(tp_del),
    tp!(tp_descr_get),
    tp!(tp_descr_set),
    tp!(tp_doc),
    tp!(tp_getattr),
    tp!(tp_getattro),
    tp!(tp_hash),
    tp!(tp_init),
    tp!(tp_is_gc),
    tp!(tp_iter),
    tp!(tp_iternext),
    tp!(tp_methods),
    tp!(tp_new),
    tp!(tp_repr),
    tp!(tp_richcompare),
    tp!(tp_setattr),
    tp!(tp_setattro),
    tp!(tp_str),
    tp!(tp_traverse),
    tp!(tp_members),
    tp!(tp_getset),
    tp!(tp_free),
    nb!(nb_matrix_multiply),
    nb!(nb_inplace_matrix_multiply),
    am!(am_await),
    am!(am_aiter),
    am!(am_anext),
    tp!(tp_finalize),
    am!(am_send),
];

/// The offset of slot `id`'s field, or None for an id 3.13 does not have.
fn slot_offset(id: core::ffi::c_int) -> Option<usize> {
    usize::try_from(id).ok().and_then(|i| i.checked_sub(1)).and_then(|i| SLOT_OFFSETS.get(i).copied())
}

/// The alignment CPython gives the data a negative `basicsize` adds (`max_align_t`).
const DATA_ALIGN: isize = 16;

fn align_up(n: isize) -> isize {
    (n + DATA_ALIGN - 1) & !(DATA_ALIGN - 1)
}

/// The slots of a spec, up to the terminating id 0.
fn slots_of<'a>(spec: &PyType_Spec) -> &'a [PyType_Slot] {
    let mut n = 0;
    // SAFETY: the C API's contract: `slots` ends with an entry whose id is 0.
    unsafe {
        if spec.slots.is_null() {
            return &[];
        }
        while (*spec.slots.add(n)).slot != 0 {
            n += 1;
        }
        core::slice::from_raw_parts(spec.slots, n)
    }
}

/// The members of a `Py_tp_members` array, up to the entry with a null name.
fn members_of<'a>(p: *mut PyMemberDef) -> &'a [PyMemberDef] {
    let mut n = 0;
    // SAFETY: the array ends with an entry whose name is null.
    unsafe {
        if p.is_null() {
            return &[];
        }
        while !(*p.add(n)).name.is_null() {
            n += 1;
        }
        core::slice::from_raw_parts(p, n)
    }
}

fn name_is(p: *const c_char, want: &str) -> bool {
    // SAFETY: member names are NUL-terminated.
    !p.is_null() && unsafe { CStr::from_ptr(p) }.to_bytes() == want.as_bytes()
}

/// The bases a spec's type gets: `bases` (a type or a tuple) when given, else the
/// `Py_tp_bases` or `Py_tp_base` slot, else `object`.
fn bases_for(ts: Ts, bases: *mut PyObject, slots: &[PyType_Slot]) -> PyResult<Vec<*mut PyTypeObject>> {
    let mut src = bases;
    if src.is_null() {
        src = slots.iter().find(|s| s.slot == Py_tp_bases).map(|s| s.pfunc as *mut PyObject).unwrap_or(null_mut());
    }
    if src.is_null() {
        src = slots.iter().find(|s| s.slot == Py_tp_base).map(|s| s.pfunc as *mut PyObject).unwrap_or(null_mut());
    }
    if src.is_null() {
        return Ok(vec![object::base_object_type()]);
    }
    let items: Vec<*mut PyObject> = if tuple::check(src) { tuple::items(src).to_vec() } else { vec![src] };
    for &b in &items {
        if !object::has_flag(object::type_of(b), Py_TPFLAGS_TYPE_SUBCLASS) {
            return Err(errors::type_error(ts, "bases must be types"));
        }
    }
    Ok(items.into_iter().map(|b| b as *mut PyTypeObject).collect())
}

/// `PyType_FromMetaclass`: a heap type from `spec`, of metatype `meta` (null: `type`),
/// for `module` (may be null), deriving from `bases` (null: the spec's own).
pub fn from_metaclass(
    ts: Ts,
    meta: *mut PyTypeObject,
    module_obj: *mut PyObject,
    spec: *const PyType_Spec,
    bases: *mut PyObject,
) -> PyResult<*mut PyTypeObject> {
    // SAFETY: a live spec (the C API's contract).
    let spec = unsafe { &*spec };
    if spec.name.is_null() {
        return Err(errors::system_error(ts, "Type spec does not define the name field."));
    }
    // SAFETY: a NUL-terminated name.
    let Ok(full_name) = unsafe { CStr::from_ptr(spec.name) }.to_str() else {
        return Err(errors::value_error(ts, "type name must be UTF-8"));
    };
    let slots = slots_of(spec);
    for s in slots {
        if slot_offset(s.slot).is_none() {
            let runtime_error = super::exceptions::exc(super::exceptions::Exc::RuntimeError);
            return Err(errors::set_string(ts, runtime_error, "invalid slot offset"));
        }
    }
    check_metaclass(ts, meta)?;
    let bases = bases_for(ts, bases, slots)?;
    let base = super::mro::best_base(ts, &bases)?;
    // SAFETY: a live type.
    let (base_size, base_item) = unsafe { ((*base).tp_basicsize, (*base).tp_itemsize) };
    let basicsize = match spec.basicsize {
        0 => base_size,
        n if n < 0 => align_up(base_size) + (-(n as isize)),
        n => n as isize,
    };
    if basicsize < base_size {
        return Err(errors::type_error(
            ts,
            &format!(
                "tp_basicsize for type '{full_name}' ({basicsize}) is too small for base '{}' ({base_size})",
                type_name(base)
            ),
        ));
    }
    let itemsize = if spec.itemsize == 0 { base_item } else { spec.itemsize as isize };
    let flags = spec.flags as core::ffi::c_ulong | Py_TPFLAGS_HEAPTYPE;
    let doc = doc_of(ts, slots)?;
    let ty = heaptype::new_type_from_parts(
        ts,
        heaptype::Parts { full_name, bases: &bases, base, basicsize, itemsize, flags, doc, module: module_obj, meta },
        |ts, ty| fill_slots(ts, ty, slots, align_up(base_size)),
    )?;
    Ok(ty)
}

fn check_metaclass(ts: Ts, meta: *mut PyTypeObject) -> PyResult<()> {
    if meta.is_null() || meta == type_type() {
        return Ok(());
    }
    if !object::is_subtype(meta, type_type()) {
        return Err(errors::type_error(ts, "metaclass must be a subclass of type"));
    }
    // SAFETY: a live type.
    if unsafe { (*meta).tp_new.is_some() && !super::typeobject::is_type_new((*meta).tp_new) } {
        return Err(errors::type_error(ts, "Metaclasses with custom tp_new are not supported."));
    }
    Ok(())
}

/// The text of the `Py_tp_doc` slot, if any.
fn doc_of(ts: Ts, slots: &[PyType_Slot]) -> PyResult<Option<&'static str>> {
    let Some(s) = slots.iter().find(|s| s.slot == Py_tp_doc) else { return Ok(None) };
    if s.pfunc.is_null() {
        return Ok(None);
    }
    // SAFETY: a NUL-terminated doc string that outlives this call.
    match unsafe { CStr::from_ptr(s.pfunc as *const c_char) }.to_str() {
        Ok(t) => Ok(Some(t)),
        Err(_) => Err(errors::value_error(ts, "type doc must be UTF-8")),
    }
}

/// Writes the spec's slots into the new type (before it inherits from its bases), and
/// copies its members, resolving the special ones and relative offsets.
fn fill_slots(ts: Ts, ty: *mut PyTypeObject, slots: &[PyType_Slot], data_offset: isize) -> PyResult<()> {
    for s in slots {
        match s.slot {
            Py_tp_base | Py_tp_bases | Py_tp_doc => {}
            Py_tp_members => copy_members(ts, ty, s.pfunc as *mut PyMemberDef, data_offset)?,
            _ => {
                let Some(off) = slot_offset(s.slot) else { continue };
                // SAFETY: `ty` is a fresh PyHeapTypeObject and `off` the offset of a
                // pointer-sized field in it (a tp_* field or one in its own tables).
                unsafe { *((ty as *mut u8).add(off) as *mut *mut c_void) = s.pfunc };
            }
        }
    }
    Ok(())
}

fn copy_members(ts: Ts, ty: *mut PyTypeObject, src: *mut PyMemberDef, data_offset: isize) -> PyResult<()> {
    let members = members_of(src);
    let bytes = (members.len() + 1) * core::mem::size_of::<PyMemberDef>();
    let copy = crate::memory::alloc_in(ts, bytes) as *mut PyMemberDef;
    if copy.is_null() {
        return Err(errors::no_memory(ts));
    }
    // SAFETY: `copy` has room for every member and the terminator; the type owns it
    // (freed with the type, see heaptype::type_dealloc).
    unsafe {
        core::ptr::write_bytes(copy as *mut u8, 0, bytes);
        for (i, m) in members.iter().enumerate() {
            let mut m2 = PyMemberDef { name: m.name, r#type: m.r#type, offset: m.offset, flags: m.flags, doc: m.doc };
            if m2.flags & Py_RELATIVE_OFFSET != 0 {
                m2.offset += data_offset;
                m2.flags &= !Py_RELATIVE_OFFSET;
            }
            if name_is(m.name, "__dictoffset__") {
                (*ty).tp_dictoffset = m2.offset;
            } else if name_is(m.name, "__weaklistoffset__") {
                (*ty).tp_weaklistoffset = m2.offset;
            } else if name_is(m.name, "__vectorcalloffset__") {
                (*ty).tp_vectorcall_offset = m2.offset;
            }
            copy.add(i).write(m2);
        }
        (*ty).tp_members = copy;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------
// Queries

/// `PyType_GetSlot`: the value of slot `id` of `ty` (null when unset).
pub fn get_slot(ts: Ts, ty: *mut PyTypeObject, id: core::ffi::c_int) -> PyResult<*mut c_void> {
    let Some(off) = slot_offset(id) else { return Err(errors::bad_internal_call(ts)) };
    // SAFETY: a live type; the field is read through its own table pointer.
    unsafe {
        Ok(match id {
            Py_tp_doc => (*ty).tp_doc as *mut c_void,
            Py_tp_methods => (*ty).tp_methods as *mut c_void,
            Py_tp_members => (*ty).tp_members as *mut c_void,
            Py_tp_getset => (*ty).tp_getset as *mut c_void,
            Py_tp_base => (*ty).tp_base as *mut c_void,
            Py_tp_bases => (*ty).tp_bases as *mut c_void,
            _ => read_slot(ty, off),
        })
    }
}

/// The module a heap type was made for (borrowed), or null.
fn module_field(ty: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: heap types are PyHeapTypeObjects.
    unsafe { (*heaptype::heap_of(ty)).ht_module }
}

/// `PyType_GetModule` (borrowed).
pub fn get_module(ts: Ts, ty: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    if !is_heap_type(ty) {
        return Err(errors::type_error(ts, &format!("PyType_GetModule: Type '{}' is not a heap type", type_name(ty))));
    }
    let m = module_field(ty);
    if m.is_null() {
        return Err(errors::type_error(
            ts,
            &format!("PyType_GetModule: Type '{}' has no associated module", type_name(ty)),
        ));
    }
    Ok(m)
}

/// The per-module state of module `m` (null when it has none).
pub fn module_state(m: *mut PyObject) -> *mut c_void {
    module::state_of(m)
}

/// `PyType_GetModuleByDef`: the module of the first type of `ty`'s MRO made for a
/// module defined by `def` (borrowed).
pub fn get_module_by_def(ts: Ts, ty: *mut PyTypeObject, def: *mut PyModuleDef) -> PyResult<*mut PyObject> {
    for t in super::mro::mro_list(ty) {
        if !is_heap_type(t) {
            continue;
        }
        let m = module_field(t);
        if !m.is_null() && module::check(m) && module::def_of(m) == def {
            return Ok(m);
        }
    }
    Err(errors::type_error(
        ts,
        &format!("PyType_GetModuleByDef: No superclass of '{}' has the given module", type_name(ty)),
    ))
}

/// `__name__` of a type (new reference).
pub fn get_name(ts: Ts, ty: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    if is_heap_type(ty) {
        // SAFETY: a heap type's name is a str it owns.
        let n = unsafe { (*heaptype::heap_of(ty)).ht_name };
        if !n.is_null() {
            return Ok(unsafe { object::new_ref(n) });
        }
    }
    unicode::from_str(ts, short_name(ty))
}

/// `__qualname__` of a type (new reference).
pub fn get_qualname(ts: Ts, ty: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    if is_heap_type(ty) {
        // SAFETY: as above.
        let n = unsafe { (*heaptype::heap_of(ty)).ht_qualname };
        if !n.is_null() {
            return Ok(unsafe { object::new_ref(n) });
        }
    }
    unicode::from_str(ts, short_name(ty))
}

/// `__module__` of a type as text: its dict's for heap types, else `tp_name` before
/// the last dot, else `builtins`.
fn module_name_text(ts: Ts, ty: *mut PyTypeObject) -> PyResult<String> {
    if is_heap_type(ty) {
        // SAFETY: a heap type's dict.
        let d = unsafe { (*ty).tp_dict };
        if !d.is_null() {
            let key = unicode::from_str(ts, "__module__")?;
            let v = super::dict::get_item(ts, d, key);
            // SAFETY: our key.
            unsafe { decref(key) };
            if let Some(v) = v? {
                if unicode::check(v) {
                    return Ok(unicode::to_string_lossy(v));
                }
            }
        }
    }
    let full = type_name(ty);
    Ok(match full.rfind('.') {
        Some(i) => full[..i].to_string(),
        None => "builtins".to_string(),
    })
}

/// `PyType_GetModuleName` (new reference).
pub fn get_module_name(ts: Ts, ty: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    let m = module_name_text(ts, ty)?;
    unicode::from_str(ts, &m)
}

/// `PyType_GetFullyQualifiedName`: `module.qualname`, or the qualname alone for
/// `builtins` and `__main__` (new reference).
pub fn get_fully_qualified_name(ts: Ts, ty: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    let q = get_qualname(ts, ty)?;
    let m = module_name_text(ts, ty);
    let m = match m {
        Ok(m) => m,
        Err(e) => {
            // SAFETY: our reference.
            unsafe { decref(q) };
            return Err(e);
        }
    };
    if m == "builtins" || m == "__main__" {
        return Ok(q);
    }
    let text = format!("{m}.{}", unicode::to_string_lossy(q));
    // SAFETY: our reference.
    unsafe { decref(q) };
    unicode::from_str(ts, &text)
}

/// `PyObject_GetTypeData`: where the data `cls` adds to its base starts in `obj`.
pub fn type_data(obj: *mut PyObject, cls: *mut PyTypeObject) -> *mut c_void {
    // SAFETY: a live type with a base.
    let base_size = unsafe { (*cls).tp_base.as_ref().map(|b| b.tp_basicsize).unwrap_or(0) };
    (obj as *mut u8).wrapping_offset(align_up(base_size)) as *mut c_void
}

/// `PyType_GetTypeDataSize`.
pub fn type_data_size(cls: *mut PyTypeObject) -> Py_ssize_t {
    // SAFETY: a live type.
    unsafe {
        let base_size = (*cls).tp_base.as_ref().map(|b| b.tp_basicsize).unwrap_or(0);
        ((*cls).tp_basicsize - align_up(base_size)).max(0)
    }
}
