//! `range`: arithmetic progressions of ints, of any size. The bounds and length are
//! int objects as in CPython; arithmetic on them goes through big integers, and
//! iteration uses machine words when everything fits in an i64.

use super::object::{self, decref, new_ref, type_of, xdecref};
use super::slice::{self, Subscript};
use super::{bool_, long, singletons, tuple, unicode};
use crate::abi::*;
use crate::protocols::{number, object as proto, sequence};
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ffi::c_int;
use core::ptr::null_mut;
use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};

/// A range's start, stop, step and length, each an exact int.
#[repr(C)]
struct RangeObject {
    ob_base: PyObject,
    start: *mut PyObject,
    stop: *mut PyObject,
    step: *mut PyObject,
    length: *mut PyObject,
}

static mut RANGE_AS_NUMBER: PyNumberMethods = PyNumberMethods { nb_bool: Some(range_bool), ..PyNumberMethods::EMPTY };

static mut RANGE_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(range_length),
    sq_item: Some(range_item),
    sq_contains: Some(range_contains),
    ..PySequenceMethods::EMPTY
};

static mut RANGE_AS_MAPPING: PyMappingMethods =
    PyMappingMethods { mp_length: Some(range_length), mp_subscript: Some(range_subscript), mp_ass_subscript: None };

#[no_mangle]
pub static mut PyRange_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(range_dealloc),
    tp_repr: Some(range_repr),
    tp_as_number: &raw mut RANGE_AS_NUMBER,
    tp_as_sequence: &raw mut RANGE_AS_SEQUENCE,
    tp_as_mapping: &raw mut RANGE_AS_MAPPING,
    tp_hash: Some(range_hash),
    tp_richcompare: Some(range_richcompare),
    tp_iter: Some(range_iter),
    tp_methods: (&raw mut super::range_methods::RANGE_METHODS).cast(),
    tp_getset: (&raw mut super::range_methods::RANGE_GETSET).cast(),
    tp_new: Some(range_new),
    tp_flags: Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_SEQUENCE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"range", core::mem::size_of::<RangeObject>(), 0)
};

/// Iterates with machine words: next value, step, and how many are left.
#[repr(C)]
struct RangeIterObject {
    ob_base: PyObject,
    next: i64,
    step: i64,
    remaining: i64,
}

/// Iterates past the i64 range: start, step and length as ints, and the position.
#[repr(C)]
struct LongRangeIterObject {
    ob_base: PyObject,
    start: *mut PyObject,
    step: *mut PyObject,
    length: *mut PyObject,
    index: u64,
}

#[no_mangle]
pub static mut PyRangeIter_Type: PyTypeObject = PyTypeObject {
    tp_iter: Some(super::iterobject::self_iter),
    tp_iternext: Some(range_iter_next),
    tp_dealloc: Some(plain_dealloc),
    tp_flags: Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"range_iterator", core::mem::size_of::<RangeIterObject>(), 0)
};

#[no_mangle]
pub static mut PyLongRangeIter_Type: PyTypeObject = PyTypeObject {
    tp_iter: Some(super::iterobject::self_iter),
    tp_iternext: Some(long_range_iter_next),
    tp_dealloc: Some(long_range_iter_dealloc),
    tp_flags: Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"longrange_iterator", core::mem::size_of::<LongRangeIterObject>(), 0)
};

pub fn static_types() -> [*mut PyTypeObject; 3] {
    [range_type(), &raw mut PyRangeIter_Type, &raw mut PyLongRangeIter_Type]
}

#[inline]
pub fn range_type() -> *mut PyTypeObject {
    &raw mut PyRange_Type
}

pub fn check(o: *mut PyObject) -> bool {
    type_of(o) == range_type()
}

fn r(o: *mut PyObject) -> *mut RangeObject {
    o as *mut RangeObject
}

/// The value of an int object as a big integer.
fn big(o: *mut PyObject) -> BigInt {
    // SAFETY: callers pass ints.
    unsafe { long::Int::of(o) }.into_big()
}

/// (start, stop, step, length) of a range.
fn parts(o: *mut PyObject) -> [*mut PyObject; 4] {
    // SAFETY: callers pass ranges; plain field reads.
    unsafe { [(*r(o)).start, (*r(o)).stop, (*r(o)).step, (*r(o)).length] }
}

/// How many values `range(start, stop, step)` has.
fn length_of(start: &BigInt, stop: &BigInt, step: &BigInt) -> BigInt {
    let (lo, hi, step) = if step.is_positive() { (start, stop, step.clone()) } else { (stop, start, -step) };
    if lo >= hi {
        return BigInt::zero();
    }
    (hi - lo - 1u32) / step + 1u32
}

