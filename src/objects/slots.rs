//! `__slots__` of classes made by `type(name, bases, dict)`: which instance words a
//! class adds after its layout base (one per slot name, then the instance dict, then
//! the weak-reference list), checked with CPython 3.13's errors, and the member
//! table (`Py_T_OBJECT_EX` entries) whose descriptors read and write them.

use super::object::{decref, type_of};
use super::typeobject::type_name;
use super::{dict, tuple, unicode};
use crate::abi::*;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ptr::null_mut;

/// What a new class adds to its layout base's instances.
pub struct Plan {
    /// The slot names, mangled and sorted (an owned tuple: `ht_slots`), or null when
    /// the dict has no `__slots__`.
    pub names: *mut PyObject,
    pub add_dict: bool,
    pub add_weak: bool,
}

impl Plan {
    pub fn slot_count(&self) -> usize {
        if self.names.is_null() {
            0
        } else {
            tuple::size(self.names) as usize
        }
    }
}

/// Reads `__slots__` from `ns` for a class named `class_name` on layout base `base`
/// (of `bases`), as CPython's `type_new_slots` does.
pub fn plan(
    ts: Ts,
    class_name: *mut PyObject,
    base: *mut PyTypeObject,
    bases: &[*mut PyTypeObject],
    ns: *mut PyObject,
) -> PyResult<Plan> {
    // SAFETY: a live base type.
    let (dictoffset, weakoffset, itemsize) =
        unsafe { ((*base).tp_dictoffset, (*base).tp_weaklistoffset, (*base).tp_itemsize) };
    let may_add_dict = dictoffset == 0;
    let may_add_weak = weakoffset == 0 && itemsize == 0;
    let key = unicode::intern_str(ts, "__slots__")?;
    let found = dict::get_item(ts, ns, key);
    // SAFETY: our reference to the interned name.
    unsafe { decref(key) };
    let Some(given) = found? else {
        return Ok(Plan { names: null_mut(), add_dict: may_add_dict, add_weak: may_add_weak });
    };
    let items = if unicode::check(given) {
        tuple::pack(ts, &[given])?
    } else {
        crate::protocols::sequence::to_tuple(ts, given)?
    };
    let r = plan_from_items(ts, class_name, base, bases, ns, items, may_add_dict, may_add_weak);
    // SAFETY: our tuple.
    unsafe { decref(items) };
    r
}

#[allow(clippy::too_many_arguments)]
fn plan_from_items(
    ts: Ts,
    class_name: *mut PyObject,
    base: *mut PyTypeObject,
    bases: &[*mut PyTypeObject],
    ns: *mut PyObject,
    items: *mut PyObject,
    may_add_dict: bool,
    may_add_weak: bool,
) -> PyResult<Plan> {
    let items = tuple::items(items);
    // SAFETY: a live base type.
    if !items.is_empty() && unsafe { (*base).tp_itemsize } != 0 {
        let text = format!("nonempty __slots__ not supported for subtype of '{}'", type_name(base));
        return Err(errors::type_error(ts, &text));
    }
    let (mut add_dict, mut add_weak) = (false, false);
    for &name in items {
        if !unicode::check(name) {
            let got = type_name(type_of(name));
            return Err(errors::type_error(ts, &format!("__slots__ items must be strings, not '{got}'")));
        }
        if !is_identifier(name) {
            return Err(errors::type_error(ts, "__slots__ must be identifiers"));
        }
        if unicode::equal_to_utf8(name, b"__dict__") {
            if !may_add_dict || add_dict {
                return Err(errors::type_error(ts, "__dict__ slot disallowed: we already got one"));
            }
            add_dict = true;
        }
        if unicode::equal_to_utf8(name, b"__weakref__") {
            if !may_add_weak || add_weak {
                return Err(errors::type_error(ts, "__weakref__ slot disallowed: we already got one"));
            }
            add_weak = true;
        }
    }
    let names = mangled_names(ts, class_name, ns, items, add_dict, add_weak)?;
    // Secondary bases may bring a dict or weak-reference list the layout base lacks.
    if bases.len() > 1 {
        for &b in bases.iter().filter(|&&b| b != base) {
            // SAFETY: live base types.
            let (d, w) = unsafe { ((*b).tp_dictoffset, (*b).tp_weaklistoffset) };
            add_dict |= may_add_dict && d != 0;
            add_weak |= may_add_weak && w != 0;
        }
    }
    Ok(Plan { names, add_dict, add_weak })
}

