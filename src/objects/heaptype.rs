//! Heap types: type objects made at run time in an interpreter's heap, laid out as
//! CPython 3.13's `PyHeapTypeObject`, owned by that interpreter and freed with their
//! last reference.
//!
//! A heap type's `tp_mro` starts with the type itself. That entry holds no reference
//! (there is no cycle collector to break a type's reference to itself); the tuple is
//! never handed out as is (`__mro__` returns a copy) and dies with the type.

use super::object::{self, clear_slot, decref, incref};
use super::typeobject::{inherit_flags, inherit_slots, type_type};
use super::{dict, module, mro, tuple, unicode};
use crate::abi::*;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ptr::null_mut;

/// The heap type behind `ty` (callers check `is_heap_type`).
pub fn heap_of(ty: *mut PyTypeObject) -> *mut PyHeapTypeObject {
    ty as *mut PyHeapTypeObject
}

/// A new heap type named `full_name` ("module.Name") deriving from `base`.
pub fn new_type(
    ts: Ts,
    full_name: &str,
    base: *mut PyTypeObject,
    doc: Option<&str>,
    namespace: *mut PyObject,
) -> PyResult<*mut PyTypeObject> {
    new_type_with_bases(ts, full_name, &[base], doc, namespace)
}

/// A new heap type named `full_name` ("module.Name") deriving from `bases` (`object`
/// when empty): its layout base is chosen as CPython does (`mro::best_base`), its MRO is
/// the C3 linearization, and it inherits slots along that MRO.
pub fn new_type_with_bases(
    ts: Ts,
    full_name: &str,
    bases: &[*mut PyTypeObject],
    doc: Option<&str>,
    namespace: *mut PyObject,
) -> PyResult<*mut PyTypeObject> {
    let object_only = [object::base_object_type()];
    let bases = if bases.is_empty() { &object_only[..] } else { bases };
    let base = mro::best_base(ts, bases)?;
    let ty = allocate(ts, base, Py_TPFLAGS_BASETYPE)?;
    let linked = link(ts, ty, bases).and_then(|()| finish(ts, ty, full_name, doc, namespace, true));
    match linked {
        Ok(()) => Ok(ty),
        Err(e) => {
            // SAFETY: the one reference to the half-made type; its dealloc takes null fields.
            unsafe { decref(ty as *mut PyObject) };
            Err(e)
        }
    }
}

/// A zeroed heap type extending `base`'s layout, its `tp_as_*` pointing at its own tables.
fn allocate(ts: Ts, base: *mut PyTypeObject, flags: core::ffi::c_ulong) -> PyResult<*mut PyTypeObject> {
    let size = core::mem::size_of::<PyHeapTypeObject>();
    let p = crate::memory::alloc_in(ts, size) as *mut PyHeapTypeObject;
    if p.is_null() {
        return Err(errors::no_memory(ts));
    }
    // SAFETY: `p` is fresh and large enough; every field is written before use.
    unsafe {
        core::ptr::write_bytes(p as *mut u8, 0, size);
        let h = &mut *p;
        let t = &mut h.ht_type;
        t.ob_base.ob_base.ob_refcnt = 1;
        t.ob_base.ob_base.ob_type = type_type();
        t.tp_basicsize = (*base).tp_basicsize;
        t.tp_itemsize = (*base).tp_itemsize;
        t.tp_flags = flags | Py_TPFLAGS_HEAPTYPE | Py_TPFLAGS_READY;
        t.tp_as_async = &raw mut h.as_async;
        t.tp_as_number = &raw mut h.as_number;
        t.tp_as_mapping = &raw mut h.as_mapping;
        t.tp_as_sequence = &raw mut h.as_sequence;
        t.tp_as_buffer = &raw mut h.as_buffer;
        incref(base as *mut PyObject);
        t.tp_base = base;
    }
    Ok(p as *mut PyTypeObject)
}

