//! Hash functions shared by the builtin types.
//!
//! Numbers hash as CPython defines it (reduction modulo the Mersenne prime 2**61 - 1),
//! so that equal ints, floats and bools hash alike. Text and bytes hash with
//! SipHash-1-3 under a 128-bit key chosen at every runtime start, as CPython 3.13
//! does: random by default, zero or derived from `PyConfig.hash_seed` when the
//! configuration asks for a fixed seed, so that a given seed gives CPython's values.

use crate::abi::Py_hash_t;
use core::ffi::{c_ulong, c_void};
use siphasher::sip::SipHasher13;
use std::sync::atomic::{AtomicU64, Ordering};

pub(crate) const HASH_BITS: u32 = 61;
pub(crate) const HASH_MODULUS: u64 = (1 << HASH_BITS) - 1;
pub(crate) const HASH_INF: Py_hash_t = 314_159;

/// The SipHash key (k0, k1). Written only while no interpreter exists (at runtime
/// start), read by every interpreter of the runtime.
static KEY: [AtomicU64; 2] = [AtomicU64::new(0), AtomicU64::new(0)];

/// How the runtime picks its key: `PyConfig.use_hash_seed` and `hash_seed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashSeed {
    /// A key from the operating system's random source (the default).
    Random,
    /// A key derived from the seed; 0 is the zero key (no randomization).
    Fixed(c_ulong),
}

impl HashSeed {
    /// The choice a `PyConfig` makes: a fixed seed only when `use_hash_seed` is
    /// positive (isle reads no `PYTHONHASHSEED`, so -1, "not set", means random).
    pub fn from_config(use_hash_seed: core::ffi::c_int, hash_seed: c_ulong) -> HashSeed {
        if use_hash_seed > 0 {
            HashSeed::Fixed(hash_seed)
        } else {
            HashSeed::Random
        }
    }
}

/// The operating system gave no random bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoRandomness;

/// Sets the key for a runtime about to start. Call before any text is hashed.
pub fn choose_key(seed: HashSeed) -> Result<(), NoRandomness> {
    let key = match seed {
        HashSeed::Random => random_key()?,
        HashSeed::Fixed(0) => [0; 16],
        // CPython reads the seed as a C `unsigned int`.
        HashSeed::Fixed(s) => key_from_seed(s as u32),
    };
    KEY[0].store(u64::from_le_bytes(key[..8].try_into().unwrap()), Ordering::Relaxed);
    KEY[1].store(u64::from_le_bytes(key[8..].try_into().unwrap()), Ordering::Relaxed);
    Ok(())
}

/// The key bytes CPython derives from a seed: each byte is bits 16..23 of the next
/// state of the linear congruential generator x' = x * 214013 + 2531011 (mod 2**32).
fn key_from_seed(seed: u32) -> [u8; 16] {
    let mut x = seed;
    core::array::from_fn(|_| {
        x = x.wrapping_mul(214_013).wrapping_add(2_531_011);
        (x >> 16) as u8
    })
}

/// 16 bytes from getrandom(2), without blocking; /dev/urandom when the entropy pool
/// is not ready yet or the system call is missing (as CPython does at start-up).
fn random_key() -> Result<[u8; 16], NoRandomness> {
    let mut key = [0u8; 16];
    let mut filled = 0;
    while filled < key.len() {
        let rest = &mut key[filled..];
        // SAFETY: the buffer is `rest.len()` writable bytes.
        let n = unsafe { libc::getrandom(rest.as_mut_ptr() as *mut c_void, rest.len(), libc::GRND_NONBLOCK) };
        if n > 0 {
            filled += n as usize;
            continue;
        }
        match std::io::Error::last_os_error().raw_os_error() {
            Some(libc::EINTR) => continue,
            _ => return urandom(&mut key),
        }
    }
    Ok(key)
}

fn urandom(key: &mut [u8; 16]) -> Result<[u8; 16], NoRandomness> {
    use std::io::Read;
    let mut f = std::fs::File::open("/dev/urandom").map_err(|_| NoRandomness)?;
    f.read_exact(key).map_err(|_| NoRandomness)?;
    Ok(*key)
}

/// Hash of a byte string (`_Py_HashBytes`): SipHash-1-3 under the runtime's key;
/// the empty string hashes to 0.
pub fn bytes(data: &[u8]) -> Py_hash_t {
    if data.is_empty() {
        return 0;
    }
    fix(siphash13(data))
}

/// SipHash-1-3 of `data` under the runtime's key, as it comes (the function
/// `PyHash_GetFuncDef` describes: no special case for empty data or -1).
pub fn siphash13(data: &[u8]) -> Py_hash_t {
    keyed(KEY[0].load(Ordering::Relaxed), KEY[1].load(Ordering::Relaxed), data)
}

fn keyed(k0: u64, k1: u64, data: &[u8]) -> Py_hash_t {
    SipHasher13::new_with_keys(k0, k1).hash(data) as Py_hash_t
}

/// The width of the hash, and of the key, in bits.
pub(crate) const HASH_WIDTH_BITS: i32 = 64;
pub(crate) const KEY_BITS: i32 = 128;

