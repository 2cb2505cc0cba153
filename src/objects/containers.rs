//! Helpers shared by `tuple`, `list` and `dict`: guards against runaway recursion
//! (self-containing reprs, deep nesting), text assembly for reprs, slice clamping,
//! lexicographic comparison, and collecting the items of any iterable.

use super::exceptions::{self, Exc};
use super::object::{decref, incref};
use super::{bool_, unicode};
use crate::abi::*;
use crate::protocols::object as proto;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ffi::c_int;

/// How deeply container operations (repr, comparison, hash) may nest before raising
/// `RecursionError` instead of exhausting the C stack.
const MAX_NESTING: i32 = 2000;

/// One level of nesting, given back when dropped.
pub struct NestingGuard(Ts);

/// Enters one level of nesting, or raises `RecursionError` past `MAX_NESTING`.
#[inline]
pub fn enter_nested(ts: Ts, what: &str) -> PyResult<NestingGuard> {
    let depth = ts.recursion_depth();
    if depth >= MAX_NESTING {
        return Err(too_deep(ts, what));
    }
    ts.set_recursion_depth(depth + 1);
    Ok(NestingGuard(ts))
}

#[cold]
fn too_deep(ts: Ts, what: &str) -> Raised {
    let message = format!("maximum recursion depth exceeded {what}");
    errors::set_string(ts, exceptions::exc(Exc::RecursionError), &message)
}

impl Drop for NestingGuard {
    #[inline]
    fn drop(&mut self) {
        self.0.set_recursion_depth(self.0.recursion_depth() - 1);
    }
}

/// Past this many container deallocations inside one another, the release of a
/// container's contents is put off until the outermost one finishes.
const MAX_DEALLOC_DEPTH: u32 = 100;

/// Runs `release` (the body of a container's `tp_dealloc`) on `o`. Releasing a
/// container releases its items, which may be containers too: a long chain would
/// recurse once per link and exhaust the C stack. Past `MAX_DEALLOC_DEPTH` the work is
/// queued instead, and the outermost deallocation drains the queue.
pub fn dealloc_nested(o: *mut PyObject, release: unsafe fn(*mut PyObject)) {
    let Some(ts) = Ts::current() else {
        unsafe { release(o) };
        return;
    };
    let depth = ts.dealloc_depth();
    if depth >= MAX_DEALLOC_DEPTH {
        ts.defer_dealloc(o, release);
        return;
    }
    ts.set_dealloc_depth(depth + 1);
    unsafe { release(o) };
    if depth == 0 {
        while let Some((p, f)) = ts.next_deferred_dealloc() {
            unsafe { f(p) };
        }
    }
    ts.set_dealloc_depth(depth);
}

/// Marks `o` as being repr'd on this thread (`Py_ReprEnter`): false when it already
/// was, further out, and its repr should print as `...`.
pub fn repr_mark(ts: Ts, o: *mut PyObject) -> bool {
    ts.repr_enter(o)
}

/// Ends what `repr_mark` started (`Py_ReprLeave`).
pub fn repr_unmark(ts: Ts, o: *mut PyObject) {
    ts.repr_leave(o)
}

/// Keeps a container marked as being repr'd until dropped.
pub struct ReprGuard {
    ts: Ts,
    o: *mut PyObject,
}

/// Starts the repr of `o`: `None` when `o` is already being repr'd further out (the
/// caller then prints its `...` form).
pub fn repr_enter(ts: Ts, o: *mut PyObject) -> Option<ReprGuard> {
    // Built only on success: dropping a guard unmarks.
    repr_mark(ts, o).then(|| ReprGuard { ts, o })
}

impl Drop for ReprGuard {
    fn drop(&mut self) {
        repr_unmark(self.ts, self.o);
    }
}

/// Code points gathered for a new str; exact for any text, surrogates included.
pub struct Text {
    chars: Vec<u32>,
    max: u32,
}

impl Text {
    pub fn new() -> Self {
        Text { chars: Vec::new(), max: 0 }
    }

    pub fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            self.push_char(c as u32);
        }
    }

    fn push_char(&mut self, c: u32) {
        self.max = self.max.max(c);
        self.chars.push(c);
    }

    /// Appends the text of str object `s`.
    pub fn push_unicode(&mut self, s: *mut PyObject) {
        self.chars.reserve(unicode::len(s) as usize);
        for c in unicode::chars(s) {
            self.push_char(c);
        }
    }

    /// Appends `repr(o)`.
    pub fn push_repr(&mut self, ts: Ts, o: *mut PyObject) -> PyResult<()> {
        let r = proto::repr(ts, o)?;
        self.push_unicode(r);
        unsafe { decref(r) };
        Ok(())
    }

    pub fn finish(self, ts: Ts) -> PyResult<*mut PyObject> {
        unicode::from_chars(ts, self.chars.len(), self.max, self.chars.into_iter())
    }
}