/// Sets `tp_bases` and `tp_mro`, then fills the slots the type leaves empty along its MRO.
fn link(ts: Ts, ty: *mut PyTypeObject, bases: &[*mut PyTypeObject]) -> PyResult<()> {
    let base_objs: Vec<*mut PyObject> = bases.iter().map(|&b| b as *mut PyObject).collect();
    let order = mro::compute(ts, ty, bases)?;
    // SAFETY: `ty` is the fresh type `allocate` made; nobody else sees it yet.
    unsafe {
        (*ty).tp_bases = tuple::pack(ts, &base_objs)?;
        (*ty).tp_mro = mro_tuple(ts, &order)?;
        for &b in &order[1..] {
            inherit_slots(&mut *ty, &*b);
        }
        inherit_flags(&mut *ty, &*(*ty).tp_base);
    }
    for &b in bases {
        add_subclass(b, ty);
    }
    Ok(())
}

/// A heap type's direct heap subclasses, which it holds without references (each
/// removes itself when freed), in a list `tp_subclasses` points to (static types use
/// that field for their index instead; see typestate). Slot updates walk it.
type Subclasses = Vec<*mut PyTypeObject>;

fn subclass_list(ty: *mut PyTypeObject) -> *mut Subclasses {
    // SAFETY: a live heap type; tp_subclasses is null or the list add_subclass made.
    unsafe { (*ty).tp_subclasses as *mut Subclasses }
}

fn add_subclass(base: *mut PyTypeObject, sub: *mut PyTypeObject) {
    if !object::is_heap_type(base) {
        return;
    }
    let mut list = subclass_list(base);
    if list.is_null() {
        list = Box::into_raw(Box::default());
        // SAFETY: a live heap type, which owns the new list from here.
        unsafe { (*base).tp_subclasses = list as *mut core::ffi::c_void };
    }
    // SAFETY: the base's own list.
    unsafe { (*list).push(sub) };
}

fn remove_subclass(base: *mut PyTypeObject, sub: *mut PyTypeObject) {
    if !object::is_heap_type(base) {
        return;
    }
    let list = subclass_list(base);
    // SAFETY: the base's own list (null when it has none).
    if let Some(list) = unsafe { list.as_mut() } {
        list.retain(|&s| s != sub);
    }
}

/// The direct heap subclasses of heap type `ty` (a copy: updates may run code).
pub fn subclasses(ty: *mut PyTypeObject) -> Vec<*mut PyTypeObject> {
    if !object::is_heap_type(ty) {
        return Vec::new();
    }
    // SAFETY: the type's own list (null when it has none).
    unsafe { subclass_list(ty).as_ref() }.cloned().unwrap_or_default()
}

/// Names, dict (with the namespace's entries and the descriptors of the type's own
/// definitions) and version tag. `__module__` comes from the name's dotted prefix,
/// or is `builtins` when `default_module` (else absent).
fn finish(
    ts: Ts,
    ty: *mut PyTypeObject,
    full_name: &str,
    doc: Option<&str>,
    namespace: *mut PyObject,
    default_module: bool,
) -> PyResult<()> {
    fill_names(ts, heap_of(ty), full_name, doc, namespace, default_module)?;
    // SAFETY: as above; the dict was made by fill_names.
    unsafe { super::descrobject::add_descriptors(ts, ty, (*ty).tp_dict)? };
    super::typestate::assign_version(ty);
    Ok(())
}

/// What a heap type from a spec is made of (see `typespec`).
pub struct Parts<'a> {
    pub full_name: &'a str,
    pub bases: &'a [*mut PyTypeObject],
    /// The layout base, already checked (`mro::best_base`).
    pub base: *mut PyTypeObject,
    pub basicsize: Py_ssize_t,
    pub itemsize: Py_ssize_t,
    pub flags: core::ffi::c_ulong,
    pub doc: Option<&'a str>,
    /// The module the type is made for (`ht_module`), or null.
    pub module: *mut PyObject,
    /// The metatype, or null for `type`.
    pub meta: *mut PyTypeObject,
}

