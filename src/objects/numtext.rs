//! Text forms of numbers, as Python writes and reads them: the shortest round-trip
//! `repr` of floats, the literal grammars of `int(text, base)` and `float(text)`, and
//! the quoting used to show the rejected text in error messages.
//!
//! Everything here is pure (no objects, no exceptions), so it is unit tested directly.

use num_bigint::BigUint;

/// The largest number of decimal digits `int` converts to or from text (CPython's
/// default `sys.int_info.default_max_str_digits`).
pub(crate) const MAX_STR_DIGITS: usize = 4300;

/// Below this many digits CPython does not check the limit at all.
const MAX_STR_DIGITS_THRESHOLD: usize = 640;

/// `repr(float)`: the shortest digits that read back to the same double, in fixed
/// notation unless the decimal exponent is below -4 or at least 16.
pub fn float_repr(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.into();
    }
    // Rust's `{:e}` already yields the shortest round-trip digits: "d[.ddd]eN".
    let scientific = format!("{:e}", v.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let mut out = String::with_capacity(digits.len() + 8);
    if v.is_sign_negative() {
        out.push('-');
    }
    if !(-4..16).contains(&exponent) {
        push_exponent_form(&mut out, &digits, exponent);
    } else {
        push_fixed_form(&mut out, &digits, exponent + 1);
    }
    out
}

fn push_exponent_form(out: &mut String, digits: &str, exponent: i32) {
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    let sign = if exponent < 0 { '-' } else { '+' };
    out.push_str(&format!("e{sign}{:02}", exponent.unsigned_abs()));
}

/// `point` is where the decimal point goes, counted in digits from the left.
fn push_fixed_form(out: &mut String, digits: &str, point: i32) {
    if point <= 0 {
        out.push_str("0.");
        out.extend(core::iter::repeat_n('0', (-point) as usize));
        out.push_str(digits);
    } else if (point as usize) < digits.len() {
        out.push_str(&digits[..point as usize]);
        out.push('.');
        out.push_str(&digits[point as usize..]);
    } else {
        out.push_str(digits);
        out.extend(core::iter::repeat_n('0', point as usize - digits.len()));
        out.push_str(".0");
    }
}

/// Python's whitespace test for bytes (`Py_ISSPACE`).
pub fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// The text of a `str` as ASCII bytes for the number parsers: Unicode whitespace
/// becomes a space and any other non-ASCII character a `?`, which no grammar accepts.
pub fn ascii_for_parsing(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            c if c.is_ascii() => c as u8,
            c if c.is_whitespace() => b' ',
            _ => b'?',
        })
        .collect()
}

/// The value of a digit character in bases up to 36; 37 for anything else.
fn digit_value(b: u8) -> u32 {
    match b {
        b'0'..=b'9' => (b - b'0') as u32,
        b'a'..=b'z' => (b - b'a') as u32 + 10,
        b'A'..=b'Z' => (b - b'A') as u32 + 10,
        _ => 37,
    }
}

/// A parsed int literal: sign, magnitude, and where parsing stopped (the end of the
/// text on success).
#[derive(Debug, PartialEq)]
pub struct IntLiteral {
    pub negative: bool,
    pub magnitude: BigUint,
    pub end: usize,
}

#[derive(Debug, PartialEq)]
pub enum IntLiteralError {
    /// Not a literal: `pos` is where parsing stopped, `base` the base to report.
    Syntax { pos: usize, base: u32 },
    /// A decimal-like literal with more digits than `MAX_STR_DIGITS`.
    TooManyDigits(usize),
}

/// Parses `text` as `PyLong_FromString` does: surrounding whitespace, a sign, a
/// base prefix (base 0 picks the base from it), digits with single underscores
/// between them. `base` is 0 or 2..=36 (checked by the caller).
pub fn parse_int(text: &[u8], base: u32) -> Result<IntLiteral, IntLiteralError> {
    let at = |i: usize| text.get(i).copied().unwrap_or(0);
    let mut i = 0;
    while is_ascii_space(at(i)) {
        i += 1;
    }
    let negative = at(i) == b'-';
    if matches!(at(i), b'+' | b'-') {
        i += 1;
    }
    let mut base = base;
    let mut old_octal = false;
    if base == 0 {
        base = match (at(i), at(i + 1).to_ascii_lowercase()) {
            (b'0', b'x') => 16,
            (b'0', b'o') => 8,
            (b'0', b'b') => 2,
            (b'0', _) => {
                // "0777" was octal once; now only zeros may be written this way.
                old_octal = true;
                10
            }
            _ => 10,
        };
    }
    let prefix = match base {
        16 => b'x',
        8 => b'o',
        2 => b'b',
        _ => 0,
    };
    if prefix != 0 && at(i) == b'0' && at(i + 1).to_ascii_lowercase() == prefix {
        i += 2;
        if at(i) == b'_' {
            i += 1;
        }
    }
    let (digits, count, end) = scan_digits(text, i, base).map_err(|pos| IntLiteralError::Syntax { pos, base })?;
    let binary_base = base.is_power_of_two();
    if !binary_base && count > MAX_STR_DIGITS_THRESHOLD && count > MAX_STR_DIGITS {
        return Err(IntLiteralError::TooManyDigits(count));
    }
    let magnitude = BigUint::from_radix_be(&digits, base).unwrap_or_default();
    if old_octal && magnitude != BigUint::default() {
        return Err(IntLiteralError::Syntax { pos: end, base: 0 });
    }
    Ok(IntLiteral { negative, magnitude, end })
}