/// Hash of an address (`Py_HashPointer`): rotated by 4 bits, since objects are
/// 16-byte aligned and the low bits would all collide.
pub fn pointer(p: *const c_void) -> Py_hash_t {
    fix((p as usize).rotate_right(4) as Py_hash_t)
}

/// Hash of a float's value (`_Py_HashDouble`); a NaN, equal only to itself, hashes
/// by the address of the object `inst` holding it.
pub fn of_double(inst: *const c_void, v: f64) -> Py_hash_t {
    if v.is_nan() {
        return pointer(inst);
    }
    of_f64(v)
}

/// -1 is the error value of hash functions: never return it.
#[inline]
pub fn fix(h: Py_hash_t) -> Py_hash_t {
    if h == -1 {
        -2
    } else {
        h
    }
}

/// Hash of an integer that fits in an i64.
pub fn of_i64(v: i64) -> Py_hash_t {
    let m = (v.unsigned_abs() % HASH_MODULUS) as i64;
    fix(if v < 0 { -m } else { m } as Py_hash_t)
}

/// Hash of a float that is not a NaN, equal to the hash of an int of the same value.
fn of_f64(v: f64) -> Py_hash_t {
    if v.is_infinite() {
        return if v > 0.0 { HASH_INF } else { -HASH_INF };
    }
    let (mut m, mut e) = frexp(v.abs());
    let mut x: u64 = 0;
    while m != 0.0 {
        x = ((x << 28) & HASH_MODULUS) | (x >> (HASH_BITS - 28));
        m *= 268_435_456.0;
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        x += y;
        if x >= HASH_MODULUS {
            x -= HASH_MODULUS;
        }
    }
    let e = if e >= 0 { e % HASH_BITS as i32 } else { HASH_BITS as i32 - 1 - ((-1 - e) % HASH_BITS as i32) };
    x = ((x << e) & HASH_MODULUS) | (x >> (HASH_BITS as i32 - e));
    let h = x as i64;
    fix(if v < 0.0 { -h } else { h } as Py_hash_t)
}

fn frexp(v: f64) -> (f64, i32) {
    if v == 0.0 || !v.is_finite() {
        return (v, 0);
    }
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        let (m, e) = frexp(v * (1u64 << 54) as f64);
        return (m, e - 54);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp - 1022)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_and_float_hashes_agree() {
        for v in [0i64, 1, -1, 2, 1 << 40, -(1 << 52), 123456789] {
            assert_eq!(of_i64(v), of_f64(v as f64), "value {v}");
        }
        assert_eq!(of_i64(-1), -2);
        assert_eq!(of_f64(0.5), 1 << 60);
    }

    /// The hash under the key a seed gives (the global key is left alone: other
    /// tests hash text concurrently).
    fn seeded(seed: u32, data: &[u8]) -> Py_hash_t {
        if data.is_empty() {
            return 0;
        }
        let key = if seed == 0 { [0; 16] } else { key_from_seed(seed) };
        let (k0, k1) = (key[..8].try_into().unwrap(), key[8..].try_into().unwrap());
        fix(keyed(u64::from_le_bytes(k0), u64::from_le_bytes(k1), data))
    }

    #[test]
    fn text_hashes_match_cpython_under_a_fixed_seed() {
        // CPython 3.13 with PYTHONHASHSEED=0 and =42: hash(b'abc'), hash('\u00e9')
        // (one byte per character), hash('\u20ac') (two), hash('\U0001f600x') (four).
        assert_eq!(seeded(0, b"abc"), -4594863902769663758);
        assert_eq!(seeded(0, &[0xe9]), 6047309291227476195);
        assert_eq!(seeded(0, &[0xac, 0x20]), -5529981157763016009);
        assert_eq!(seeded(0, &[0x00, 0xf6, 0x01, 0x00, b'x', 0, 0, 0]), -8926728262118538918);
        assert_eq!(seeded(42, b"abc"), 3869580338025362921);
        assert_eq!(seeded(42, &[0xe9]), 5653850369683463245);
        assert_eq!(seeded(4294967295, b"abc"), -6122489556238538401);
        assert_eq!(seeded(1, &[b'a'; 100]), -8353280118088029196);
    }

    #[test]
    fn empty_input_hashes_to_zero_under_any_key() {
        assert_eq!(seeded(0, b""), 0);
        assert_eq!(seeded(7, b""), 0);
    }

    #[test]
    fn seeds_give_distinct_keys() {
        assert_ne!(key_from_seed(1), key_from_seed(2));
        assert_ne!(random_key().unwrap(), random_key().unwrap());
    }

    #[test]
    fn pointers_rotate_and_nan_hashes_by_identity() {
        assert_eq!(pointer(0x1230 as *const c_void), 0x123);
        assert_eq!(pointer(usize::MAX as *const c_void), -2);
        let (a, b) = (0x1000 as *const c_void, 0x2000 as *const c_void);
        assert_ne!(of_double(a, f64::NAN), of_double(b, f64::NAN));
        assert_eq!(of_double(a, 1.5), of_double(b, 1.5));
    }
}
