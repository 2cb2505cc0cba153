//! `int`: arbitrary precision integers.
//!
//! Layout: CPython 3.13's (`PyLongObject` in `abi/layouts.rs`), which C code built for
//! CPython reads directly: the header, `lv_tag`, then the magnitude in 30-bit digits
//! stored in `u32`s, least significant first. `lv_tag` is `ndigits << 3 | sign` with
//! sign 0 (positive), 1 (zero) or 2 (negative); zero has no digits but `ob_digit[0]`
//! is 0, and a value of at most one digit is "compact". Values -5..=256 are shared
//! immortal objects.
//!
//! Arithmetic takes fast paths in `i64`/`i128`; larger values go through `num-bigint`
//! temporaries, converted from and to digits, which are dropped before the result
//! object is built in the interpreter's heap.

use super::numtext::{self, IntLiteral, IntLiteralError, MAX_STR_DIGITS};
use super::{bool_, exceptions, float, hash, object, singletons, tuple, unicode};
use crate::abi::*;
use crate::memory;
use crate::protocols::number;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::cmp::Ordering;
use core::ffi::c_int;
use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

pub use crate::abi::PyLongObject as LongObject;

const SMALL_MIN: i64 = -5;
const SMALL_MAX: i64 = 256;
const SMALL_COUNT: usize = (SMALL_MAX - SMALL_MIN + 1) as usize;

/// Bits of the magnitude per digit, and the mask of one digit.
pub(crate) const DIGIT_BITS: u32 = 30;
const DIGIT_MASK: u32 = (1 << DIGIT_BITS) - 1;

/// `lv_tag`: the sign in the low bits, a reserved bit, the digit count above them.
const NON_SIZE_BITS: u32 = 3;
const SIGN_MASK: usize = 3;
const SIGN_POSITIVE: usize = 0;
const SIGN_ZERO: usize = 1;
const SIGN_NEGATIVE: usize = 2;

/// Bytes before the digits: an int of `n` digits takes `HEADER_SIZE + 4 * n` bytes.
pub(crate) const HEADER_SIZE: usize = core::mem::offset_of!(LongObject, long_value.ob_digit);

/// The digits that fit in `size_of::<LongObject>()`, the least an int is given.
const FIXED_DIGITS: usize = (core::mem::size_of::<LongObject>() - HEADER_SIZE) / 4;

/// Results wider than this many bits raise `MemoryError` rather than being attempted:
/// the temporaries live in the process allocator, which cannot fail gracefully.
const MAX_BITS: u64 = 1 << 32;

/// An int with more bits than this has more than `MAX_STR_DIGITS` decimal digits.
const MAX_STR_DIGITS_BITS: u64 = 14_285;

#[inline]
const fn make_tag(ndigits: usize, sign: usize) -> usize {
    (ndigits << NON_SIZE_BITS) | sign
}

/// Tags below this one are compact: zero, or one digit of either sign.
const FIRST_TWO_DIGIT_TAG: usize = make_tag(2, 0);

impl LongObject {
    /// A statically allocated int of at most one digit.
    pub const fn immortal(ty: *mut PyTypeObject, value: i64) -> Self {
        assert!(value.unsigned_abs() <= DIGIT_MASK as u64);
        let (lv_tag, digit) = if value == 0 {
            (make_tag(0, SIGN_ZERO), 0)
        } else if value < 0 {
            (make_tag(1, SIGN_NEGATIVE), value.unsigned_abs() as u32)
        } else {
            (make_tag(1, SIGN_POSITIVE), value as u32)
        };
        LongObject {
            ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: ty },
            long_value: PyLongValue { lv_tag, ob_digit: [digit] },
        }
    }
}

static mut SMALL_INTS: [LongObject; SMALL_COUNT] =
    [const { LongObject::immortal(core::ptr::null_mut(), 0) }; SMALL_COUNT];

/// The number slots of `int`, shared with `bool` (which overrides `&`, `|`, `^`).
pub(crate) const INT_NUMBER_METHODS: PyNumberMethods = PyNumberMethods {
    nb_add: Some(int_add),
    nb_subtract: Some(int_subtract),
    nb_multiply: Some(int_multiply),
    nb_remainder: Some(int_remainder),
    nb_divmod: Some(int_divmod),
    nb_power: Some(int_power),
    nb_negative: Some(int_negative),
    nb_positive: Some(int_exact),
    nb_absolute: Some(int_absolute),
    nb_bool: Some(int_bool),
    nb_invert: Some(int_invert),
    nb_lshift: Some(int_lshift),
    nb_rshift: Some(int_rshift),
    nb_and: Some(int_and),
    nb_xor: Some(int_xor),
    nb_or: Some(int_or),
    nb_int: Some(int_exact),
    nb_float: Some(int_float),
    nb_floor_divide: Some(int_floor_divide),
    nb_true_divide: Some(int_true_divide),
    nb_index: Some(int_exact),
    ..PyNumberMethods::EMPTY
};

static mut INT_AS_NUMBER: PyNumberMethods = INT_NUMBER_METHODS;

#[no_mangle]
pub static mut PyLong_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(int_repr),
    tp_hash: Some(int_hash),
    tp_richcompare: Some(int_richcompare),
    tp_as_number: &raw mut INT_AS_NUMBER,
    tp_methods: (&raw mut super::long_methods::INT_METHODS).cast(),
    tp_getset: (&raw mut super::long_methods::INT_GETSET).cast(),
    tp_flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_LONG_SUBCLASS | Py_TPFLAGS_IMMUTABLETYPE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"int", HEADER_SIZE, core::mem::size_of::<u32>())
};

#[inline]
pub fn long_type() -> *mut PyTypeObject {
    &raw mut PyLong_Type
}

/// Fills the immortal small-int table (start-up).
pub fn init_small_ints() {
    for (i, value) in (SMALL_MIN..=SMALL_MAX).enumerate() {
        // SAFETY: start-up runs before any other thread can read the table.
        unsafe {
            let o = &raw mut SMALL_INTS[i];
            *o = LongObject::immortal(long_type(), value);
        }
    }
}

#[inline]
fn small_int(v: i64) -> *mut PyObject {
    // SAFETY: index is in range; the table is immutable after start-up.
    unsafe { (&raw mut SMALL_INTS[(v - SMALL_MIN) as usize]) as *mut PyObject }
}

/// The value of an exact `int` (not a subclass, not bool) that fits in an i64.
#[inline]
pub fn exact_small_value(o: *mut PyObject) -> Option<i64> {
    if object::type_of(o) != long_type() {
        return None;
    }
    // SAFETY: `o` is an exact int.
    unsafe { small_value(o) }
}

pub fn check(o: *mut PyObject) -> bool {
    object::has_flag(object::type_of(o), Py_TPFLAGS_LONG_SUBCLASS)
}

pub fn check_exact(o: *mut PyObject) -> bool {
    object::type_of(o) == long_type()
}

pub fn overflow(ts: Ts, ctype: &str) -> errors::Raised {
    errors::overflow_error(ts, &format!("Python int too large to convert to C {ctype}"))
}

// ---------------------------------------------------------------------------------
// Construction