/// Reads the digits from `start`: their values, how many, and the end of the text
/// (after trailing whitespace). Fails with the position where reading stopped.
fn scan_digits(text: &[u8], start: usize, base: u32) -> Result<(Vec<u8>, usize, usize), usize> {
    let at = |i: usize| text.get(i).copied().unwrap_or(0);
    if at(start) == b'_' {
        return Err(start);
    }
    let mut digits = Vec::new();
    let mut i = start;
    let mut previous = 0u8;
    while digit_value(at(i)) < base || at(i) == b'_' {
        if at(i) == b'_' {
            if previous == b'_' {
                return Err(i - 1);
            }
        } else {
            digits.push(digit_value(at(i)) as u8);
        }
        previous = at(i);
        i += 1;
    }
    if previous == b'_' {
        return Err(i - 1);
    }
    if i == start {
        return Err(start);
    }
    while i < text.len() && is_ascii_space(text[i]) {
        i += 1;
    }
    if i != text.len() {
        return Err(i);
    }
    let count = digits.len();
    Ok((digits, count, i))
}

/// Parses `float(text)`: surrounding whitespace, a sign, a decimal literal with an
/// optional exponent (single underscores allowed between digits), or `inf`,
/// `infinity`, `nan` in any case. None when the text is not a float literal.
pub fn parse_float(text: &[u8]) -> Option<f64> {
    let cleaned = without_underscores(text)?;
    let mut s = cleaned.as_slice();
    while let [first, rest @ ..] = s {
        if !is_ascii_space(*first) {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !is_ascii_space(*last) {
            break;
        }
        s = rest;
    }
    let (negative, body) = match s {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, s),
    };
    let magnitude = if let Some(special) = special_float(body) {
        special
    } else {
        if !is_decimal_literal(body) {
            return None;
        }
        core::str::from_utf8(body).ok()?.parse::<f64>().ok()?
    };
    Some(if negative { -magnitude } else { magnitude })
}

fn special_float(body: &[u8]) -> Option<f64> {
    let lower = body.to_ascii_lowercase();
    match lower.as_slice() {
        b"inf" | b"infinity" => Some(f64::INFINITY),
        b"nan" => Some(f64::NAN),
        _ => None,
    }
}

/// digits [. digits] or . digits, then an optional exponent; at least one digit.
fn is_decimal_literal(s: &[u8]) -> bool {
    let digits = |s: &[u8], i: usize| s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut i = digits(s, 0);
    let mut mantissa_digits = i;
    if s.get(i) == Some(&b'.') {
        i += 1;
        let fraction = digits(s, i);
        mantissa_digits += fraction;
        i += fraction;
    }
    if mantissa_digits == 0 {
        return false;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exponent = digits(s, i);
        if exponent == 0 {
            return false;
        }
        i += exponent;
    }
    i == s.len()
}

/// Drops the underscores of a numeric literal, each of which must sit between two
/// digits. None when one does not.
fn without_underscores(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    for (i, &b) in text.iter().enumerate() {
        if b != b'_' {
            out.push(b);
            continue;
        }
        let before = i > 0 && text[i - 1].is_ascii_digit();
        let after = text.get(i + 1).is_some_and(|c| c.is_ascii_digit());
        if !(before && after) {
            return None;
        }
    }
    Some(out)
}

/// `repr(str)`: the text in quotes, with backslash escapes for the quote, the
/// backslash and characters that do not print.
pub fn quote_str(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            c if c == quote || c == '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            ' ' => out.push(' '),
            c if c.is_ascii_graphic() => out.push(c),
            c if !c.is_ascii() && !c.is_control() && !c.is_whitespace() => out.push(c),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push(quote);
    out
}