/// `range(start, stop, step)` from exact ints (references taken); `ValueError` for a
/// zero step.
pub fn new(ts: Ts, start: *mut PyObject, stop: *mut PyObject, step: *mut PyObject) -> PyResult<*mut PyObject> {
    let (a, b, s) = (big(start), big(stop), big(step));
    if s.is_zero() {
        return Err(errors::value_error(ts, "range() arg 3 must not be zero"));
    }
    let length = long::from_bigint(ts, &length_of(&a, &b, &s))?;
    let o = match object::alloc_fixed::<RangeObject>(ts, range_type()) {
        Ok(o) => o,
        Err(e) => {
            unsafe { decref(length) };
            return Err(e);
        }
    };
    // SAFETY: a fresh range; it holds a reference to each part.
    unsafe {
        (*o).start = new_ref(start);
        (*o).stop = new_ref(stop);
        (*o).step = new_ref(step);
        (*o).length = length;
    }
    Ok(o as *mut PyObject)
}

/// `range(...)` called with 1 to 3 arguments, each converted with `__index__`.
fn from_args(ts: Ts, args: *mut PyObject, kwds: *mut PyObject) -> PyResult<*mut PyObject> {
    if !kwds.is_null() && super::dict::check(kwds) && super::dict::len(kwds) > 0 {
        return Err(errors::type_error(ts, "range() takes no keyword arguments"));
    }
    let given = tuple::items(args);
    match given.len() {
        0 => return Err(errors::type_error(ts, "range expected at least 1 argument, got 0")),
        n if n > 3 => return Err(errors::type_error(ts, &format!("range expected at most 3 arguments, got {n}"))),
        _ => {}
    }
    let mut ints = super::containers::OwnedRefs(Vec::new());
    for &a in given {
        ints.0.push(number::index(ts, a)?);
    }
    let zero = long::from_i64(ts, 0)?;
    let one = long::from_i64(ts, 1)?;
    let [start, stop, step] = match ints.0[..] {
        [stop] => [zero, stop, one],
        [start, stop] => [start, stop, one],
        [start, stop, step] => [start, stop, step],
        _ => unreachable!("1 to 3 arguments"),
    };
    let result = new(ts, start, stop, step);
    unsafe {
        decref(zero);
        decref(one);
    }
    result
}

/// `len(r)`: `OverflowError` past `Py_ssize_t`.
pub fn len(ts: Ts, o: *mut PyObject) -> PyResult<isize> {
    long::as_ssize(ts, parts(o)[3])
}

/// Value `i` (0 <= i < length) as a new int.
fn value_at(ts: Ts, o: *mut PyObject, i: &BigInt) -> PyResult<*mut PyObject> {
    let [start, _, step, _] = parts(o);
    long::from_bigint(ts, &(big(start) + big(step) * i))
}

/// `r[i]` for a machine-sized index (`sq_item`).
pub fn item(ts: Ts, o: *mut PyObject, i: isize) -> PyResult<*mut PyObject> {
    if i < 0 || BigInt::from(i) >= big(parts(o)[3]) {
        return Err(errors::index_error(ts, "range object index out of range"));
    }
    value_at(ts, o, &BigInt::from(i))
}