/// A new `int` for `v`.
#[inline]
pub fn from_i64(ts: Ts, v: i64) -> PyResult<*mut PyObject> {
    if (SMALL_MIN..=SMALL_MAX).contains(&v) {
        return Ok(small_int(v));
    }
    let (negative, magnitude) = (v < 0, v.unsigned_abs());
    if magnitude <= DIGIT_MASK as u64 {
        let tag = make_tag(1, if negative { SIGN_NEGATIVE } else { SIGN_POSITIVE });
        return alloc_one_digit(ts, tag, magnitude as u32);
    }
    from_wide_magnitude(ts, negative, magnitude)
}

/// A new exact int of one digit: the hot path, which writes every word of the block
/// once instead of zeroing it first.
#[inline(always)]
fn alloc_one_digit(ts: Ts, lv_tag: usize, digit: u32) -> PyResult<*mut PyObject> {
    let p = memory::alloc_in(ts, core::mem::size_of::<LongObject>()) as *mut LongObject;
    if p.is_null() {
        return Err(errors::no_memory(ts));
    }
    // SAFETY: `p` is a fresh block the size of the struct, 8-byte aligned, so the digit
    // and the padding after it form one aligned u64. `PyLong_Type` is static: unlike
    // `init_header` for heap types, no reference to the type is taken.
    unsafe {
        (*p).ob_base = PyObject { ob_refcnt: 1, ob_type: long_type() };
        (*p).long_value.lv_tag = lv_tag;
        (core::ptr::addr_of_mut!((*p).long_value.ob_digit) as *mut u64).write(digit as u64);
    }
    Ok(p as *mut PyObject)
}

/// `from_i64` beyond one digit, out of line so that the one-digit path stays small
/// enough to inline its allocation.
#[inline(never)]
fn from_wide_magnitude(ts: Ts, negative: bool, magnitude: u64) -> PyResult<*mut PyObject> {
    from_magnitude(ts, negative, magnitude as u128)
}

pub fn from_u64(ts: Ts, v: u64) -> PyResult<*mut PyObject> {
    match i64::try_from(v) {
        Ok(small) => from_i64(ts, small),
        Err(_) => from_magnitude(ts, false, v as u128),
    }
}

pub fn from_i128(ts: Ts, v: i128) -> PyResult<*mut PyObject> {
    match i64::try_from(v) {
        Ok(small) => from_i64(ts, small),
        Err(_) => from_magnitude(ts, v < 0, v.unsigned_abs()),
    }
}

/// The number of digits of a magnitude of `bits` bits.
fn digits_for_bits(bits: u64) -> usize {
    bits.div_ceil(DIGIT_BITS as u64) as usize
}

/// An int from a sign and a nonzero magnitude that is not a small int.
fn from_magnitude(ts: Ts, negative: bool, magnitude: u128) -> PyResult<*mut PyObject> {
    let ndigits = digits_for_bits(128 - magnitude.leading_zeros() as u64);
    let (o, digits) = alloc_digits(ts, negative, ndigits)?;
    let mut rest = magnitude;
    for d in digits {
        *d = rest as u32 & DIGIT_MASK;
        rest >>= DIGIT_BITS;
    }
    Ok(o)
}

pub fn from_bigint(ts: Ts, v: &BigInt) -> PyResult<*mut PyObject> {
    if let Some(small) = v.to_i64() {
        return from_i64(ts, small);
    }
    let (o, digits) = alloc_digits(ts, v.is_negative(), digits_for_bits(v.bits()))?;
    fill_digits(digits, v.iter_u64_digits());
    Ok(o)
}

/// Splits the magnitude given as 64-bit limbs (least significant first) into the
/// 30-bit digits of `dst`, which has room for exactly its digits.
fn fill_digits(dst: &mut [u32], mut limbs: impl Iterator<Item = u64>) {
    let (mut pending, mut pending_bits) = (0u128, 0u32);
    for d in dst {
        if pending_bits < DIGIT_BITS {
            if let Some(limb) = limbs.next() {
                pending |= (limb as u128) << pending_bits;
                pending_bits += 64;
            }
        }
        *d = pending as u32 & DIGIT_MASK;
        pending >>= DIGIT_BITS;
        pending_bits = pending_bits.saturating_sub(DIGIT_BITS);
    }
}

/// A new int of `ndigits` (>= 1) digits with its tag set and its digits left for the
/// caller to write (they start zeroed), as a slice over them.
fn alloc_digits<'a>(ts: Ts, negative: bool, ndigits: usize) -> PyResult<(*mut PyObject, &'a mut [u32])> {
    // Never below the struct's size, which `alloc_one_digit` gives the smallest ints.
    let Some(size) = ndigits.max(FIXED_DIGITS).checked_mul(4).and_then(|n| n.checked_add(HEADER_SIZE)) else {
        return Err(errors::no_memory(ts));
    };
    let p = memory::alloc_in(ts, size) as *mut LongObject;
    if p.is_null() {
        return Err(errors::no_memory(ts));
    }
    // SAFETY: `p` is a fresh block of `size` bytes: the header, the tag and `ndigits`
    // digits; no other reference to them exists while the caller fills them.
    unsafe {
        object::init_header(p as *mut PyObject, long_type());
        (*p).long_value.lv_tag = make_tag(ndigits, if negative { SIGN_NEGATIVE } else { SIGN_POSITIVE });
        let first = core::ptr::addr_of_mut!((*p).long_value.ob_digit) as *mut u32;
        let digits = core::slice::from_raw_parts_mut(first, ndigits);
        digits.fill(0);
        Ok((p as *mut PyObject, digits))
    }
}

/// `PyLong_FromDouble`: the integral part of `v`.
pub fn from_f64(ts: Ts, v: f64) -> PyResult<*mut PyObject> {
    if v.is_infinite() {
        return Err(errors::overflow_error(ts, "cannot convert float infinity to integer"));
    }
    if v.is_nan() {
        return Err(errors::value_error(ts, "cannot convert float NaN to integer"));
    }
    let t = v.trunc();
    if t.abs() < 9_223_372_036_854_775_808.0 {
        return from_i64(ts, t as i64);
    }
    from_bigint(ts, &integral_f64_to_bigint(t))
}

/// The exact value of a finite double with no fractional part.
pub fn integral_f64_to_bigint(t: f64) -> BigInt {
    if t == 0.0 {
        return BigInt::zero();
    }
    let bits = t.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i64;
    // |t| >= 1, so t is normal and has the implicit leading bit.
    let mantissa = (bits & ((1 << 52) - 1)) | (1 << 52);
    let shift = exponent - 1075;
    let magnitude =
        if shift >= 0 { BigInt::from(mantissa) << shift as usize } else { BigInt::from(mantissa >> (-shift) as u32) };
    if t < 0.0 {
        -magnitude
    } else {
        magnitude
    }
}

// ---------------------------------------------------------------------------------
// Reading values

/// The value part of the int `o`.
///
/// # Safety
/// `o` is a live int (or subclass) object.
#[inline]
unsafe fn value_of<'a>(o: *mut PyObject) -> &'a PyLongValue {
    // SAFETY: the caller passes an int, which starts with the int layout.
    unsafe { &(*(o as *mut LongObject)).long_value }
}

/// The value of an `int` that fits in an `i64`; None for larger magnitudes.
///
/// # Safety
/// `o` is a live int (or subclass) object.
#[inline]
pub unsafe fn small_value(o: *mut PyObject) -> Option<i64> {
    // SAFETY: the caller passes an int.
    let v = unsafe { value_of(o) };
    if v.lv_tag < FIRST_TWO_DIGIT_TAG {
        // Compact: the sign factor 1 - sign is 1, 0 or -1 (and a zero's digit is 0).
        return Some((1 - (v.lv_tag & SIGN_MASK) as i64) * v.ob_digit[0] as i64);
    }
    wide_small_value(o)
}

