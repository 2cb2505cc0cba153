//! The codecs of `str` that need no codec registry: UTF-8, Latin-1 and ASCII with the
//! error handlers "strict", "replace", "ignore", "surrogateescape" and
//! "backslashreplace"; wide characters; and the file-system encoding, which on Linux
//! is UTF-8 with "surrogateescape".

use super::exceptions::{exc, Exc};
use super::unicode::{self, from_code_points, from_str, MAX_UNICODE};
use crate::abi::*;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ffi::{c_char, c_int, CStr};

/// How a codec treats input it cannot convert.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Errors<'a> {
    Strict,
    Replace,
    Ignore,
    SurrogateEscape,
    BackslashReplace,
    /// A name no handler has. As in CPython, it is an error only once some input
    /// actually needs handling.
    Unknown(&'a str),
}

impl<'a> Errors<'a> {
    pub fn from_name(name: &'a str) -> Errors<'a> {
        match name {
            "strict" => Errors::Strict,
            "replace" => Errors::Replace,
            "ignore" => Errors::Ignore,
            "surrogateescape" => Errors::SurrogateEscape,
            "backslashreplace" => Errors::BackslashReplace,
            other => Errors::Unknown(other),
        }
    }

    /// Reads a C error-handler name; NULL means "strict".
    ///
    /// # Safety
    /// `name` is NULL or a NUL-terminated string that outlives the result.
    pub unsafe fn from_c(name: *const c_char) -> Errors<'a> {
        if name.is_null() {
            return Errors::Strict;
        }
        match unsafe { CStr::from_ptr(name) }.to_str() {
            Ok(text) => Errors::from_name(text),
            Err(_) => Errors::Unknown("?"),
        }
    }
}

fn unknown_handler(ts: Ts, name: &str) -> Raised {
    errors::set_string(ts, exc(Exc::LookupError), &format!("unknown error handler name '{name}'"))
}

/// The encodings decoded without a codec registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Latin1,
    Ascii,
}

/// Finds an encoding by any of its usual names (case, `-` and `_` do not matter);
/// `LookupError` for the others.
pub fn lookup_encoding(ts: Ts, name: &str) -> PyResult<Encoding> {
    let normal: String =
        name.chars().map(|c| if c == '-' || c == ' ' { '_' } else { c.to_ascii_lowercase() }).collect();
    match normal.as_str() {
        "utf_8" | "utf8" | "u8" | "utf" | "cp65001" => Ok(Encoding::Utf8),
        "latin_1" | "latin1" | "latin" | "l1" | "iso_8859_1" | "iso8859_1" | "8859" | "cp819" | "iso_ir_100" => {
            Ok(Encoding::Latin1)
        }
        "ascii" | "us_ascii" | "646" | "us" | "cp367" | "iso646_us" | "csascii" => Ok(Encoding::Ascii),
        _ => Err(errors::set_string(ts, exc(Exc::LookupError), &format!("unknown encoding: {name}"))),
    }
}

/// A str from `bytes` in `encoding`.
pub fn decode(ts: Ts, bytes: &[u8], encoding: Encoding, handler: Errors) -> PyResult<*mut PyObject> {
    match encoding {
        Encoding::Utf8 => decode_utf8(ts, bytes, handler),
        Encoding::Latin1 => decode_latin1(ts, bytes),
        Encoding::Ascii => decode_ascii(ts, bytes, handler),
    }
}

/// A stretch of input a decoder could not decode.
struct DecodeError<'a> {
    encoding: &'static str,
    input: &'a [u8],
    start: usize,
    end: usize,
    reason: &'static str,
}

impl DecodeError<'_> {
    fn raise(&self, ts: Ts) -> Raised {
        let Self { encoding, input, start, end, reason } = self;
        let message = if end - start == 1 {
            format!("'{encoding}' codec can't decode byte 0x{:02x} in position {start}: {reason}", input[*start])
        } else {
            format!("'{encoding}' codec can't decode bytes in position {start}-{}: {reason}", end - 1)
        };
        errors::set_string(ts, exc(Exc::UnicodeDecodeError), &message)
    }

    /// Applies `handler`: appends its replacement to `out`, or raises.
    fn handle(&self, ts: Ts, handler: Errors, out: &mut Vec<u32>) -> PyResult<()> {
        let bad = &self.input[self.start..self.end];
        match handler {
            Errors::Strict => return Err(self.raise(ts)),
            Errors::Replace => out.push(0xFFFD),
            Errors::Ignore => {}
            // Only bytes 0x80..0xFF have a surrogate; ASCII stays an error.
            Errors::SurrogateEscape if bad.iter().all(|&b| b >= 0x80) => {
                out.extend(bad.iter().map(|&b| 0xDC00 + b as u32))
            }
            Errors::SurrogateEscape => return Err(self.raise(ts)),
            Errors::BackslashReplace => {
                for &b in bad {
                    out.extend(format!("\\x{b:02x}").chars().map(u32::from));
                }
            }
            Errors::Unknown(name) => return Err(unknown_handler(ts, name)),
        }
        Ok(())
    }
}