/// `r[key]`: a value, or a range for a slice (its bounds the slice's clamped ones,
/// scaled: `range(10)[0:7:3]` is `range(0, 7, 3)`).
pub fn subscript(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<*mut PyObject> {
    let length = len(ts, o)?;
    if !slice::check(key) {
        return match slice::subscript_key(ts, key, length, "range indices must be integers or slices, not {}")? {
            Subscript::Index(i) => item(ts, o, i),
            Subscript::Slice { .. } => unreachable!("not a slice"),
        };
    }
    let (mut lo, mut hi, step) = slice::unpack(ts, key)?;
    slice::adjust_indices(length, &mut lo, &mut hi, step);
    let [r_start, _, r_step, _] = parts(o);
    let (b_start, b_step) = (big(r_start), big(r_step));
    let mut made = super::containers::OwnedRefs(Vec::with_capacity(3));
    for v in [&b_start + &b_step * lo, &b_start + &b_step * hi, &b_step * step] {
        made.0.push(long::from_bigint(ts, &v)?);
    }
    new(ts, made.0[0], made.0[1], made.0[2])
}

/// `x in r`: arithmetic for ints, a search for anything else.
pub fn contains(ts: Ts, o: *mut PyObject, x: *mut PyObject) -> PyResult<bool> {
    if !(long::check_exact(x) || bool_::check(x)) {
        return Ok(sequence::search(ts, o, x, sequence::Search::Contains)? > 0);
    }
    let [start, stop, step, _] = parts(o);
    let (a, b, s, v) = (big(start), big(stop), big(step), big(x));
    let within = if s.is_positive() { a <= v && v < b } else { b < v && v <= a };
    Ok(within && ((v - a) % s).is_zero())
}

/// `r.count(x)`: 0 or 1 for an int, a search for anything else.
pub fn count(ts: Ts, o: *mut PyObject, x: *mut PyObject) -> PyResult<*mut PyObject> {
    if long::check_exact(x) || bool_::check(x) {
        return long::from_i64(ts, contains(ts, o, x)? as i64);
    }
    let n = sequence::search(ts, o, x, sequence::Search::Count)?;
    long::from_i64(ts, n as i64)
}

/// `r.index(x)`: arithmetic for an int (`ValueError: x is not in range`), a search
/// for anything else.
pub fn index(ts: Ts, o: *mut PyObject, x: *mut PyObject) -> PyResult<*mut PyObject> {
    if !(long::check_exact(x) || bool_::check(x)) {
        let i = sequence::search(ts, o, x, sequence::Search::Index)?;
        return long::from_i64(ts, i as i64);
    }
    if !contains(ts, o, x)? {
        let shown = proto::repr(ts, x)?;
        let text = unicode::to_string_lossy(shown);
        unsafe { decref(shown) };
        return Err(errors::value_error(ts, &format!("{text} is not in range")));
    }
    let [start, _, step, _] = parts(o);
    long::from_bigint(ts, &((big(x) - big(start)) / big(step)))
}

/// Which of a range's bounds.
pub enum Bound {
    Start,
    Stop,
    Step,
}

/// `r.start`, `r.stop`, `r.step` (new references).
pub fn bound(o: *mut PyObject, which: Bound) -> *mut PyObject {
    let [start, stop, step, _] = parts(o);
    let v = match which {
        Bound::Start => start,
        Bound::Stop => stop,
        Bound::Step => step,
    };
    // SAFETY: the range holds its bounds.
    unsafe { new_ref(v) }
}

/// Ranges are equal when they hold the same values.
pub fn equal(o: *mut PyObject, p: *mut PyObject) -> bool {
    if o == p {
        return true;
    }
    let ([a0, _, s0, n0], [a1, _, s1, n1]) = (parts(o), parts(p));
    let n = big(n0);
    if n != big(n1) {
        return false;
    }
    n.is_zero() || (big(a0) == big(a1) && (n == BigInt::from(1) || big(s0) == big(s1)))
}

/// The hash of `(len, start, step)`, with None for what does not matter: both when
/// empty, the step when there is one value.
pub fn hash(ts: Ts, o: *mut PyObject) -> PyResult<Py_hash_t> {
    let [start, _, step, length] = parts(o);
    let n = big(length);
    let none = singletons::none();
    let key = if n.is_zero() {
        [length, none, none]
    } else if n == BigInt::from(1) {
        [length, start, none]
    } else {
        [length, start, step]
    };
    let t = tuple::pack(ts, &key)?;
    let h = proto::hash(ts, t);
    unsafe { decref(t) };
    h
}

/// `range(0, 3)` or `range(0, 9, 2)`.
pub fn repr(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let [start, stop, step, _] = parts(o);
    let text = if big(step) == BigInt::from(1) {
        format!("range({}, {})", big(start), big(stop))
    } else {
        format!("range({}, {}, {})", big(start), big(stop), big(step))
    };
    unicode::from_str(ts, &text)
}

/// `iter(r)`: machine words when the whole progression fits in an i64.
pub fn iter(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let [start, stop, step, length] = parts(o);
    let small = (big(start).to_i64(), big(stop).to_i64(), big(step).to_i64(), big(length).to_i64());
    if let (Some(next), Some(_), Some(step), Some(remaining)) = small {
        let it = object::alloc_fixed::<RangeIterObject>(ts, &raw mut PyRangeIter_Type)?;
        // SAFETY: a fresh iterator.
        unsafe {
            (*it).next = next;
            (*it).step = step;
            (*it).remaining = remaining;
        }
        return Ok(it as *mut PyObject);
    }
    let it = object::alloc_fixed::<LongRangeIterObject>(ts, &raw mut PyLongRangeIter_Type)?;
    // SAFETY: a fresh iterator; it holds references to the parts it reads.
    unsafe {
        (*it).start = new_ref(start);
        (*it).step = new_ref(step);
        (*it).length = new_ref(length);
    }
    Ok(it as *mut PyObject)
}

fn range_iter_step(ts: Ts, it: *mut PyObject) -> PyResult<*mut PyObject> {
    let f = it as *mut RangeIterObject;
    // SAFETY: a range iterator; plain field reads and writes.
    unsafe {
        if (*f).remaining <= 0 {
            return Ok(null_mut());
        }
        let v = (*f).next;
        (*f).remaining -= 1;
        // The value after the last may not fit; it is never read.
        (*f).next = v.wrapping_add((*f).step);
        long::from_i64(ts, v)
    }
}

fn long_range_iter_step(ts: Ts, it: *mut PyObject) -> PyResult<*mut PyObject> {
    let f = it as *mut LongRangeIterObject;
    // SAFETY: a long range iterator; plain field reads and writes.
    unsafe {
        let i = BigInt::from((*f).index);
        if i >= big((*f).length) {
            return Ok(null_mut());
        }
        (*f).index += 1;
        long::from_bigint(ts, &(big((*f).start) + big((*f).step) * i))
    }
}

/// What a range iterator has left, for `PyObject_LengthHint`; None for other objects.
pub fn iter_remaining(it: *mut PyObject) -> Option<Py_ssize_t> {
    if type_of(it) == &raw mut PyRangeIter_Type {
        // SAFETY: a range iterator; a field read.
        return Some(unsafe { (*(it as *mut RangeIterObject)).remaining }.max(0) as isize);
    }
    if type_of(it) == &raw mut PyLongRangeIter_Type {
        let f = it as *mut LongRangeIterObject;
        // SAFETY: a long range iterator; field reads.
        let left = unsafe { big((*f).length) - BigInt::from((*f).index) };
        return Some(left.to_isize().unwrap_or(isize::MAX).max(0));
    }
    None
}

unsafe extern "C" fn range_new(_: *mut PyTypeObject, args: *mut PyObject, kwds: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| from_args(ts, args, kwds))
}