/// `small_value` beyond one digit, out of line to keep the compact path small.
#[inline(never)]
fn wide_small_value(o: *mut PyObject) -> Option<i64> {
    let magnitude = magnitude_u64(o)?;
    if is_negative(o) {
        (magnitude <= 1 << 63).then(|| magnitude.wrapping_neg() as i64)
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// Whether the int `o` has at most one digit.
pub fn is_compact(o: *mut PyObject) -> bool {
    // SAFETY: callers pass ints.
    unsafe { value_of(o).lv_tag < FIRST_TWO_DIGIT_TAG }
}

/// The value of a compact int, read as CPython's inline function does (the sign
/// factor times the low digit, whatever the other digits hold).
pub fn compact_value(o: *mut PyObject) -> isize {
    // SAFETY: callers pass ints, which always have a first digit.
    let v = unsafe { value_of(o) };
    (1 - (v.lv_tag & SIGN_MASK) as isize) * v.ob_digit[0] as isize
}

/// The digits of the magnitude of the int `o`, least significant first (empty for 0).
fn digits<'a>(o: *mut PyObject) -> &'a [u32] {
    // SAFETY: callers pass ints, which hold as many digits as their tag counts.
    unsafe {
        let v = value_of(o);
        core::slice::from_raw_parts(core::ptr::addr_of!(v.ob_digit) as *const u32, v.lv_tag >> NON_SIZE_BITS)
    }
}

/// The magnitude of the int `o` when it fits in a u64.
fn magnitude_u64(o: *mut PyObject) -> Option<u64> {
    match *digits(o) {
        [] => Some(0),
        [d0] => Some(d0 as u64),
        [d0, d1] => Some(d0 as u64 | (d1 as u64) << DIGIT_BITS),
        [d0, d1, d2] if d2 < 1 << (64 - 2 * DIGIT_BITS) => {
            Some(d0 as u64 | (d1 as u64) << DIGIT_BITS | (d2 as u64) << (2 * DIGIT_BITS))
        }
        _ => None,
    }
}

/// The magnitude of the int `o` modulo 2**64.
fn magnitude_low_u64(o: *mut PyObject) -> u64 {
    digits(o).iter().take(3).rev().fold(0u64, |acc, &d| acc.wrapping_shl(DIGIT_BITS) | d as u64)
}

/// True when the int `o` is below zero.
pub fn is_negative(o: *mut PyObject) -> bool {
    // SAFETY: callers pass ints.
    unsafe { value_of(o).lv_tag & SIGN_MASK == SIGN_NEGATIVE }
}

/// True when the int `o` is zero.
fn is_zero(o: *mut PyObject) -> bool {
    // SAFETY: callers pass ints.
    unsafe { value_of(o).lv_tag & SIGN_MASK == SIGN_ZERO }
}

/// -1, 0 or 1: the sign of the int `o` (`_PyLong_Sign`).
pub fn sign(o: *mut PyObject) -> c_int {
    // SAFETY: callers pass ints.
    1 - (unsafe { value_of(o).lv_tag } & SIGN_MASK) as c_int
}

/// The number of bits of the magnitude of the int `o` (`_PyLong_NumBits`).
pub fn bit_length(o: *mut PyObject) -> u64 {
    match digits(o).split_last() {
        None => 0,
        Some((&top, rest)) => rest.len() as u64 * DIGIT_BITS as u64 + (32 - top.leading_zeros()) as u64,
    }
}

/// The magnitude of an int from its digits.
fn biguint_from_digits(digits: &[u32]) -> BigUint {
    let mut words = Vec::with_capacity(digits.len() * DIGIT_BITS as usize / 32 + 1);
    let (mut pending, mut pending_bits) = (0u64, 0u32);
    for &d in digits {
        pending |= (d as u64) << pending_bits;
        pending_bits += DIGIT_BITS;
        if pending_bits >= 32 {
            words.push(pending as u32);
            pending >>= 32;
            pending_bits -= 32;
        }
    }
    if pending_bits > 0 {
        words.push(pending as u32);
    }
    BigUint::new(words)
}

/// The value of an int object, cheap when it fits in an i64.
pub enum Int {
    Small(i64),
    Big(BigInt),
}

impl Int {
    /// # Safety
    /// `o` is a live int (or subclass) object.
    pub unsafe fn of(o: *mut PyObject) -> Int {
        match unsafe { small_value(o) } {
            Some(v) => Int::Small(v),
            None => {
                let sign = if is_negative(o) { Sign::Minus } else { Sign::Plus };
                Int::Big(BigInt::from_biguint(sign, biguint_from_digits(digits(o))))
            }
        }
    }

    pub fn into_big(self) -> BigInt {
        match self {
            Int::Small(v) => BigInt::from(v),
            Int::Big(b) => b,
        }
    }

    pub fn is_zero(&self) -> bool {
        matches!(self, Int::Small(0))
    }

    pub fn is_negative(&self) -> bool {
        match self {
            Int::Small(v) => *v < 0,
            Int::Big(b) => b.is_negative(),
        }
    }

    /// The number of bits of the magnitude.
    pub fn bits(&self) -> u64 {
        match self {
            Int::Small(v) => 64 - v.unsigned_abs().leading_zeros() as u64,
            Int::Big(b) => b.bits(),
        }
    }

    /// The value as a u64 when it is non-negative and fits.
    fn to_u64(&self) -> Option<u64> {
        match self {
            Int::Small(v) => u64::try_from(*v).ok(),
            Int::Big(b) => b.to_u64(),
        }
    }

    fn is_odd(&self) -> bool {
        match self {
            Int::Small(v) => v & 1 == 1,
            Int::Big(b) => b.is_odd(),
        }
    }
}

fn compare(x: Int, y: Int) -> Ordering {
    match (x, y) {
        (Int::Small(a), Int::Small(b)) => a.cmp(&b),
        (x, y) => x.into_big().cmp(&y.into_big()),
    }
}

/// Whether `ordering` satisfies the comparison `op` (`Py_LT` ... `Py_GE`).
pub fn ordering_satisfies(ordering: Ordering, op: c_int) -> bool {
    match op {
        Py_LT => ordering == Ordering::Less,
        Py_LE => ordering != Ordering::Greater,
        Py_EQ => ordering == Ordering::Equal,
        Py_NE => ordering != Ordering::Equal,
        Py_GT => ordering == Ordering::Greater,
        _ => ordering != Ordering::Less,
    }
}

// ---------------------------------------------------------------------------------
// Conversion to C types, as the `PyLong_As*` functions define it

/// Runs `f` on `o` when it is an int, otherwise on the result of its `__index__`.
fn with_index<T>(ts: Ts, o: *mut PyObject, f: impl FnOnce(*mut PyObject) -> PyResult<T>) -> PyResult<T> {
    if check(o) {
        return f(o);
    }
    let i = number::index_raw(ts, o)?;
    let r = f(i);
    // SAFETY: `index_raw` returned a new reference.
    unsafe { object::decref(i) };
    r
}

fn require_int(ts: Ts, o: *mut PyObject) -> PyResult<()> {
    if check(o) {
        Ok(())
    } else {
        Err(errors::type_error(ts, "an integer is required"))
    }
}

/// The value and the overflow flag (-1, 0, 1) of `PyLong_AsLongAndOverflow`.
pub fn as_i64_and_overflow(ts: Ts, o: *mut PyObject) -> PyResult<(i64, c_int)> {
    with_index(ts, o, |i| {
        Ok(match unsafe { small_value(i) } {
            Some(v) => (v, 0),
            None => (-1, if is_negative(i) { -1 } else { 1 }),
        })
    })
}

/// `PyLong_AsLong`.
pub fn as_long(ts: Ts, o: *mut PyObject) -> PyResult<i64> {
    match as_i64_and_overflow(ts, o)? {
        (v, 0) => Ok(v),
        _ => Err(overflow(ts, "long")),
    }
}

/// `PyLong_AsInt`.
pub fn as_int(ts: Ts, o: *mut PyObject) -> PyResult<i32> {
    match as_i64_and_overflow(ts, o)? {
        (v, 0) => i32::try_from(v).map_err(|_| overflow(ts, "int")),
        _ => Err(overflow(ts, "int")),
    }
}

/// `PyLong_AsLongLong`, whose overflow message differs from `PyLong_AsLong`'s.
pub fn as_long_long(ts: Ts, o: *mut PyObject) -> PyResult<i64> {
    with_index(ts, o, |i| unsafe { small_value(i) }.ok_or_else(|| errors::overflow_error(ts, "int too big to convert")))
}

/// `PyLong_AsSsize_t`: ints only.
pub fn as_ssize(ts: Ts, o: *mut PyObject) -> PyResult<isize> {
    require_int(ts, o)?;
    unsafe { small_value(o) }.map(|v| v as isize).ok_or_else(|| overflow(ts, "ssize_t"))
}

enum Unsigned {
    Fits(u64),
    Negative,
    TooBig,
}

fn unsigned_value(o: *mut PyObject) -> Unsigned {
    match unsafe { small_value(o) } {
        Some(v) if v >= 0 => Unsigned::Fits(v as u64),
        Some(_) => Unsigned::Negative,
        None if is_negative(o) => Unsigned::Negative,
        None => magnitude_u64(o).map_or(Unsigned::TooBig, Unsigned::Fits),
    }
}

/// The unsigned conversions differ only in their messages.
fn as_unsigned(ts: Ts, o: *mut PyObject, negative: &str, too_big: &str) -> PyResult<u64> {
    require_int(ts, o)?;
    match unsigned_value(o) {
        Unsigned::Fits(v) => Ok(v),
        Unsigned::Negative => Err(errors::overflow_error(ts, negative)),
        Unsigned::TooBig => Err(errors::overflow_error(ts, too_big)),
    }
}

/// `PyLong_AsUnsignedLong`.
pub fn as_unsigned_long(ts: Ts, o: *mut PyObject) -> PyResult<u64> {
    as_unsigned(
        ts,
        o,
        "can't convert negative value to unsigned int",
        "Python int too large to convert to C unsigned long",
    )
}

/// `PyLong_AsSize_t`.
pub fn as_size_t(ts: Ts, o: *mut PyObject) -> PyResult<usize> {
    as_unsigned(ts, o, "can't convert negative value to size_t", "Python int too large to convert to C size_t")
        .map(|v| v as usize)
}

/// `PyLong_AsUnsignedLongLong`.
pub fn as_unsigned_long_long(ts: Ts, o: *mut PyObject) -> PyResult<u64> {
    as_unsigned(ts, o, "can't convert negative int to unsigned", "int too big to convert")
}

/// The low 64 bits of the two's complement of `o` (`PyLong_AsUnsignedLongMask`).
pub fn as_unsigned_mask(ts: Ts, o: *mut PyObject) -> PyResult<u64> {
    with_index(ts, o, |i| {
        Ok(match unsafe { small_value(i) } {
            Some(v) => v as u64,
            None if is_negative(i) => magnitude_low_u64(i).wrapping_neg(),
            None => magnitude_low_u64(i),
        })
    })
}

/// `PyLong_AsVoidPtr`: negative ints as signed, the others as unsigned.
pub fn as_void_ptr(ts: Ts, o: *mut PyObject) -> PyResult<usize> {
    if check(o) && is_negative(o) {
        return as_long_long(ts, o).map(|v| v as usize);
    }
    as_unsigned_long_long(ts, o).map(|v| v as usize)
}

/// `PyLong_AsDouble`: ints only, correctly rounded.
pub fn as_double(ts: Ts, o: *mut PyObject) -> PyResult<f64> {
    require_int(ts, o)?;
    to_f64(ts, o)
}

/// The nearest double to the int `o` (ties to even); `OverflowError` beyond the
/// double range.
pub fn to_f64(ts: Ts, o: *mut PyObject) -> PyResult<f64> {
    if let Some(v) = unsafe { small_value(o) } {
        return Ok(v as f64);
    }
    match ratio_to_f64(&biguint_from_digits(digits(o)), &BigUint::one()) {
        Some(f) if f.is_finite() => Ok(if is_negative(o) { -f } else { f }),
        _ => Err(errors::overflow_error(ts, "int too large to convert to float")),
    }
}

/// `num / den` (den > 0) rounded once to the nearest double, ties to even. None or an
/// infinity when it is beyond the double range.
pub fn ratio_to_f64(num: &BigUint, den: &BigUint) -> Option<f64> {
    const MANTISSA_BITS: i64 = 53;
    const MIN_ULP_EXP: i64 = -1074;
    if num.is_zero() {
        return Some(0.0);
    }
    // The quotient lies in [2**(diff-1), 2**(diff+1)).
    let diff = num.bits() as i64 - den.bits() as i64;
    if diff > 1025 {
        return None;
    }
    if diff < MIN_ULP_EXP - 4 {
        return Some(0.0);
    }
    // Keep two guard bits beyond the mantissa, but never finer than a quarter of the
    // smallest subnormal, so that subnormal results are rounded only once.
    let shift = (diff - MANTISSA_BITS - 2).max(MIN_ULP_EXP - 2);
    let (quotient, inexact) = if shift >= 0 {
        if den.is_one() {
            (num >> shift as usize, num.trailing_zeros().unwrap_or(0) < shift as u64)
        } else {
            let (q, r) = num.div_rem(&(den << shift as usize));
            (q, !r.is_zero())
        }
    } else {
        let (q, r) = (num << (-shift) as usize).div_rem(den);
        (q, !r.is_zero())
    };
    let q = quotient.to_u64()?;
    let q_bits = 64 - q.leading_zeros() as i64;
    let ulp_exp = (q_bits - 1 + shift - (MANTISSA_BITS - 1)).max(MIN_ULP_EXP);
    let dropped_bits = (ulp_exp - shift) as u32;
    let kept = q >> dropped_bits;
    let dropped = q & ((1u64 << dropped_bits) - 1);
    let half = 1u64 << (dropped_bits - 1);
    let round_up = dropped > half || (dropped == half && (inexact || kept & 1 == 1));
    Some(scale_by_power_of_two((kept + round_up as u64) as f64, ulp_exp))
}

/// `x * 2**e`, exact whenever the result is representable.
fn scale_by_power_of_two(mut x: f64, mut e: i64) -> f64 {
    let power = |k: i64| f64::from_bits(((k + 1023) as u64) << 52);
    while e > 1000 {
        x *= power(1000);
        e -= 1000;
    }
    while e < -1000 {
        x *= power(-1000);
        e += 1000;
    }
    x * power(e)
}

/// How the double `f` compares with the int `o`, exactly; None when `f` is a NaN.
pub fn compare_f64_with(f: f64, o: *mut PyObject) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 { Ordering::Greater } else { Ordering::Less });
    }
    let i = unsafe { Int::of(o) };
    if let Int::Small(v) = i {
        if v.unsigned_abs() <= 1 << 53 {
            return f.partial_cmp(&(v as f64));
        }
    }
    let floor = f.floor();
    Some(match i.into_big().cmp(&integral_f64_to_bigint(floor)) {
        Ordering::Greater => Ordering::Less,
        Ordering::Less => Ordering::Greater,
        Ordering::Equal if f == floor => Ordering::Equal,
        Ordering::Equal => Ordering::Greater,
    })
}

