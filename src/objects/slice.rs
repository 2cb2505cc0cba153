//! `slice`: `start:stop:step` triples, and turning them into indices of a sequence.

use super::object::{self, decref, new_ref, type_of, xdecref};
use super::{bool_, long, singletons, tuple};
use crate::abi::*;
use crate::protocols::{number, object as proto};
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ffi::c_int;

#[no_mangle]
pub static mut PySlice_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(slice_dealloc),
    tp_repr: Some(slice_repr),
    tp_hash: Some(slice_hash),
    tp_richcompare: Some(slice_richcompare),
    tp_new: Some(slice_new),
    tp_flags: Py_TPFLAGS_IMMUTABLETYPE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"slice", core::mem::size_of::<PySliceObject>(), 0)
};

#[inline]
pub fn slice_type() -> *mut PyTypeObject {
    &raw mut PySlice_Type
}

pub fn check(o: *mut PyObject) -> bool {
    type_of(o) == slice_type()
}

fn fields(o: *mut PyObject) -> (*mut PyObject, *mut PyObject, *mut PyObject) {
    let s = o as *mut PySliceObject;
    // SAFETY: callers pass slices; plain field reads.
    unsafe { ((*s).start, (*s).stop, (*s).step) }
}

/// `slice(start, stop, step)`; a null part is None.
pub fn new(ts: Ts, start: *mut PyObject, stop: *mut PyObject, step: *mut PyObject) -> PyResult<*mut PyObject> {
    let or_none = |p: *mut PyObject| if p.is_null() { singletons::none() } else { p };
    let (start, stop, step) = (or_none(start), or_none(stop), or_none(step));
    for p in [start, stop, step] {
        object::refuse_foreign(ts, p)?;
    }
    let s = object::alloc_fixed::<PySliceObject>(ts, slice_type())?;
    // SAFETY: a fresh slice; it takes a reference to each part.
    unsafe {
        (*s).start = new_ref(start);
        (*s).stop = new_ref(stop);
        (*s).step = new_ref(step);
    }
    Ok(s as *mut PyObject)
}

/// A slice index: None stays None; anything with `__index__` is clamped into the
/// `Py_ssize_t` range.
fn slice_index(ts: Ts, v: *mut PyObject) -> PyResult<Option<isize>> {
    if v == singletons::none() {
        return Ok(None);
    }
    if !number::index_check(v) {
        return Err(errors::type_error(ts, "slice indices must be integers or None or have an __index__ method"));
    }
    number::as_ssize_t(ts, v, None).map(Some)
}

/// `PySlice_Unpack`: start, stop and step with None replaced by the ends (for the
/// step's direction) and the step never 0 nor below `-PY_SSIZE_T_MAX`.
pub fn unpack(ts: Ts, o: *mut PyObject) -> PyResult<(isize, isize, isize)> {
    let (start, stop, step) = fields(o);
    let step = match slice_index(ts, step)? {
        None => 1,
        Some(0) => return Err(errors::value_error(ts, "slice step cannot be zero")),
        Some(s) => s.max(-isize::MAX),
    };
    let start = slice_index(ts, start)?.unwrap_or(if step < 0 { isize::MAX } else { 0 });
    let stop = slice_index(ts, stop)?.unwrap_or(if step < 0 { isize::MIN } else { isize::MAX });
    Ok((start, stop, step))
}

/// `PySlice_AdjustIndices`: clamps unpacked bounds to a sequence of `length` items
/// (negative ones counting from the end) and returns how many items they select.
pub fn adjust_indices(length: isize, start: &mut isize, stop: &mut isize, step: isize) -> isize {
    let clamp = |i: &mut isize| {
        if *i < 0 {
            *i = i.saturating_add(length);
            if *i < 0 {
                *i = if step < 0 { -1 } else { 0 };
            }
        } else if *i >= length {
            *i = if step < 0 { length - 1 } else { length };
        }
    };
    clamp(start);
    clamp(stop);
    if step < 0 {
        if *stop < *start {
            return (*start - *stop - 1) / (-step) + 1;
        }
    } else if *start < *stop {
        return (*stop - *start - 1) / step + 1;
    }
    0
}