/// The slot names other than the `__dict__`/`__weakref__` taken as such, mangled with
/// the class name, refused when the class dict also has them, sorted (so two classes
/// with the same slots compare equal for `__class__` assignment), as a tuple.
fn mangled_names(
    ts: Ts,
    class_name: *mut PyObject,
    ns: *mut PyObject,
    items: &[*mut PyObject],
    add_dict: bool,
    add_weak: bool,
) -> PyResult<*mut PyObject> {
    let mut names: Vec<*mut PyObject> = Vec::with_capacity(items.len());
    let release = |names: &[*mut PyObject]| {
        for &n in names {
            // SAFETY: our references.
            unsafe { decref(n) };
        }
    };
    for &item in items {
        let special = (add_dict && unicode::equal_to_utf8(item, b"__dict__"))
            || (add_weak && unicode::equal_to_utf8(item, b"__weakref__"));
        if special {
            continue;
        }
        let name = match mangle(ts, class_name, item) {
            Ok(n) => n,
            Err(e) => {
                release(&names);
                return Err(e);
            }
        };
        names.push(name);
        let exempt = ["__qualname__", "__classcell__", "__classdictcell__"]
            .iter()
            .any(|s| unicode::equal_to_utf8(name, s.as_bytes()));
        let conflict = match dict::get_item(ts, ns, name) {
            Ok(v) => v.is_some() && !exempt,
            Err(e) => {
                release(&names);
                return Err(e);
            }
        };
        if conflict {
            let text = unicode::repr_text(unicode::chars(name));
            release(&names);
            return Err(errors::value_error(ts, &format!("{text} in __slots__ conflicts with class variable")));
        }
    }
    names.sort_by(|&a, &b| unicode::compare(a, b));
    let t = tuple::pack(ts, &names);
    release(&names);
    t
}

/// A private name (`__x`, not ending in `__`, without a dot) inside class `class_name`
/// becomes `_Class__x` (the class name without its leading underscores; a class
/// named only with underscores mangles nothing). A new reference.
fn mangle(ts: Ts, class_name: *mut PyObject, name: *mut PyObject) -> PyResult<*mut PyObject> {
    let text = unicode::to_string_lossy(name);
    let private = text.starts_with("__") && !text.ends_with("__") && !text.contains('.');
    let owner = unicode::to_string_lossy(class_name);
    let owner = owner.trim_start_matches('_');
    if !private || owner.is_empty() {
        // SAFETY: a live str.
        return Ok(unsafe { super::object::new_ref(name) });
    }
    unicode::from_str(ts, &format!("_{owner}{text}"))
}

/// `str.isidentifier()`: a letter or `_`, then letters, digits and `_` (Unicode's
/// XID_Start and XID_Continue, as the language defines names).
fn is_identifier(name: *mut PyObject) -> bool {
    let mut chars = unicode::chars(name).map(char::from_u32);
    let Some(Some(first)) = chars.next() else { return false };
    (first == '_' || unicode_ident::is_xid_start(first)) && chars.all(|c| c.is_some_and(unicode_ident::is_xid_continue))
}

/// A member table for the slots: one `Py_T_OBJECT_EX` entry per name at the offsets
/// from `first_offset` on, the names' text after the table, all in one block of the
/// interpreter's heap that the type owns (freed with it, as `tp_members` of every heap
/// type is).
pub fn member_table(ts: Ts, names: *mut PyObject, first_offset: Py_ssize_t) -> PyResult<*mut PyMemberDef> {
    let texts: Vec<String> = tuple::items(names).iter().map(|&n| unicode::to_string_lossy(n)).collect();
    let table_bytes = (texts.len() + 1) * core::mem::size_of::<PyMemberDef>();
    let text_bytes: usize = texts.iter().map(|t| t.len() + 1).sum();
    let block = crate::memory::alloc_in(ts, table_bytes + text_bytes);
    if block.is_null() {
        return Err(errors::no_memory(ts));
    }
    let word = core::mem::size_of::<*mut PyObject>() as Py_ssize_t;
    // SAFETY: `block` holds the table (zeroed, so it ends with an empty entry) and
    // then every name with its NUL.
    unsafe {
        core::ptr::write_bytes(block, 0, table_bytes + text_bytes);
        let table = block as *mut PyMemberDef;
        let mut text_at = block.add(table_bytes);
        for (i, t) in texts.iter().enumerate() {
            core::ptr::copy_nonoverlapping(t.as_ptr(), text_at, t.len());
            *table.add(i) = PyMemberDef {
                name: text_at as *const core::ffi::c_char,
                r#type: Py_T_OBJECT_EX,
                offset: first_offset + word * i as Py_ssize_t,
                flags: 0,
                doc: core::ptr::null(),
            };
            text_at = text_at.add(t.len() + 1);
        }
        Ok(table)
    }
}

/// Releases the slot values of instance `o` that heap type `ty` itself added.
///
/// # Safety
/// `o` is an instance being deallocated whose layout includes `ty`'s.
pub unsafe fn clear_values(o: *mut PyObject, ty: *mut PyTypeObject) {
    // SAFETY: per the contract; a heap type's ht_slots is null or its slot tuple,
    // and its tp_members then starts with one entry per slot.
    unsafe {
        let names = (*(ty as *mut PyHeapTypeObject)).ht_slots;
        if names.is_null() || (*ty).tp_members.is_null() {
            return;
        }
        for i in 0..tuple::size(names) as usize {
            let m = &*(*ty).tp_members.add(i);
            let slot = (o as *mut u8).offset(m.offset) as *mut *mut PyObject;
            super::object::clear_slot(&mut *slot);
        }
    }
}