/// A new exact `int` equal to the int (or subclass) `o`.
pub fn exact_copy(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if check_exact(o) {
        return Ok(unsafe { object::new_ref(o) });
    }
    match unsafe { small_value(o) } {
        Some(v) => from_i64(ts, v),
        None => {
            let source = digits(o);
            let (copy, dst) = alloc_digits(ts, is_negative(o), source.len())?;
            dst.copy_from_slice(source);
            Ok(copy)
        }
    }
}

// ---------------------------------------------------------------------------------
// Native bytes (`PyLong_AsNativeBytes`, `PyLong_FromNativeBytes`)

/// The `Py_ASNATIVEBYTES_*` flags, decoded; -1 means "like a C cast".
#[derive(Clone, Copy)]
pub struct NativeBytesFlags {
    little_endian: bool,
    unsigned_buffer: bool,
    reject_negative: bool,
    allow_index: bool,
}

impl NativeBytesFlags {
    const LITTLE_ENDIAN: c_int = 1;
    const NATIVE_ENDIAN: c_int = 2;
    const UNSIGNED_BUFFER: c_int = 4;
    const REJECT_NEGATIVE: c_int = 8;
    const ALLOW_INDEX: c_int = 16;

    pub fn new(flags: c_int) -> Self {
        if flags == -1 {
            return NativeBytesFlags {
                little_endian: cfg!(target_endian = "little"),
                unsigned_buffer: true,
                reject_negative: false,
                allow_index: false,
            };
        }
        let has = |bit: c_int| flags & bit != 0;
        NativeBytesFlags {
            little_endian: if has(Self::NATIVE_ENDIAN) {
                cfg!(target_endian = "little")
            } else {
                has(Self::LITTLE_ENDIAN)
            },
            unsigned_buffer: has(Self::UNSIGNED_BUFFER),
            reject_negative: has(Self::REJECT_NEGATIVE),
            allow_index: has(Self::ALLOW_INDEX),
        }
    }
}