/// A heap type from `parts`; `fill` writes its own slots before it inherits the rest.
pub fn new_type_from_parts(
    ts: Ts,
    parts: Parts,
    fill: impl FnOnce(Ts, *mut PyTypeObject) -> PyResult<()>,
) -> PyResult<*mut PyTypeObject> {
    object::refuse_foreign(ts, parts.module)?;
    let ty = allocate(ts, parts.base, parts.flags)?;
    // SAFETY: the fresh type; the module and metatype get references of their own.
    unsafe {
        (*ty).tp_basicsize = parts.basicsize;
        (*ty).tp_itemsize = parts.itemsize;
        if !parts.meta.is_null() {
            (*ty).ob_base.ob_base.ob_type = parts.meta;
            if object::is_heap_type(parts.meta) {
                incref(parts.meta as *mut PyObject);
            }
        }
        (*heap_of(ty)).ht_module = parts.module;
        object::xincref(parts.module);
    }
    let made = fill(ts, ty).and_then(|()| link(ts, ty, parts.bases)).and_then(|()| {
        super::gc::fix_free(ty);
        if parts.flags & Py_TPFLAGS_DISALLOW_INSTANTIATION != 0 {
            // SAFETY: the fresh type.
            unsafe { (*ty).tp_new = None };
        }
        finish(ts, ty, parts.full_name, parts.doc, null_mut(), false)
    });
    match made {
        Ok(()) => Ok(ty),
        Err(e) => {
            // SAFETY: the one reference to the half-made type.
            unsafe { decref(ty as *mut PyObject) };
            Err(e)
        }
    }
}

/// The MRO tuple of a new type: entry 0 is the type itself, uncounted (see the module
/// comment), the rest new references.
fn mro_tuple(ts: Ts, order: &[*mut PyTypeObject]) -> PyResult<*mut PyObject> {
    let t = tuple::new(ts, order.len() as isize)?;
    for (i, &m) in order.iter().enumerate() {
        // SAFETY: `t` has `order.len()` slots; the types are live.
        unsafe {
            if i > 0 {
                incref(m as *mut PyObject);
            }
            *tuple::slots(t).add(i) = m as *mut PyObject;
        }
    }
    Ok(t)
}

/// A NUL-terminated copy of `text` in the interpreter's heap.
fn c_copy(ts: Ts, text: &str) -> PyResult<*mut u8> {
    let buf = crate::memory::alloc_in(ts, text.len() + 1);
    if buf.is_null() {
        return Err(errors::no_memory(ts));
    }
    // SAFETY: `buf` has room for the text and its NUL.
    unsafe {
        core::ptr::copy_nonoverlapping(text.as_ptr(), buf, text.len());
        *buf.add(text.len()) = 0;
    }
    Ok(buf)
}

fn fill_names(
    ts: Ts,
    p: *mut PyHeapTypeObject,
    full_name: &str,
    doc: Option<&str>,
    namespace: *mut PyObject,
    default_module: bool,
) -> PyResult<()> {
    // SAFETY: `p` is the type being made, referenced only by the caller.
    let h = unsafe { &mut *p };
    let (module_name, short) = match full_name.rfind('.') {
        Some(i) => (Some(&full_name[..i]), &full_name[i + 1..]),
        None => (default_module.then_some("builtins"), full_name),
    };
    h.ht_name = unicode::from_str(ts, short)?;
    h.ht_qualname = unicode::from_str(ts, short)?;
    h._ht_tpname = c_copy(ts, full_name)? as *mut core::ffi::c_char;
    h.ht_type.tp_name = h._ht_tpname;
    let d = dict::new(ts)?;
    h.ht_type.tp_dict = d;
    if !namespace.is_null() {
        for e in dict::entries(namespace) {
            dict::set_item(ts, d, e.key, e.value)?;
        }
    }
    if let Some(module_name) = module_name {
        let module_str = unicode::from_str(ts, module_name)?;
        let r = module::set_str_attr(ts, d, "__module__", module_str);
        // SAFETY: our reference; the dict holds its own.
        unsafe { decref(module_str) };
        r?;
    }
    if let Some(text) = doc {
        h.ht_type.tp_doc = c_copy(ts, text)? as *const core::ffi::c_char;
    }
    Ok(())
}

