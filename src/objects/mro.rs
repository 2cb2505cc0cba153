//! Method resolution order and the choice of a type's layout base, as CPython 3.13
//! does them: C3 linearization of the bases, and the "solid base" rule that refuses
//! bases whose instance layouts cannot be combined.

use super::object::{self, base_object_type};
use super::tuple;
use super::typeobject::{short_name, type_name};
use crate::abi::*;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;

/// The MRO of `ty` as a list: its `tp_mro` when it has one, else the `tp_base` chain
/// (a static type not readied yet), which ends at `object`.
pub fn mro_list(ty: *mut PyTypeObject) -> Vec<*mut PyTypeObject> {
    // SAFETY: `ty` is a live type; tp_mro is null or a tuple of types.
    let mro = unsafe { (*ty).tp_mro };
    if !mro.is_null() {
        return tuple::items(mro).iter().map(|&t| t as *mut PyTypeObject).collect();
    }
    let mut v = Vec::new();
    let mut t = ty;
    while !t.is_null() {
        v.push(t);
        t = unsafe { (*t).tp_base };
    }
    if v.last() != Some(&base_object_type()) {
        v.push(base_object_type());
    }
    v
}

/// The C3 linearization of a type with `bases`, without the type itself. Err holds the
/// heads that could not be ordered (for the error message).
fn c3_merge(bases: &[*mut PyTypeObject]) -> Result<Vec<*mut PyTypeObject>, Vec<*mut PyTypeObject>> {
    let mut seqs: Vec<Vec<*mut PyTypeObject>> = bases.iter().map(|&b| mro_list(b)).collect();
    seqs.push(bases.to_vec());
    let mut out = Vec::new();
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            return Ok(out);
        }
        let in_a_tail = |c: *mut PyTypeObject| seqs.iter().any(|s| s[1..].contains(&c));
        let Some(next) = seqs.iter().map(|s| s[0]).find(|&c| !in_a_tail(c)) else {
            let mut heads: Vec<*mut PyTypeObject> = Vec::new();
            for s in &seqs {
                if !heads.contains(&s[0]) {
                    heads.push(s[0]);
                }
            }
            return Err(heads);
        };
        out.push(next);
        for s in seqs.iter_mut() {
            if s[0] == next {
                s.remove(0);
            }
        }
    }
}

/// The MRO of a new type `ty` with `bases`: `ty`, then the merge of its bases' MROs.
/// Raises `TypeError` for a repeated base or bases that admit no consistent order.
pub fn compute(ts: Ts, ty: *mut PyTypeObject, bases: &[*mut PyTypeObject]) -> PyResult<Vec<*mut PyTypeObject>> {
    for (i, &b) in bases.iter().enumerate() {
        if bases[..i].contains(&b) {
            return Err(errors::type_error(ts, &format!("duplicate base class {}", short_name(b))));
        }
    }
    match c3_merge(bases) {
        Ok(rest) => {
            let mut v = Vec::with_capacity(rest.len() + 1);
            v.push(ty);
            v.extend(rest);
            Ok(v)
        }
        Err(heads) => {
            let names: Vec<&str> = heads.iter().map(|&t| short_name(t)).collect();
            Err(errors::type_error(
                ts,
                &format!("Cannot create a consistent method resolution order (MRO) for bases {}", names.join(", ")),
            ))
        }
    }
}

/// The MRO of a static type from its bases, for start-up (no exception to raise: the
/// builtin hierarchy is consistent, and a failure leaves `tp_mro` unset).
pub fn compute_static(ty: *mut PyTypeObject, bases: &[*mut PyTypeObject]) -> Option<Vec<*mut PyTypeObject>> {
    let rest = c3_merge(bases).ok()?;
    let mut v = vec![ty];
    v.extend(rest);
    Some(v)
}

/// Whether instances of `a` carry more than those of its base `b`. A heap type's
/// instance dict and weak-reference list words at the end of its layout do not count
/// (CPython keeps them outside the object; isle places them last), so two classes that
/// add only those can be combined.
fn shape_differs(a: *mut PyTypeObject, b: *mut PyTypeObject) -> bool {
    // SAFETY: both are live types.
    unsafe {
        let (a, b) = (&*a, &*b);
        if a.tp_itemsize != 0 || b.tp_itemsize != 0 {
            return a.tp_basicsize != b.tp_basicsize || a.tp_itemsize != b.tp_itemsize;
        }
        let word = core::mem::size_of::<*mut PyObject>() as Py_ssize_t;
        let heap = a.tp_flags & Py_TPFLAGS_HEAPTYPE != 0;
        let mut size = a.tp_basicsize;
        if heap && a.tp_weaklistoffset > 0 && b.tp_weaklistoffset == 0 && a.tp_weaklistoffset + word == size {
            size -= word;
        }
        if heap && a.tp_dictoffset > 0 && b.tp_dictoffset == 0 && a.tp_dictoffset + word == size {
            size -= word;
        }
        size != b.tp_basicsize
    }
}