/// `PyLong_AsNativeBytes`: writes all of `buf` with the value in two's complement
/// (truncated or sign-extended) and returns how many bytes the value needs, which is
/// more than `buf.len()` when it was truncated.
pub fn as_native_bytes(ts: Ts, o: *mut PyObject, buf: &mut [u8], flags: c_int) -> PyResult<usize> {
    let flags = NativeBytesFlags::new(flags);
    if !check(o) && !flags.allow_index {
        let name = super::typeobject::type_name(object::type_of(o));
        return Err(errors::type_error(ts, &format!("expect int, got {name}")));
    }
    with_index(ts, o, |i| {
        if flags.reject_negative && is_negative(i) {
            return Err(errors::value_error(ts, "Cannot convert negative int"));
        }
        let needed = write_twos_complement_le(i, buf, flags.unsigned_buffer);
        if !flags.little_endian {
            buf.reverse();
        }
        Ok(needed)
    })
}

/// Whether `v` is representable in `bits` bits of two's complement.
fn fits_in_bits(v: i64, bits: usize) -> bool {
    bits >= 64 || matches!(v >> (bits - 1), 0 | -1)
}

/// Writes the low `buf.len()` bytes of the two's complement of `o`, least significant
/// first, and returns the size `PyLong_AsNativeBytes` reports: a compact int counts
/// as a `Py_ssize_t` unless it fits a shorter buffer, a wider one as one byte per 8
/// bits plus a sign bit, which a value filling the buffer exactly does not need
/// (`-2**(8n-1)`, or with `unsigned_buffer` a positive value with its top bit set).
fn write_twos_complement_le(o: *mut PyObject, buf: &mut [u8], unsigned_buffer: bool) -> usize {
    let n = buf.len();
    let negative = is_negative(o);
    let mut digits = digits(o).iter();
    let (mut pending, mut pending_bits, mut carry) = (0u64, 0u32, negative as u16);
    for byte in buf.iter_mut() {
        if pending_bits < 8 {
            if let Some(&d) = digits.next() {
                pending |= (d as u64) << pending_bits;
                pending_bits += DIGIT_BITS;
            }
        }
        let magnitude_byte = pending as u8;
        pending >>= 8;
        pending_bits = pending_bits.saturating_sub(8);
        *byte = if negative {
            let sum = (!magnitude_byte) as u16 + carry;
            carry = sum >> 8;
            sum as u8
        } else {
            magnitude_byte
        };
    }
    if is_compact(o) {
        const WORD: usize = core::mem::size_of::<isize>();
        // SAFETY: `o` is an int.
        let v = unsafe { small_value(o) }.unwrap_or(0);
        return match n {
            1..WORD if fits_in_bits(v, 8 * n) => n,
            1..WORD if v > 0 && fits_in_bits(v, 8 * n + 1) => n + !unsigned_buffer as usize,
            _ => WORD,
        };
    }
    let bits = bit_length(o) as usize;
    let needed = bits / 8 + 1;
    if n == 0 || needed != n + 1 || !bits.is_multiple_of(8) {
        return needed;
    }
    let fills_exactly =
        if negative { buf[n - 1] == 0x80 && buf[..n - 1].iter().all(|&b| b == 0) } else { unsigned_buffer };
    if fills_exactly {
        n
    } else {
        needed
    }
}

/// `PyLong_FromNativeBytes` / `PyLong_FromUnsignedNativeBytes`: the int that `bytes`
/// hold, in two's complement when `signed`.
pub fn from_native_bytes(ts: Ts, bytes: &[u8], flags: c_int, signed: bool) -> PyResult<*mut PyObject> {
    let little_endian = NativeBytesFlags::new(flags).little_endian;
    let signed = signed && (flags == -1 || flags & NativeBytesFlags::UNSIGNED_BUFFER == 0);
    if bytes.len() <= 8 {
        let mut word = [0u8; 8];
        for (i, &b) in bytes.iter().enumerate() {
            word[if little_endian { i } else { bytes.len() - 1 - i }] = b;
        }
        let unsigned = u64::from_le_bytes(word);
        if !signed || bytes.is_empty() {
            return from_u64(ts, unsigned);
        }
        // Sign-extend from the top bit of the last byte.
        let unused = 64 - 8 * bytes.len() as u32;
        return from_i64(ts, ((unsigned << unused) as i64) >> unused);
    }
    let value = match (signed, little_endian) {
        (true, true) => BigInt::from_signed_bytes_le(bytes),
        (true, false) => BigInt::from_signed_bytes_be(bytes),
        (false, true) => BigInt::from(BigUint::from_bytes_le(bytes)),
        (false, false) => BigInt::from(BigUint::from_bytes_be(bytes)),
    };
    from_bigint(ts, &value)
}