/// Drops a heap type's MRO tuple, whose entry 0 (the type) holds no reference.
///
/// # Safety
/// `ty` is a heap type being deallocated.
unsafe fn release_mro(ty: &mut PyTypeObject) {
    let m = core::mem::replace(&mut ty.tp_mro, null_mut());
    if m.is_null() {
        return;
    }
    // SAFETY: our tuple; clearing the uncounted entry keeps its release from dropping it.
    unsafe {
        if tuple::size(m) > 0 {
            *tuple::slots(m) = null_mut();
        }
        decref(m);
    }
}

/// `tp_dealloc` of `type`: only heap types ever reach it (static ones are immortal).
pub unsafe extern "C" fn type_dealloc(o: *mut PyObject) {
    boundary::guard(|| {
        let ty = o as *mut PyTypeObject;
        if !object::is_heap_type(ty) {
            return;
        }
        // SAFETY: the last reference to a heap type, laid out as PyHeapTypeObject.
        let h = unsafe { &mut *heap_of(ty) };
        unsafe {
            if !h.ht_type.tp_bases.is_null() {
                for &b in tuple::items(h.ht_type.tp_bases) {
                    remove_subclass(b as *mut PyTypeObject, ty);
                }
            }
            let list = core::mem::replace(&mut h.ht_type.tp_subclasses, null_mut()) as *mut Subclasses;
            if !list.is_null() {
                drop(Box::from_raw(list));
            }
            release_mro(&mut h.ht_type);
            clear_slot(&mut h.ht_type.tp_dict);
            clear_slot(&mut h.ht_type.tp_bases);
            clear_slot(&mut h.ht_name);
            clear_slot(&mut h.ht_qualname);
            clear_slot(&mut h.ht_slots);
            clear_slot(&mut h.ht_module);
            let base = core::mem::replace(&mut h.ht_type.tp_base, null_mut());
            object::xdecref(base as *mut PyObject);
            // A heap type's members are its own copy (see typespec).
            crate::memory::free(h.ht_type.tp_members as *mut u8);
            let meta = h.ht_type.ob_base.ob_base.ob_type;
            if object::is_heap_type(meta) {
                decref(meta as *mut PyObject);
            }
            crate::memory::free(h._ht_tpname as *mut u8);
            crate::memory::free(h.ht_type.tp_doc as *mut u8);
            crate::memory::free(o as *mut u8);
        }
    })
}