/// Why the invalid UTF-8 `input[start..start + n]` could not be decoded.
fn utf8_error_reason(input: &[u8], start: usize, n: usize) -> &'static str {
    let needed = match input[start] {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return "invalid start byte",
    };
    if start + n == input.len() && n < needed {
        "unexpected end of data"
    } else {
        "invalid continuation byte"
    }
}

/// A str from UTF-8 bytes.
pub fn decode_utf8(ts: Ts, bytes: &[u8], handler: Errors) -> PyResult<*mut PyObject> {
    // Most text handed to the API is ASCII: copy it without a UTF-8 validation pass.
    if bytes.is_ascii() {
        return unicode::from_ascii(ts, bytes);
    }
    if let Ok(text) = core::str::from_utf8(bytes) {
        return from_str(ts, text);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut pos = 0;
    for chunk in bytes.utf8_chunks() {
        out.extend(chunk.valid().chars().map(u32::from));
        pos += chunk.valid().len();
        let n = chunk.invalid().len();
        if n > 0 {
            let reason = utf8_error_reason(bytes, pos, n);
            DecodeError { encoding: "utf-8", input: bytes, start: pos, end: pos + n, reason }
                .handle(ts, handler, &mut out)?;
            pos += n;
        }
    }
    from_code_points(ts, &out)
}

/// A str from Latin-1 bytes: each byte is the code point of the same value.
pub fn decode_latin1(ts: Ts, bytes: &[u8]) -> PyResult<*mut PyObject> {
    let max = bytes.iter().copied().max().unwrap_or(0) as u32;
    unicode::from_chars(ts, bytes.len(), max, bytes.iter().map(|&b| b as u32))
}

/// A str from ASCII bytes; each byte above 127 is an error of its own.
pub fn decode_ascii(ts: Ts, bytes: &[u8], handler: Errors) -> PyResult<*mut PyObject> {
    if bytes.is_ascii() {
        return decode_latin1(ts, bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        if b < 0x80 {
            out.push(b as u32);
            continue;
        }
        DecodeError { encoding: "ascii", input: bytes, start: i, end: i + 1, reason: "ordinal not in range(128)" }
            .handle(ts, handler, &mut out)?;
    }
    from_code_points(ts, &out)
}

fn is_surrogate(c: u32) -> bool {
    (0xD800..=0xDFFF).contains(&c)
}

/// Raises `UnicodeEncodeError` for the characters `start..end` of `o`.
fn raise_encode_error(ts: Ts, o: *mut PyObject, start: usize, end: usize, reason: &str) -> Raised {
    raise_codec_encode_error(ts, "utf-8", o, start, end, reason)
}

fn raise_codec_encode_error(ts: Ts, codec: &str, o: *mut PyObject, start: usize, end: usize, reason: &str) -> Raised {
    let message = if end - start == 1 {
        let mut shown = String::new();
        unicode::push_hex_escape(&mut shown, unicode::char_at(o, start));
        format!("'{codec}' codec can't encode character '{shown}' in position {start}: {reason}")
    } else {
        format!("'{codec}' codec can't encode characters in position {start}-{}: {reason}", end - 1)
    };
    errors::set_string(ts, exc(Exc::UnicodeEncodeError), &message)
}

/// The UTF-8 encoding of `o`; lone surrogates go to `handler`.
pub fn encode_utf8(ts: Ts, o: *mut PyObject, handler: Errors) -> PyResult<Vec<u8>> {
    let n = unicode::len(o) as usize;
    let mut out = Vec::with_capacity(n);
    let mut i = 0;
    while i < n {
        let c = unicode::char_at(o, i);
        if let Some(ch) = char::from_u32(c) {
            let mut buf = [0u8; 4];
            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            i += 1;
            continue;
        }
        let start = i;
        while i < n && is_surrogate(unicode::char_at(o, i)) {
            i += 1;
        }
        encode_surrogates(ts, o, start, i, handler, &mut out)?;
    }
    Ok(out)
}

/// Applies `handler` to the run of surrogates `start..end` of `o`.
fn encode_surrogates(
    ts: Ts,
    o: *mut PyObject,
    start: usize,
    end: usize,
    handler: Errors,
    out: &mut Vec<u8>,
) -> PyResult<()> {
    let run = (start..end).map(|i| unicode::char_at(o, i));
    match handler {
        Errors::Strict => return Err(raise_encode_error(ts, o, start, end, "surrogates not allowed")),
        Errors::Replace => out.extend(run.map(|_| b'?')),
        Errors::Ignore => {}
        Errors::SurrogateEscape if run.clone().all(|c| (0xDC80..=0xDCFF).contains(&c)) => {
            out.extend(run.map(|c| (c - 0xDC00) as u8))
        }
        Errors::SurrogateEscape => return Err(raise_encode_error(ts, o, start, end, "surrogates not allowed")),
        Errors::BackslashReplace => {
            for c in run {
                out.extend_from_slice(format!("\\u{c:04x}").as_bytes());
            }
        }
        Errors::Unknown(name) => return Err(unknown_handler(ts, name)),
    }
    Ok(())
}

/// Decodes a file name or other OS string (`PyUnicode_DecodeFSDefaultAndSize`).
pub fn decode_fs(ts: Ts, bytes: &[u8]) -> PyResult<*mut PyObject> {
    decode_utf8(ts, bytes, Errors::SurrogateEscape)
}

/// Encodes a str for the OS (`PyUnicode_EncodeFSDefault`), as bytes.
pub fn encode_fs(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let encoded = encode_utf8(ts, o, Errors::SurrogateEscape)?;
    super::bytes::from_slice(ts, &encoded)
}

/// A str from 4-byte code units, each of which must be a code point.
pub fn from_ucs4(ts: Ts, units: &[u32]) -> PyResult<*mut PyObject> {
    if let Some(&bad) = units.iter().find(|&&c| c > MAX_UNICODE) {
        return Err(errors::value_error(ts, &format!("character U+{bad:x} is not in range [U+0000; U+10ffff]")));
    }
    from_code_points(ts, units)
}

/// A str from code units of `kind` bytes (`PyUnicode_FromKindAndData`).
///
/// # Safety
/// `buffer` holds `size` units of `kind` bytes.
pub unsafe fn from_kind_and_data(ts: Ts, kind: c_int, buffer: *const u8, size: usize) -> PyResult<*mut PyObject> {
    if ![1, 2, 4].contains(&kind) {
        return Err(errors::system_error(ts, "invalid kind"));
    }
    // The buffer may be NULL when empty, which a slice may not be.
    if size == 0 {
        return Ok(unicode::empty());
    }
    // SAFETY (all arms): the caller promises `size` units of this width.
    match kind {
        1 => decode_latin1(ts, unsafe { core::slice::from_raw_parts(buffer, size) }),
        2 => {
            let units = unsafe { core::slice::from_raw_parts(buffer as *const u16, size) };
            let max = units.iter().copied().max().unwrap_or(0) as u32;
            unicode::from_chars(ts, size, max, units.iter().map(|&u| u as u32))
        }
        4 => from_ucs4(ts, unsafe { core::slice::from_raw_parts(buffer as *const u32, size) }),
        _ => Err(errors::system_error(ts, "invalid kind")),
    }
}

/// `str.encode(encoding, errors)` for the encodings known without a registry.
pub fn encode(ts: Ts, o: *mut PyObject, encoding: &str, handler: &str) -> PyResult<Vec<u8>> {
    let handler = Errors::from_name(handler);
    match lookup_encoding(ts, encoding)? {
        Encoding::Utf8 => encode_utf8(ts, o, handler),
        Encoding::Latin1 => encode_narrow(ts, o, "latin-1", 0xFF, handler),
        Encoding::Ascii => encode_narrow(ts, o, "ascii", 0x7F, handler),
    }
}

/// Latin-1 or ASCII: one byte per character up to `max`; the others go to `handler`.
fn encode_narrow(ts: Ts, o: *mut PyObject, codec: &str, max: u32, handler: Errors) -> PyResult<Vec<u8>> {
    let n = unicode::len(o) as usize;
    let mut out = Vec::with_capacity(n);
    let mut i = 0;
    while i < n {
        let c = unicode::char_at(o, i);
        if c <= max {
            out.push(c as u8);
            i += 1;
            continue;
        }
        let start = i;
        while i < n && unicode::char_at(o, i) > max {
            i += 1;
        }
        let run = (start..i).map(|j| unicode::char_at(o, j));
        match handler {
            Errors::Replace => out.extend(run.map(|_| b'?')),
            Errors::Ignore => {}
            Errors::BackslashReplace => {
                for c in run {
                    let mut shown = String::new();
                    unicode::push_hex_escape(&mut shown, c);
                    out.extend_from_slice(shown.as_bytes());
                }
            }
            Errors::SurrogateEscape if run.clone().all(|c| (0xDC80..=0xDCFF).contains(&c)) => {
                out.extend(run.map(|c| (c - 0xDC00) as u8))
            }
            Errors::Unknown(name) => return Err(unknown_handler(ts, name)),
            _ => {
                let reason = format!("ordinal not in range({})", max + 1);
                return Err(raise_codec_encode_error(ts, codec, o, start, i, &reason));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_reasons() {
        assert_eq!(utf8_error_reason(b"\xff", 0, 1), "invalid start byte");
        assert_eq!(utf8_error_reason(b"\x80a", 0, 1), "invalid start byte");
        assert_eq!(utf8_error_reason(b"\xe2(", 0, 1), "invalid continuation byte");
        assert_eq!(utf8_error_reason(b"\xe2\x82", 0, 2), "unexpected end of data");
        assert_eq!(utf8_error_reason(b"\xed\xa0\x80", 0, 1), "invalid continuation byte");
    }

    #[test]
    fn handler_names() {
        assert_eq!(Errors::from_name("strict"), Errors::Strict);
        assert_eq!(Errors::from_name("surrogateescape"), Errors::SurrogateEscape);
        assert_eq!(Errors::from_name("bogus"), Errors::Unknown("bogus"));
    }
}