unsafe extern "C" fn range_dealloc(o: *mut PyObject) {
    boundary::guard(|| unsafe {
        for p in parts(o) {
            xdecref(p);
        }
        object::free_object(o);
    })
}

unsafe extern "C" fn range_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| repr(ts, o))
}

unsafe extern "C" fn range_bool(o: *mut PyObject) -> c_int {
    boundary::guard(|| (!big(parts(o)[3]).is_zero()) as c_int)
}

unsafe extern "C" fn range_length(o: *mut PyObject) -> Py_ssize_t {
    boundary::slot(|ts| len(ts, o))
}

unsafe extern "C" fn range_item(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| item(ts, o, i))
}

unsafe extern "C" fn range_subscript(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| subscript(ts, o, key))
}

unsafe extern "C" fn range_contains(o: *mut PyObject, x: *mut PyObject) -> c_int {
    boundary::slot(|ts| contains(ts, o, x))
}

unsafe extern "C" fn range_hash(o: *mut PyObject) -> Py_hash_t {
    boundary::with_thread_state(|ts| hash(ts, o).unwrap_or(-1))
}

/// Only `==` and `!=` are defined between ranges.
unsafe extern "C" fn range_richcompare(v: *mut PyObject, w: *mut PyObject, op: c_int) -> *mut PyObject {
    boundary::guard(|| {
        if !check(w) || (op != Py_EQ && op != Py_NE) {
            return singletons::not_implemented();
        }
        bool_::from_bool(equal(v, w) == (op == Py_EQ))
    })
}

unsafe extern "C" fn range_iter(o: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| iter(ts, o))
}

unsafe extern "C" fn range_iter_next(it: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| range_iter_step(ts, it))
}

unsafe extern "C" fn long_range_iter_next(it: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| long_range_iter_step(ts, it))
}

unsafe extern "C" fn plain_dealloc(o: *mut PyObject) {
    boundary::guard(|| unsafe { object::free_object(o) })
}

unsafe extern "C" fn long_range_iter_dealloc(it: *mut PyObject) {
    boundary::guard(|| unsafe {
        let f = it as *mut LongRangeIterObject;
        xdecref((*f).start);
        xdecref((*f).step);
        xdecref((*f).length);
        object::free_object(it);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(start: i64, stop: i64, step: i64) -> i64 {
        length_of(&start.into(), &stop.into(), &step.into()).to_i64().unwrap()
    }

    #[test]
    fn lengths() {
        assert_eq!(n(0, 10, 1), 10);
        assert_eq!(n(0, 10, 3), 4);
        assert_eq!(n(10, 0, -3), 4);
        assert_eq!(n(0, 0, 1), 0);
        assert_eq!(n(5, 0, 1), 0);
        assert_eq!(n(0, 5, -1), 0);
        assert_eq!(n(-5, 5, 5), 2);
    }
}