/// A class made by `type(name, bases, dict)` (see `typeobject::type_new`): a heap type
/// of metatype `meta` whose instances get the words its `__slots__` ask for (see
/// `slots`), and by default an instance dict and weak-reference list when no base gives
/// them one; whose dict is a copy of `namespace`, and whose dunders fill its slots.
pub fn new_class(
    ts: Ts,
    meta: *mut PyTypeObject,
    name: *mut PyObject,
    qualname: *mut PyObject,
    bases: &[*mut PyTypeObject],
    doc: Option<&str>,
    namespace: *mut PyObject,
) -> PyResult<*mut PyTypeObject> {
    let object_only = [object::base_object_type()];
    let bases = if bases.is_empty() { &object_only[..] } else { bases };
    let base = mro::best_base(ts, bases)?;
    let plan = super::slots::plan(ts, name, base, bases, namespace)?;
    // SAFETY: a live base type.
    let gc = unsafe { (*base).tp_flags } & Py_TPFLAGS_HAVE_GC;
    let ty = match allocate(ts, base, Py_TPFLAGS_BASETYPE | gc) {
        Ok(t) => t,
        Err(e) => {
            // SAFETY: the plan's tuple, which nothing else holds.
            unsafe { object::xdecref(plan.names) };
            return Err(e);
        }
    };
    // SAFETY: the fresh type, referenced only here; it owns the plan's tuple from here.
    unsafe {
        let t = &mut *ty;
        (*heap_of(ty)).ht_slots = plan.names;
        t.tp_dealloc = Some(subtype_dealloc);
        if meta != type_type() {
            t.ob_base.ob_base.ob_type = meta;
            if object::is_heap_type(meta) {
                incref(meta as *mut PyObject);
            }
        }
    }
    let made = lay_out(ts, ty, &plan).and_then(|()| link(ts, ty, bases)).and_then(|()| {
        super::gc::fix_free(ty);
        finish(ts, ty, &unicode::to_string_lossy(name), doc, namespace, false)?;
        if !qualname.is_null() {
            // SAFETY: the fresh type; the new reference replaces the name finish set.
            unsafe {
                let h = &mut *heap_of(ty);
                clear_slot(&mut h.ht_qualname);
                h.ht_qualname = object::new_ref(qualname);
            }
        }
        add_instance_getset(ts, ty, "__dict__", |t| t.tp_dictoffset, &raw mut DICT_GETSET)?;
        add_instance_getset(ts, ty, "__weakref__", |t| t.tp_weaklistoffset, &raw mut WEAKREF_GETSET)?;
        // Every class has a `__doc__` of its own, None without one.
        // SAFETY: the fresh type's dict.
        let d = unsafe { (*ty).tp_dict };
        if !dict_has(ts, d, "__doc__")? {
            module::set_str_attr(ts, d, "__doc__", super::singletons::none())?;
        }
        super::slotdispatch::fixup(ts, ty)
    });
    match made {
        Ok(()) => Ok(ty),
        Err(e) => {
            // SAFETY: the one reference to the half-made type.
            unsafe { decref(ty as *mut PyObject) };
            Err(e)
        }
    }
}

/// The instance words a class adds after its base's: its slots, then the instance
/// dict (not after a variable-size base: isle has no managed dict), then the
/// weak-reference list.
fn lay_out(ts: Ts, ty: *mut PyTypeObject, plan: &super::slots::Plan) -> PyResult<()> {
    let word = core::mem::size_of::<*mut PyObject>() as Py_ssize_t;
    // SAFETY: the fresh type and its live layout base.
    unsafe {
        let t = &mut *ty;
        let base = &*t.tp_base;
        let mut size = base.tp_basicsize;
        if plan.slot_count() > 0 {
            t.tp_members = super::slots::member_table(ts, plan.names, size)?;
            size += word * plan.slot_count() as Py_ssize_t;
        }
        if plan.add_dict && base.tp_itemsize == 0 {
            t.tp_dictoffset = size;
            size += word;
        }
        if plan.add_weak {
            t.tp_weaklistoffset = size;
            size += word;
        }
        t.tp_basicsize = size;
    }
    Ok(())
}

fn dict_has(ts: Ts, d: *mut PyObject, key: &str) -> PyResult<bool> {
    let k = unicode::intern_str(ts, key)?;
    let r = dict::get_item(ts, d, k).map(|v| v.is_some());
    // SAFETY: our reference to the interned name.
    unsafe { decref(k) };
    r
}

pub fn is_subtype_dealloc(f: destructor) -> bool {
    f.is_some_and(|f| core::ptr::fn_addr_eq(f, subtype_dealloc as unsafe extern "C" fn(_)))
}

/// `tp_dealloc` of classes made by `type()`: releases the slot values and the instance
/// dict such classes added, then runs the dealloc of the nearest base that is not such
/// a class (which frees the memory and drops the instance's reference to its type).
pub unsafe extern "C" fn subtype_dealloc(o: *mut PyObject) {
    boundary::guard(|| {
        let ty = object::type_of(o);
        let mut base = ty;
        // SAFETY: live types along tp_base; object's dealloc ends the walk. Each class
        // on the way releases the slots it added.
        unsafe {
            while is_subtype_dealloc((*base).tp_dealloc) && !(*base).tp_base.is_null() {
                super::slots::clear_values(o, base);
                base = (*base).tp_base;
            }
            if (*ty).tp_dictoffset > 0 && (*base).tp_dictoffset == 0 {
                let slot = (o as usize + (*ty).tp_dictoffset as usize) as *mut *mut PyObject;
                clear_slot(&mut *slot);
            }
            match (*base).tp_dealloc {
                Some(d) if !is_subtype_dealloc(Some(d)) => d(o),
                _ => object::free_object(o),
            }
        }
    })
}