// ---------------------------------------------------------------------------------
// Text

fn str_digits_limit(ts: Ts) -> Raised {
    errors::value_error(
        ts,
        &format!(
            "Exceeds the limit ({MAX_STR_DIGITS} digits) for integer string conversion; \
             use sys.set_int_max_str_digits() to increase the limit"
        ),
    )
}

fn too_many_digits(ts: Ts, digits: usize) -> Raised {
    errors::value_error(
        ts,
        &format!(
            "Exceeds the limit ({MAX_STR_DIGITS} digits) for integer string conversion: value has {digits} digits; \
             use sys.set_int_max_str_digits() to increase the limit"
        ),
    )
}

/// The decimal text of the int `o`.
pub fn to_decimal(ts: Ts, o: *mut PyObject) -> PyResult<String> {
    let value = match unsafe { Int::of(o) } {
        Int::Small(v) => return Ok(v.to_string()),
        Int::Big(b) => b,
    };
    if value.bits() > MAX_STR_DIGITS_BITS {
        return Err(str_digits_limit(ts));
    }
    let text = value.to_str_radix(10);
    if text.len() - value.is_negative() as usize > MAX_STR_DIGITS {
        return Err(str_digits_limit(ts));
    }
    Ok(text)
}

fn from_literal(ts: Ts, literal: IntLiteral) -> PyResult<*mut PyObject> {
    let sign = if literal.negative { Sign::Minus } else { Sign::Plus };
    from_bigint(ts, &BigInt::from_biguint(sign, literal.magnitude))
}

fn check_base(ts: Ts, base: c_int) -> PyResult<u32> {
    if base == 0 || (2..=36).contains(&base) {
        Ok(base as u32)
    } else {
        Err(errors::value_error(ts, "int() arg 2 must be >= 2 and <= 36"))
    }
}

fn invalid_literal(ts: Ts, base: u32, shown: &str) -> Raised {
    let shown = numtext::truncate_chars(shown, 200);
    errors::value_error(ts, &format!("invalid literal for int() with base {base}: {shown}"))
}

/// `PyLong_FromString` on the bytes of a C string: the int, and where parsing stopped
/// when the text was examined (what `*pend` receives).
pub fn parse_c_text(ts: Ts, text: &[u8], base: c_int) -> (PyResult<*mut PyObject>, Option<usize>) {
    let base = match check_base(ts, base) {
        Ok(b) => b,
        Err(e) => return (Err(e), None),
    };
    match numtext::parse_int(text, base) {
        Ok(literal) => {
            let end = literal.end;
            (from_literal(ts, literal), Some(end))
        }
        Err(IntLiteralError::Syntax { pos, base }) => {
            // The message shows (at most 200 bytes of) the text decoded as UTF-8.
            let head = &text[..text.len().min(200)];
            let raised = match core::str::from_utf8(head) {
                Ok(s) => invalid_literal(ts, base, &numtext::quote_str(s)),
                Err(_) => errors::set_string(
                    ts,
                    exceptions::exc(exceptions::Exc::UnicodeDecodeError),
                    "'utf-8' codec can't decode bytes: invalid UTF-8",
                ),
            };
            (Err(raised), Some(pos))
        }
        Err(IntLiteralError::TooManyDigits(n)) => (Err(too_many_digits(ts, n)), None),
    }
}

/// `int(s, base)` for a `str` (`PyLong_FromUnicodeObject`).
pub fn from_unicode(ts: Ts, s: *mut PyObject, base: c_int) -> PyResult<*mut PyObject> {
    let base = check_base(ts, base)?;
    let text = unicode::to_string_lossy(s);
    match numtext::parse_int(&numtext::ascii_for_parsing(&text), base) {
        Ok(literal) => from_literal(ts, literal),
        Err(IntLiteralError::Syntax { .. }) => Err(invalid_literal(ts, base, &numtext::quote_str(&text))),
        Err(IntLiteralError::TooManyDigits(n)) => Err(too_many_digits(ts, n)),
    }
}

/// `int(b, base)` for the bytes of a bytes-like object.
pub fn from_bytes_text(ts: Ts, data: &[u8], base: c_int) -> PyResult<*mut PyObject> {
    let base = check_base(ts, base)?;
    match numtext::parse_int(data, base) {
        Ok(literal) => from_literal(ts, literal),
        Err(IntLiteralError::Syntax { .. }) => {
            Err(invalid_literal(ts, base, &numtext::quote_bytes(&data[..data.len().min(200)])))
        }
        Err(IntLiteralError::TooManyDigits(n)) => Err(too_many_digits(ts, n)),
    }
}

// ---------------------------------------------------------------------------------
// Arithmetic on values; each returns a new int (or float, for `/`)

fn add(ts: Ts, x: Int, y: Int) -> PyResult<*mut PyObject> {
    match (x, y) {
        (Int::Small(a), Int::Small(b)) => from_i128(ts, a as i128 + b as i128),
        (x, y) => from_bigint(ts, &(x.into_big() + y.into_big())),
    }
}

fn subtract(ts: Ts, x: Int, y: Int) -> PyResult<*mut PyObject> {
    match (x, y) {
        (Int::Small(a), Int::Small(b)) => from_i128(ts, a as i128 - b as i128),
        (x, y) => from_bigint(ts, &(x.into_big() - y.into_big())),
    }
}

fn multiply(ts: Ts, x: Int, y: Int) -> PyResult<*mut PyObject> {
    match (x, y) {
        (Int::Small(a), Int::Small(b)) => from_i128(ts, a as i128 * b as i128),
        (x, y) if x.bits() + y.bits() > MAX_BITS => Err(errors::no_memory(ts)),
        (x, y) => from_bigint(ts, &(x.into_big() * y.into_big())),
    }
}

fn floor_divide(ts: Ts, x: Int, y: Int) -> PyResult<*mut PyObject> {
    if y.is_zero() {
        return Err(errors::zero_division(ts, "integer division or modulo by zero"));
    }
    match (x, y) {
        (Int::Small(a), Int::Small(b)) => from_i128(ts, Integer::div_floor(&(a as i128), &(b as i128))),
        (x, y) => from_bigint(ts, &x.into_big().div_floor(&y.into_big())),
    }
}

fn remainder(ts: Ts, x: Int, y: Int) -> PyResult<*mut PyObject> {
    if y.is_zero() {
        return Err(errors::zero_division(ts, "integer modulo by zero"));
    }
    match (x, y) {
        (Int::Small(a), Int::Small(b)) => from_i128(ts, (a as i128).mod_floor(&(b as i128))),
        (x, y) => from_bigint(ts, &x.into_big().mod_floor(&y.into_big())),
    }
}

/// A tuple of two new references, taking them over.
fn pair(ts: Ts, first: PyResult<*mut PyObject>, second: PyResult<*mut PyObject>) -> PyResult<*mut PyObject> {
    let (a, b) = match (first, second) {
        (Ok(a), Ok(b)) => (a, b),
        (first, second) => {
            for o in [first, second].into_iter().flatten() {
                unsafe { object::decref(o) };
            }
            return Err(Raised);
        }
    };
    let t = tuple::pack(ts, &[a, b]);
    unsafe {
        object::decref(a);
        object::decref(b);
    }
    t
}