/// The nearest type on `ty`'s base chain (itself included) that adds to the instance
/// layout of the one below it.
fn solid_base(ty: *mut PyTypeObject) -> *mut PyTypeObject {
    // SAFETY: `ty` is a live type.
    let parent = unsafe { (*ty).tp_base };
    let below = if parent.is_null() { base_object_type() } else { solid_base(parent) };
    if shape_differs(ty, below) {
        ty
    } else {
        below
    }
}

/// Why no layout base could be chosen.
#[derive(Debug, PartialEq)]
pub enum BaseError {
    NotABaseType(*mut PyTypeObject),
    LayoutConflict,
}

/// The base whose layout a type with `bases` extends (its `tp_base`): the one on the
/// path to the most derived solid base, the first such when several are.
pub fn pick_base(bases: &[*mut PyTypeObject]) -> Result<*mut PyTypeObject, BaseError> {
    let mut base: *mut PyTypeObject = core::ptr::null_mut();
    let mut winner: *mut PyTypeObject = core::ptr::null_mut();
    for &b in bases {
        if !object::has_flag(b, Py_TPFLAGS_BASETYPE) {
            return Err(BaseError::NotABaseType(b));
        }
        let candidate = solid_base(b);
        if winner.is_null() || (!object::is_subtype(winner, candidate) && object::is_subtype(candidate, winner)) {
            winner = candidate;
            base = b;
        } else if !object::is_subtype(winner, candidate) {
            return Err(BaseError::LayoutConflict);
        }
    }
    Ok(if base.is_null() { base_object_type() } else { base })
}

/// `pick_base`, raising `TypeError` with CPython's messages.
pub fn best_base(ts: Ts, bases: &[*mut PyTypeObject]) -> PyResult<*mut PyTypeObject> {
    pick_base(bases).map_err(|e| match e {
        BaseError::NotABaseType(b) => {
            errors::type_error(ts, &format!("type '{}' is not an acceptable base type", type_name(b)))
        }
        BaseError::LayoutConflict => errors::type_error(ts, "multiple bases have instance lay-out conflict"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A leaked static-like type named `name` on `base` with the given instance size.
    fn ty(name: &'static core::ffi::CStr, base: *mut PyTypeObject, size: usize) -> *mut PyTypeObject {
        let mut t = PyTypeObject::blank(name, size, 0);
        t.tp_flags |= Py_TPFLAGS_BASETYPE;
        t.tp_base = base;
        Box::into_raw(Box::new(t))
    }

    fn obj() -> *mut PyTypeObject {
        base_object_type()
    }

    #[test]
    fn c3_orders_a_diamond_and_keeps_local_precedence() {
        let a = ty(c"A", obj(), 16);
        let b = ty(c"B", a, 16);
        let c = ty(c"C", a, 16);
        assert_eq!(c3_merge(&[b, c]), Ok(vec![b, c, a, obj()]));
        assert_eq!(c3_merge(&[c, b]), Ok(vec![c, b, a, obj()]));
    }

    #[test]
    fn c3_refuses_a_base_before_its_subclass() {
        let a = ty(c"A", obj(), 16);
        let b = ty(c"B", a, 16);
        // class C(A, B): A must precede B (local order) and follow it (B's MRO).
        assert_eq!(c3_merge(&[a, b]), Err(vec![a, b]));
    }

    #[test]
    fn bases_adding_to_different_layouts_conflict() {
        let wide = ty(c"Wide", obj(), 32);
        let other = ty(c"Other", obj(), 24);
        let plain = ty(c"Plain", obj(), 16);
        let wider = ty(c"Wider", wide, 40);
        assert_eq!(pick_base(&[wide, other]), Err(BaseError::LayoutConflict));
        // A base that adds nothing defers to one that does, wherever it is listed.
        assert_eq!(pick_base(&[plain, wide]), Ok(wide));
        assert_eq!(pick_base(&[wide, plain]), Ok(wide));
        // The more derived layout wins.
        assert_eq!(pick_base(&[wide, wider]), Ok(wider));
        assert_eq!(pick_base(&[wider, wide]), Ok(wider));
    }

    #[test]
    fn a_type_without_basetype_is_refused() {
        let sealed = ty(c"Sealed", obj(), 16);
        unsafe { (*sealed).tp_flags &= !Py_TPFLAGS_BASETYPE };
        assert_eq!(pick_base(&[sealed]), Err(BaseError::NotABaseType(sealed)));
    }
}
