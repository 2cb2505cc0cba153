//! Hash functions shared by the builtin types.
//!
//! Numbers hash as CPython defines it (reduction modulo the Mersenne prime 2**61 - 1),
//! so that equal ints, floats and bools hash alike. Text and bytes use a fast
//! multiply-rotate hash; it is not randomized.

use crate::abi::Py_hash_t;

pub(crate) const HASH_BITS: u32 = 61;
pub(crate) const HASH_MODULUS: u64 = (1 << HASH_BITS) - 1;
pub(crate) const HASH_INF: Py_hash_t = 314_159;

/// Hash of a byte string.
pub fn bytes(data: &[u8]) -> Py_hash_t {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ (data.len() as u64).wrapping_mul(K);
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().unwrap());
        h = (h ^ w).wrapping_mul(K).rotate_left(29);
    }
    let mut tail = [0u8; 8];
    let rest = chunks.remainder();
    tail[..rest.len()].copy_from_slice(rest);
    h = (h ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    h ^= h >> 32;
    h = h.wrapping_mul(K);
    h ^= h >> 29;
    fix(h as Py_hash_t)
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

/// Hash of a float, equal to the hash of an int of the same value.
pub fn of_f64(v: f64) -> Py_hash_t {
    if v.is_infinite() {
        return if v > 0.0 { HASH_INF } else { -HASH_INF };
    }
    if v.is_nan() {
        return 0;
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

    #[test]
    fn byte_hash_distinguishes_and_repeats() {
        assert_eq!(bytes(b"abc"), bytes(b"abc"));
        assert_ne!(bytes(b"abc"), bytes(b"abd"));
        assert_ne!(bytes(b""), bytes(b"\0"));
    }
}
