//! `int`: arbitrary precision integers.
//!
//! Layout: the header, a `tag`, then 64-bit limbs. `tag == 0` means the value fits in
//! an `i64`, stored in `digits[0]`. Otherwise `|tag|` limbs hold the magnitude (least
//! significant first) and the sign of `tag` is the sign of the value; this form is only
//! used for values outside the `i64` range. Values -5..=256 are shared immortal objects.

use super::object;
use crate::abi::*;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;

#[repr(C)]
pub struct LongObject {
    pub ob_base: PyObject,
    pub tag: isize,
    pub digits: [u64; 1],
}

const SMALL_MIN: i64 = -5;
const SMALL_MAX: i64 = 256;
const SMALL_COUNT: usize = (SMALL_MAX - SMALL_MIN + 1) as usize;

impl LongObject {
    pub const fn immortal(ty: *mut PyTypeObject, value: i64) -> Self {
        LongObject { ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: ty }, tag: 0, digits: [value as u64] }
    }
}

static mut SMALL_INTS: [LongObject; SMALL_COUNT] =
    [const { LongObject::immortal(core::ptr::null_mut(), 0) }; SMALL_COUNT];

#[no_mangle]
pub static mut PyLong_Type: PyTypeObject = PyTypeObject {
    tp_flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_LONG_SUBCLASS | Py_TPFLAGS_IMMUTABLETYPE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"int", core::mem::size_of::<LongObject>(), 0)
};

#[inline]
pub fn long_type() -> *mut PyTypeObject {
    &raw mut PyLong_Type
}

/// Fills the immortal small-int table (start-up).
pub fn init_small_ints() {
    for i in 0..SMALL_COUNT {
        // SAFETY: start-up runs before any other thread can read the table.
        unsafe {
            let o = &raw mut SMALL_INTS[i];
            *o = LongObject::immortal(long_type(), SMALL_MIN + i as i64);
        }
    }
}

#[inline]
fn small_int(v: i64) -> *mut PyObject {
    // SAFETY: index is in range; the table is immutable after start-up.
    unsafe { (&raw mut SMALL_INTS[(v - SMALL_MIN) as usize]) as *mut PyObject }
}

/// A new `int` for `v`.
#[inline]
pub fn from_i64(ts: Ts, v: i64) -> PyResult<*mut PyObject> {
    if (SMALL_MIN..=SMALL_MAX).contains(&v) {
        return Ok(small_int(v));
    }
    let o = object::alloc_object(ts, long_type(), 0)? as *mut LongObject;
    // SAFETY: fresh int object.
    unsafe { (*o).digits[0] = v as u64 };
    Ok(o as *mut PyObject)
}

/// The value of an `int` that fits in an `i64`; None for larger magnitudes.
///
/// # Safety
/// `o` is a live int (or subclass) object.
#[inline]
pub unsafe fn small_value(o: *mut PyObject) -> Option<i64> {
    let l = o as *mut LongObject;
    unsafe {
        if (*l).tag == 0 {
            Some((*l).digits[0] as i64)
        } else {
            None
        }
    }
}

pub fn check(o: *mut PyObject) -> bool {
    object::has_flag(object::type_of(o), Py_TPFLAGS_LONG_SUBCLASS)
}

pub fn overflow(ts: Ts, ctype: &str) -> errors::Raised {
    errors::overflow_error(ts, &format!("Python int too large to convert to C {ctype}"))
}