/// Gives a class whose instances got the word at `offset_of` from it (not from its
/// layout base) the attribute `name` for it, as CPython does, unless its namespace
/// defines one.
fn add_instance_getset(
    ts: Ts,
    ty: *mut PyTypeObject,
    name: &str,
    offset_of: fn(&PyTypeObject) -> Py_ssize_t,
    def: *mut PyGetSetDef,
) -> PyResult<()> {
    // SAFETY: the fresh type and its live layout base.
    let (own, inherited, d) = unsafe { (offset_of(&*ty), offset_of(&*(*ty).tp_base), (*ty).tp_dict) };
    if own <= 0 || inherited != 0 || dict_has(ts, d, name)? {
        return Ok(());
    }
    let descr = super::descrobject::new_getset(ts, ty, def)?;
    let r = module::set_str_attr(ts, d, name, descr);
    // SAFETY: our reference; the dict holds its own.
    unsafe { decref(descr) };
    r
}

static mut WEAKREF_GETSET: PyGetSetDef = PyGetSetDef {
    name: c"__weakref__".as_ptr(),
    get: Some(instance_weakref_get),
    set: None,
    doc: core::ptr::null(),
    closure: null_mut(),
};

/// `instance.__weakref__`: the first weak reference to the instance, or None. isle
/// makes no weak references yet, so the list word is always empty.
unsafe extern "C" fn instance_weakref_get(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    boundary::guard(|| {
        // SAFETY: a live instance of a live type.
        let offset = unsafe { (*object::type_of(o)).tp_weaklistoffset };
        if offset <= 0 {
            return super::singletons::none();
        }
        // SAFETY: the type keeps a weak-list word at `offset` of its instances.
        let first = unsafe { *((o as usize + offset as usize) as *const *mut PyObject) };
        if first.is_null() {
            return super::singletons::none();
        }
        unsafe { object::new_ref(first) }
    })
}

static mut DICT_GETSET: PyGetSetDef = PyGetSetDef {
    name: c"__dict__".as_ptr(),
    get: Some(instance_dict_get),
    set: Some(instance_dict_set),
    doc: core::ptr::null(),
    closure: null_mut(),
};

/// `instance.__dict__`: the instance dict, made on first use.
unsafe extern "C" fn instance_dict_get(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let Some(slot) = crate::protocols::attr::instance_dict_slot(o) else {
            errors::type_error(ts, "This object has no __dict__");
            return null_mut();
        };
        // SAFETY: the instance's dict slot, null or a dict it owns.
        unsafe {
            if (*slot).is_null() {
                match dict::new(ts) {
                    Ok(d) => *slot = d,
                    Err(_) => return null_mut(),
                }
            }
            object::new_ref(*slot)
        }
    })
}

/// `instance.__dict__ = d` (a dict) or `del instance.__dict__`.
unsafe extern "C" fn instance_dict_set(
    o: *mut PyObject,
    value: *mut PyObject,
    _: *mut core::ffi::c_void,
) -> core::ffi::c_int {
    boundary::with_thread_state(|ts| {
        let Some(slot) = crate::protocols::attr::instance_dict_slot(o) else {
            errors::type_error(ts, "This object has no __dict__");
            return -1;
        };
        if !value.is_null() && !dict::check(value) {
            let got = super::typeobject::type_name(object::type_of(value));
            errors::type_error(ts, &format!("__dict__ must be set to a dictionary, not a '{got}'"));
            return -1;
        }
        // SAFETY: the instance's dict slot; the new value gets its own reference.
        unsafe {
            object::xincref(value);
            clear_slot(&mut *slot);
            *slot = value;
        }
        0
    })
}