impl Default for Text {
    fn default() -> Self {
        Self::new()
    }
}

/// `[low, high)` clamped into `0..=len` the way the C slicing functions clamp it:
/// negative bounds count as 0 (they are not taken from the end), `high` below `low`
/// makes an empty range.
pub fn clamp_range(len: isize, low: isize, high: isize) -> (usize, usize) {
    let low = low.clamp(0, len);
    let high = high.clamp(low, len);
    (low as usize, high as usize)
}

/// `a op b` on two counts.
pub fn compare_counts(a: isize, b: isize, op: c_int) -> bool {
    match op {
        Py_LT => a < b,
        Py_LE => a <= b,
        Py_EQ => a == b,
        Py_NE => a != b,
        Py_GT => a > b,
        _ => a >= b,
    }
}

/// Lexicographic `v op w` for two sequences read through `len` and `item`; the lengths
/// are read again at every step because comparing items may run code that shrinks a
/// list.
pub fn compare_sequences(
    ts: Ts,
    v: *mut PyObject,
    w: *mut PyObject,
    op: c_int,
    len: fn(*mut PyObject) -> isize,
    item: fn(*mut PyObject, isize) -> *mut PyObject,
) -> PyResult<*mut PyObject> {
    if len(v) != len(w) && (op == Py_EQ || op == Py_NE) {
        return Ok(bool_::from_bool(op == Py_NE));
    }
    let _nested = enter_nested(ts, "in comparison")?;
    let mut i = 0;
    while i < len(v) && i < len(w) {
        let (a, b) = held_pair(item(v, i), item(w, i));
        let same = proto::richcompare_bool(ts, a, b, Py_EQ);
        release_pair(a, b);
        if !same? {
            break;
        }
        i += 1;
    }
    if i >= len(v) || i >= len(w) {
        return Ok(bool_::from_bool(compare_counts(len(v), len(w), op)));
    }
    match op {
        Py_EQ => Ok(bool_::from_bool(false)),
        Py_NE => Ok(bool_::from_bool(true)),
        _ => {
            let (a, b) = held_pair(item(v, i), item(w, i));
            let r = proto::richcompare(ts, a, b, op);
            release_pair(a, b);
            r
        }
    }
}

fn held_pair(a: *mut PyObject, b: *mut PyObject) -> (*mut PyObject, *mut PyObject) {
    unsafe {
        incref(a);
        incref(b);
    }
    (a, b)
}

fn release_pair(a: *mut PyObject, b: *mut PyObject) {
    unsafe {
        decref(a);
        decref(b);
    }
}

/// Owned references, released together when dropped.
pub struct OwnedRefs(pub Vec<*mut PyObject>);

impl OwnedRefs {
    /// New references to every object of `items`.
    pub fn of(items: &[*mut PyObject]) -> Self {
        for &o in items {
            unsafe { incref(o) };
        }
        OwnedRefs(items.to_vec())
    }

    /// Hands the references over to the caller.
    pub fn into_vec(mut self) -> Vec<*mut PyObject> {
        core::mem::take(&mut self.0)
    }
}

impl Drop for OwnedRefs {
    fn drop(&mut self) {
        for &o in &self.0 {
            unsafe { decref(o) };
        }
    }
}

/// Whether `collect_iterable` can read `o`.
pub fn is_iterable(o: *mut PyObject) -> bool {
    crate::protocols::iter::is_iterable(o)
}

/// The items of any iterable, as new references (`list(o)` without the list).
pub fn collect_iterable(ts: Ts, o: *mut PyObject) -> PyResult<OwnedRefs> {
    crate::protocols::iter::collect(ts, o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamping_follows_the_c_slicing_rules() {
        assert_eq!(clamp_range(5, 1, 3), (1, 3));
        assert_eq!(clamp_range(5, -2, 3), (0, 3));
        assert_eq!(clamp_range(5, 2, 99), (2, 5));
        assert_eq!(clamp_range(5, 4, 1), (4, 4));
        assert_eq!(clamp_range(5, 7, 9), (5, 5));
        assert_eq!(clamp_range(0, -1, 1), (0, 0));
        assert_eq!(clamp_range(3, isize::MIN, isize::MAX), (0, 3));
    }

    #[test]
    fn count_comparisons() {
        assert!(compare_counts(1, 2, Py_LT));
        assert!(compare_counts(2, 2, Py_LE));
        assert!(!compare_counts(2, 2, Py_NE));
        assert!(compare_counts(3, 2, Py_GE));
    }
}