/// The selection of a slice over `length` items: first index, step and count.
pub fn indices(ts: Ts, o: *mut PyObject, length: isize) -> PyResult<(isize, isize, isize)> {
    let (mut start, mut stop, step) = unpack(ts, o)?;
    let n = adjust_indices(length, &mut start, &mut stop, step);
    Ok((start, step, n))
}

/// `PySlice_GetIndices`, the old form: int parts only, None for the ends, and
/// failure (-1, with no exception for out-of-range bounds) rather than clamping.
pub fn get_indices_strict(ts: Ts, o: *mut PyObject, length: isize) -> PyResult<Option<(isize, isize, isize)>> {
    let (start, stop, step) = fields(o);
    let int_part = |v: *mut PyObject| -> PyResult<Option<isize>> {
        if !long::check(v) {
            return Ok(None);
        }
        long::as_ssize(ts, v).map(Some)
    };
    let step = if step == singletons::none() {
        1
    } else {
        match int_part(step)? {
            Some(s) => s,
            None => return Ok(None),
        }
    };
    let bound = |v: *mut PyObject, default: isize| -> PyResult<Option<isize>> {
        if v == singletons::none() {
            return Ok(Some(default));
        }
        Ok(int_part(v)?.map(|i| if i < 0 { i + length } else { i }))
    };
    let Some(start) = bound(start, if step < 0 { length - 1 } else { 0 })? else { return Ok(None) };
    let Some(stop) = bound(stop, if step < 0 { -1 } else { length })? else { return Ok(None) };
    if stop > length || start >= length || step == 0 {
        return Ok(None);
    }
    Ok(Some((start, stop, step)))
}

/// `slice(1, 2, None)`.
pub fn repr(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let (start, stop, step) = fields(o);
    let mut text = super::containers::Text::new();
    text.push_str("slice(");
    for (i, part) in [start, stop, step].into_iter().enumerate() {
        if i > 0 {
            text.push_str(", ");
        }
        text.push_repr(ts, part)?;
    }
    text.push_str(")");
    text.finish(ts)
}

/// The three parts combined as a tuple's items are (without the length).
pub fn hash(ts: Ts, o: *mut PyObject) -> PyResult<Py_hash_t> {
    const PRIME_1: u64 = 0x9E37_79B1_85EB_CA87;
    const PRIME_2: u64 = 0xC2B2_AE3D_27D4_EB4F;
    const PRIME_5: u64 = 0x27D4_EB2F_1656_67C5;
    let (start, stop, step) = fields(o);
    let mut acc = PRIME_5;
    for part in [start, stop, step] {
        let lane = proto::hash(ts, part)? as u64;
        acc = acc.wrapping_add(lane.wrapping_mul(PRIME_2)).rotate_left(31).wrapping_mul(PRIME_1);
    }
    let h = acc as Py_hash_t;
    Ok(if h == -1 { 1_546_275_796 } else { h })
}

/// Slices compare as the tuples of their parts.
pub fn richcompare(ts: Ts, v: *mut PyObject, w: *mut PyObject, op: c_int) -> PyResult<*mut PyObject> {
    if !check(v) || !check(w) {
        return Ok(singletons::not_implemented());
    }
    if v == w {
        return Ok(bool_::from_bool(matches!(op, Py_EQ | Py_LE | Py_GE)));
    }
    let (a, b, c) = fields(v);
    let t1 = tuple::pack(ts, &[a, b, c])?;
    let (a, b, c) = fields(w);
    let r = tuple::pack(ts, &[a, b, c]).and_then(|t2| {
        let r = proto::richcompare(ts, t1, t2, op);
        unsafe { decref(t2) };
        r
    });
    unsafe { decref(t1) };
    r
}