/// `repr(bytes)`: `b'...'` with escapes for everything outside printable ASCII.
pub fn quote_bytes(data: &[u8]) -> String {
    let quote = if data.contains(&b'\'') && !data.contains(&b'"') { b'"' } else { b'\'' };
    let mut out = String::with_capacity(data.len() + 3);
    out.push('b');
    out.push(quote as char);
    for &b in data {
        match b {
            b if b == quote || b == b'\\' => {
                out.push('\\');
                out.push(b as char);
            }
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b' '..=b'~' => out.push(b as char),
            b => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push(quote as char);
    out
}

/// At most `n` characters of `text` (the `%.200R` of CPython's messages).
pub fn truncate_chars(text: &str, n: usize) -> &str {
    match text.char_indices().nth(n) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_repr_matches_python() {
        let cases: &[(f64, &str)] = &[
            (1.0, "1.0"),
            (0.1, "0.1"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1e-5, "1e-05"),
            (1e-4, "0.0001"),
            (0.1 + 0.2, "0.30000000000000004"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (1.5e300, "1.5e+300"),
            (5e-324, "5e-324"),
            (-2.5, "-2.5"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (1234.5678, "1234.5678"),
            (f64::MAX, "1.7976931348623157e+308"),
        ];
        for &(v, text) in cases {
            assert_eq!(float_repr(v), text, "repr of {v:?}");
        }
    }

    fn int_ok(text: &str, base: u32) -> (bool, BigUint) {
        let r = parse_int(text.as_bytes(), base).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
        assert_eq!(r.end, text.len());
        (r.negative, r.magnitude)
    }

    #[test]
    fn int_literals() {
        assert_eq!(int_ok("  -42 \n", 10), (true, 42u32.into()));
        assert_eq!(int_ok("0x_ff", 0), (false, 255u32.into()));
        assert_eq!(int_ok("0o17", 0), (false, 15u32.into()));
        assert_eq!(int_ok("0B1_0", 0), (false, 2u32.into()));
        assert_eq!(int_ok("ff", 16), (false, 255u32.into()));
        assert_eq!(int_ok("0xff", 16), (false, 255u32.into()));
        assert_eq!(int_ok("1_000_000", 10), (false, 1_000_000u32.into()));
        assert_eq!(int_ok("000", 0), (false, 0u32.into()));
        assert_eq!(int_ok("zz", 36), (false, 1295u32.into()));
    }

    #[test]
    fn int_literal_errors() {
        let err = |t: &str, b| parse_int(t.as_bytes(), b).unwrap_err();
        assert_eq!(err("", 10), IntLiteralError::Syntax { pos: 0, base: 10 });
        assert_eq!(err("12a", 10), IntLiteralError::Syntax { pos: 2, base: 10 });
        assert_eq!(err("1__0", 10), IntLiteralError::Syntax { pos: 1, base: 10 });
        assert_eq!(err("_1", 10), IntLiteralError::Syntax { pos: 0, base: 10 });
        assert_eq!(err("1_", 10), IntLiteralError::Syntax { pos: 1, base: 10 });
        assert_eq!(err("010", 0), IntLiteralError::Syntax { pos: 3, base: 0 });
        assert_eq!(err("0x", 0), IntLiteralError::Syntax { pos: 2, base: 16 });
        assert_eq!(err("- 1", 10), IntLiteralError::Syntax { pos: 1, base: 10 });
        assert_eq!(err("12 3", 10), IntLiteralError::Syntax { pos: 3, base: 10 });
        let many = "1".repeat(MAX_STR_DIGITS + 1);
        assert_eq!(err(&many, 10), IntLiteralError::TooManyDigits(MAX_STR_DIGITS + 1));
        assert!(parse_int("1".repeat(5000).as_bytes(), 16).is_ok());
    }

    #[test]
    fn float_literals() {
        let ok = |t: &str| parse_float(t.as_bytes());
        assert_eq!(ok(" 1.5 "), Some(1.5));
        assert_eq!(ok("-.5e1"), Some(-5.0));
        assert_eq!(ok("1_000.000_1"), Some(1000.0001));
        assert_eq!(ok("1."), Some(1.0));
        assert_eq!(ok("1.e5"), Some(100000.0));
        assert_eq!(ok("+.5E-1"), Some(0.05));
        assert_eq!(ok("\t-0\n"), Some(-0.0));
        assert_eq!(ok("-Infinity"), Some(f64::NEG_INFINITY));
        assert!(ok("nan").unwrap().is_nan());
        assert_eq!(ok("1e500"), Some(f64::INFINITY));
        for bad in ["", " ", ".", "1e", "e5", "1_", "_1", "1__0", "1._5", "0x10", "1.5f", "in f", "- 1"] {
            assert_eq!(ok(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn quoting() {
        assert_eq!(quote_str("x"), "'x'");
        assert_eq!(quote_str("it's"), "\"it's\"");
        assert_eq!(quote_str("a'\"\n\u{1}é"), "'a\\'\"\\n\\x01é'");
        assert_eq!(quote_bytes(b"a\xff'"), "b\"a\\xff'\"");
        assert_eq!(truncate_chars("héllo", 2), "hé");
    }
}