fn divmod(ts: Ts, x: Int, y: Int) -> PyResult<*mut PyObject> {
    if y.is_zero() {
        return Err(errors::zero_division(ts, "integer division or modulo by zero"));
    }
    match (x, y) {
        (Int::Small(a), Int::Small(b)) => {
            let (q, r) = (a as i128).div_mod_floor(&(b as i128));
            pair(ts, from_i128(ts, q), from_i128(ts, r))
        }
        (x, y) => {
            let (q, r) = x.into_big().div_mod_floor(&y.into_big());
            let q = from_bigint(ts, &q);
            pair(ts, q, from_bigint(ts, &r))
        }
    }
}

/// `x / y` as a correctly rounded float.
fn true_divide(ts: Ts, x: Int, y: Int) -> PyResult<*mut PyObject> {
    const EXACT: u64 = 1 << 53;
    if y.is_zero() {
        return Err(errors::zero_division(ts, "division by zero"));
    }
    if let (Int::Small(a), Int::Small(b)) = (&x, &y) {
        if a.unsigned_abs() <= EXACT && b.unsigned_abs() <= EXACT {
            return float::from_f64(ts, *a as f64 / *b as f64);
        }
    }
    let negative = x.is_negative() != y.is_negative();
    let (num, den) = (x.into_big().into_parts().1, y.into_big().into_parts().1);
    match ratio_to_f64(&num, &den) {
        Some(q) if q.is_finite() => float::from_f64(ts, if negative { -q } else { q }),
        _ => Err(errors::overflow_error(ts, "integer division result too large for a float")),
    }
}

/// `x ** y` for y >= 0.
fn power(ts: Ts, x: Int, y: Int) -> PyResult<*mut PyObject> {
    match x {
        Int::Small(0) => return from_i64(ts, y.is_zero() as i64),
        Int::Small(1) => return from_i64(ts, 1),
        Int::Small(-1) => return from_i64(ts, if y.is_odd() { -1 } else { 1 }),
        _ => {}
    }
    // |x| >= 2 from here on, so the result has at least `y` bits.
    let exponent = match y.to_u64().and_then(|e| u32::try_from(e).ok()) {
        Some(e) if x.bits().saturating_mul(e as u64) <= MAX_BITS => e,
        _ => return Err(errors::no_memory(ts)),
    };
    if let Int::Small(a) = x {
        if let Some(v) = a.checked_pow(exponent) {
            return from_i64(ts, v);
        }
    }
    from_bigint(ts, &x.into_big().pow(exponent))
}

/// `pow(x, y, m)`: the result takes the sign of `m`; a negative `y` uses the
/// modular inverse of `x`.
fn power_modulo(ts: Ts, x: Int, y: Int, m: Int) -> PyResult<*mut PyObject> {
    if m.is_zero() {
        return Err(errors::value_error(ts, "pow() 3rd argument cannot be 0"));
    }
    let m = m.into_big();
    if m.abs().is_one() {
        return from_i64(ts, 0);
    }
    let (mut base, mut exponent) = (x.into_big(), y.into_big());
    if exponent.is_negative() {
        base = match base.modinv(&m) {
            Some(inverse) => inverse,
            None => return Err(errors::value_error(ts, "base is not invertible for the given modulus")),
        };
        exponent = -exponent;
    }
    from_bigint(ts, &base.modpow(&exponent, &m))
}

fn negative_shift(ts: Ts) -> Raised {
    errors::value_error(ts, "negative shift count")
}

fn lshift(ts: Ts, x: Int, y: Int) -> PyResult<*mut PyObject> {
    if y.is_negative() {
        return Err(negative_shift(ts));
    }
    if x.is_zero() {
        return from_i64(ts, 0);
    }
    let count = match y.to_u64() {
        Some(n) if n <= isize::MAX as u64 => n,
        _ => return Err(errors::overflow_error(ts, "too many digits in integer")),
    };
    if x.bits() + count > MAX_BITS {
        return Err(errors::no_memory(ts));
    }
    match x {
        // |a| <= 2**63, so the shifted value stays below 2**126.
        Int::Small(a) if count < 64 => from_i128(ts, (a as i128) << count),
        x => from_bigint(ts, &(x.into_big() << count as usize)),
    }
}

/// `x >> y`, rounding towards minus infinity.
fn rshift(ts: Ts, x: Int, y: Int) -> PyResult<*mut PyObject> {
    if y.is_negative() {
        return Err(negative_shift(ts));
    }
    let count = match y.to_u64() {
        Some(n) if n < x.bits() => n,
        _ => return from_i64(ts, if x.is_negative() { -1 } else { 0 }),
    };
    match x {
        Int::Small(a) => from_i64(ts, a >> count),
        x => from_bigint(ts, &(x.into_big() >> count as usize)),
    }
}

fn and(ts: Ts, x: Int, y: Int) -> PyResult<*mut PyObject> {
    match (x, y) {
        (Int::Small(a), Int::Small(b)) => from_i64(ts, a & b),
        (x, y) => from_bigint(ts, &(x.into_big() & y.into_big())),
    }
}

fn or(ts: Ts, x: Int, y: Int) -> PyResult<*mut PyObject> {
    match (x, y) {
        (Int::Small(a), Int::Small(b)) => from_i64(ts, a | b),
        (x, y) => from_bigint(ts, &(x.into_big() | y.into_big())),
    }
}

fn xor(ts: Ts, x: Int, y: Int) -> PyResult<*mut PyObject> {
    match (x, y) {
        (Int::Small(a), Int::Small(b)) => from_i64(ts, a ^ b),
        (x, y) => from_bigint(ts, &(x.into_big() ^ y.into_big())),
    }
}

fn negate(ts: Ts, x: Int) -> PyResult<*mut PyObject> {
    match x {
        Int::Small(a) => from_i128(ts, -(a as i128)),
        Int::Big(b) => from_bigint(ts, &-b),
    }
}

fn absolute(ts: Ts, x: Int) -> PyResult<*mut PyObject> {
    match x {
        Int::Small(a) => from_i128(ts, (a as i128).abs()),
        Int::Big(b) => from_bigint(ts, &b.abs()),
    }
}

fn invert(ts: Ts, x: Int) -> PyResult<*mut PyObject> {
    match x {
        Int::Small(a) => from_i64(ts, !a),
        Int::Big(b) => from_bigint(ts, &!b),
    }
}

/// `hash(int)`: the value modulo 2**61 - 1, carrying the sign.
pub fn hash_value(o: *mut PyObject) -> Py_hash_t {
    if let Some(v) = unsafe { small_value(o) } {
        return hash::of_i64(v);
    }
    let modulus = hash::HASH_MODULUS as u128;
    let reduced = digits(o).iter().rev().fold(0u128, |acc, &d| ((acc << DIGIT_BITS) | d as u128) % modulus) as i64;
    hash::fix(if is_negative(o) { -reduced } else { reduced } as Py_hash_t)
}

// ---------------------------------------------------------------------------------
// Slots

fn binary_slot(a: *mut PyObject, b: *mut PyObject, op: fn(Ts, Int, Int) -> PyResult<*mut PyObject>) -> *mut PyObject {
    boundary::slot(|ts| {
        if !check(a) || !check(b) {
            return Ok(singletons::not_implemented());
        }
        unsafe { op(ts, Int::of(a), Int::of(b)) }
    })
}