/// `slice(stop)`, `slice(start, stop[, step])`.
fn from_args(ts: Ts, args: *mut PyObject, kwds: *mut PyObject) -> PyResult<*mut PyObject> {
    if !kwds.is_null() && super::dict::check(kwds) && super::dict::len(kwds) > 0 {
        return Err(errors::type_error(ts, "slice() takes no keyword arguments"));
    }
    let null = core::ptr::null_mut();
    match *tuple::items(args) {
        [] => Err(errors::type_error(ts, "slice expected at least 1 argument, got 0")),
        [stop] => new(ts, null, stop, null),
        [start, stop] => new(ts, start, stop, null),
        [start, stop, step] => new(ts, start, stop, step),
        ref more => Err(errors::type_error(ts, &format!("slice expected at most 3 arguments, got {}", more.len()))),
    }
}

unsafe extern "C" fn slice_new(_: *mut PyTypeObject, args: *mut PyObject, kwds: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| from_args(ts, args, kwds))
}

unsafe extern "C" fn slice_dealloc(o: *mut PyObject) {
    boundary::guard(|| {
        let (start, stop, step) = fields(o);
        unsafe {
            xdecref(start);
            xdecref(stop);
            xdecref(step);
            object::free_object(o);
        }
    })
}

unsafe extern "C" fn slice_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| repr(ts, o))
}

unsafe extern "C" fn slice_hash(o: *mut PyObject) -> Py_hash_t {
    boundary::with_thread_state(|ts| hash(ts, o).unwrap_or(-1))
}

unsafe extern "C" fn slice_richcompare(v: *mut PyObject, w: *mut PyObject, op: c_int) -> *mut PyObject {
    boundary::slot(|ts| richcompare(ts, v, w, op))
}

/// What a subscript of a sequence asks for: one index (negative ones already
/// counted from the end, not yet checked against the length) or a slice selection.
pub enum Subscript {
    Index(isize),
    Slice { start: isize, step: isize, count: isize },
}

/// Reads the key of `seq[key]` for a sequence of `length` items. Anything with
/// `__index__` is an index (`IndexError` when it does not fit); a slice a
/// selection; anything else raises `TypeError` with `what` ("list indices must be
/// integers or slices, not str").
pub fn subscript_key(ts: Ts, key: *mut PyObject, length: isize, what: &str) -> PyResult<Subscript> {
    if number::index_check(key) {
        let index_error = super::exceptions::exc(super::exceptions::Exc::IndexError);
        let i = number::as_ssize_t(ts, key, Some(index_error))?;
        return Ok(Subscript::Index(if i < 0 { i + length } else { i }));
    }
    if check(key) {
        let (start, step, count) = indices(ts, key, length)?;
        return Ok(Subscript::Slice { start, step, count });
    }
    let name = super::typeobject::type_name(type_of(key));
    Err(errors::type_error(ts, &what.replace("{}", name)))
}

/// The positions a slice selection visits.
pub fn positions(start: isize, step: isize, count: isize) -> impl Iterator<Item = usize> {
    (0..count.max(0)).map(move |k| (start + k * step) as usize)
}

#[cfg(test)]
mod tests {
    use super::adjust_indices;

    fn adjust(length: isize, mut start: isize, mut stop: isize, step: isize) -> (isize, isize, isize) {
        let n = adjust_indices(length, &mut start, &mut stop, step);
        (start, stop, n)
    }

    #[test]
    fn bounds_are_clamped_for_the_steps_direction() {
        assert_eq!(adjust(10, 0, isize::MAX, 1), (0, 10, 10));
        assert_eq!(adjust(10, isize::MAX, isize::MIN, -1), (9, -1, 10));
        assert_eq!(adjust(10, -3, 100, 2), (7, 10, 2));
        assert_eq!(adjust(10, -30, -20, 1), (0, 0, 0));
        assert_eq!(adjust(10, 5, 2, 1), (5, 2, 0));
        assert_eq!(adjust(10, 8, 1, -3), (8, 1, 3));
        assert_eq!(adjust(0, 0, isize::MAX, 1), (0, 0, 0));
        assert_eq!(adjust(5, isize::MIN, isize::MAX, isize::MAX), (0, 5, 1));
    }
}