fn unary_slot(a: *mut PyObject, op: fn(Ts, Int) -> PyResult<*mut PyObject>) -> *mut PyObject {
    boundary::slot(|ts| unsafe { op(ts, Int::of(a)) })
}

unsafe extern "C" fn int_add(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary_slot(a, b, add))
}

unsafe extern "C" fn int_subtract(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary_slot(a, b, subtract))
}

unsafe extern "C" fn int_multiply(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary_slot(a, b, multiply))
}

unsafe extern "C" fn int_remainder(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary_slot(a, b, remainder))
}

unsafe extern "C" fn int_divmod(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary_slot(a, b, divmod))
}

unsafe extern "C" fn int_floor_divide(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary_slot(a, b, floor_divide))
}

unsafe extern "C" fn int_true_divide(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary_slot(a, b, true_divide))
}

unsafe extern "C" fn int_lshift(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary_slot(a, b, lshift))
}

unsafe extern "C" fn int_rshift(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary_slot(a, b, rshift))
}

pub(crate) unsafe extern "C" fn int_and(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary_slot(a, b, and))
}

pub(crate) unsafe extern "C" fn int_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary_slot(a, b, or))
}

pub(crate) unsafe extern "C" fn int_xor(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| binary_slot(a, b, xor))
}

/// `pow(a, b[, m])`: a negative exponent without modulus gives a float.
unsafe extern "C" fn int_power(a: *mut PyObject, b: *mut PyObject, m: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        let no_modulus = m.is_null() || m == singletons::none();
        if !check(a) || !check(b) || !(no_modulus || check(m)) {
            return Ok(singletons::not_implemented());
        }
        let (x, y) = unsafe { (Int::of(a), Int::of(b)) };
        if !no_modulus {
            return power_modulo(ts, x, y, unsafe { Int::of(m) });
        }
        if y.is_negative() {
            return float::power(ts, a, b);
        }
        power(ts, x, y)
    })
}

unsafe extern "C" fn int_negative(a: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| unary_slot(a, negate))
}

unsafe extern "C" fn int_absolute(a: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| unary_slot(a, absolute))
}

unsafe extern "C" fn int_invert(a: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| unary_slot(a, invert))
}

/// `+a`, `int(a)` and `a.__index__()`: the value as an exact int.
unsafe extern "C" fn int_exact(a: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| exact_copy(ts, a))
}

unsafe extern "C" fn int_float(a: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| to_f64(ts, a).and_then(|v| float::from_f64(ts, v)))
}

unsafe extern "C" fn int_bool(a: *mut PyObject) -> c_int {
    boundary::guard(|| !is_zero(a) as c_int)
}

unsafe extern "C" fn int_repr(a: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| to_decimal(ts, a).and_then(|text| unicode::from_str(ts, &text)))
}

unsafe extern "C" fn int_hash(a: *mut PyObject) -> Py_hash_t {
    boundary::guard(|| hash_value(a))
}

unsafe extern "C" fn int_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    boundary::guard(|| {
        if !check(a) || !check(b) {
            return singletons::not_implemented();
        }
        let ordering = unsafe { compare(Int::of(a), Int::of(b)) };
        bool_::from_bool(ordering_satisfies(ordering, op))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ratio(n: u128, d: u128) -> f64 {
        ratio_to_f64(&BigUint::from(n), &BigUint::from(d)).unwrap()
    }

    #[test]
    fn ratios_round_once_to_nearest_even() {
        assert_eq!(ratio(1, 3), 1.0 / 3.0);
        assert_eq!(ratio(2, 3), 2.0 / 3.0);
        assert_eq!(ratio(10, 4), 2.5);
        // 2**53 + 1 is halfway between two doubles: ties go to the even one.
        assert_eq!(ratio((1 << 53) + 1, 1), 9007199254740992.0);
        assert_eq!(ratio((1 << 53) + 3, 1), 9007199254740996.0);
        // Just above halfway rounds up.
        assert_eq!(ratio((1 << 54) + 3, 2), 9007199254740994.0);
        assert_eq!(ratio(u128::MAX, 1), 3.402823669209385e38);
        assert_eq!(ratio(10u128.pow(30), 10u128.pow(15)), 1e15);
        assert_eq!(ratio(1, 10), 0.1);
    }

    #[test]
    fn ratios_at_the_edges_of_the_double_range() {
        let one = BigUint::one();
        let tiny = ratio_to_f64(&one, &(BigUint::one() << 1074usize)).unwrap();
        assert_eq!(tiny, 5e-324);
        let below_half = ratio_to_f64(&one, &(BigUint::one() << 1076usize)).unwrap();
        assert_eq!(below_half, 0.0);
        let huge = ratio_to_f64(&(BigUint::one() << 1023usize), &one).unwrap();
        assert_eq!(huge, 2f64.powi(1023));
        let too_big = ratio_to_f64(&(BigUint::one() << 1024usize), &one);
        assert!(too_big.is_none_or(|v| v.is_infinite()));
        // Rounds up past the largest double.
        let max_plus = (BigUint::one() << 1024usize) - (BigUint::one() << 970usize);
        assert!(ratio_to_f64(&max_plus, &one).is_none_or(|v| v.is_infinite()));
        let max = (BigUint::one() << 1024usize) - (BigUint::one() << 971usize);
        assert_eq!(ratio_to_f64(&max, &one), Some(f64::MAX));
    }

    /// The digits of `v`, computed bit by bit rather than limb by limb.
    fn digits_by_shifting(v: &BigUint) -> Vec<u32> {
        let mask = BigUint::from(DIGIT_MASK);
        let mut out = Vec::new();
        let mut rest = v.clone();
        while !rest.is_zero() {
            out.push((&rest & &mask).to_u32().unwrap());
            rest >>= DIGIT_BITS as usize;
        }
        out
    }

    #[test]
    fn magnitudes_split_into_30_bit_digits_and_back() {
        let one = BigUint::one();
        let values = [
            one.clone(),
            BigUint::from(DIGIT_MASK),
            BigUint::from(1u64 << 30),
            BigUint::from(u64::MAX),
            (&one << 64usize) + 1u32,
            (&one << 65usize) - 1u32,
            (&one << 100usize) + 5u32,
            BigUint::from(u128::MAX),
            (&one << 1000usize) - 12345u32,
        ];
        for v in values {
            let mut digits = vec![0u32; digits_for_bits(v.bits())];
            fill_digits(&mut digits, v.iter_u64_digits());
            assert_eq!(digits, digits_by_shifting(&v), "{v}");
            assert_eq!(biguint_from_digits(&digits), v);
        }
        // 2**100 + 5: digits 5, 0, 0, 1 << 10.
        let mut digits = [0u32; 4];
        fill_digits(&mut digits, ((&one << 100usize) + 5u32).iter_u64_digits());
        assert_eq!(digits, [5, 0, 0, 1 << 10]);
    }

    #[test]
    fn floats_convert_exactly() {
        assert_eq!(integral_f64_to_bigint(1e20), BigInt::from(100000000000000000000u128));
        assert_eq!(integral_f64_to_bigint(-3.0), BigInt::from(-3));
        assert_eq!(integral_f64_to_bigint(2f64.powi(100)), BigInt::one() << 100usize);
    }
}
