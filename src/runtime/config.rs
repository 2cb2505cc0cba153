//! `PyConfig`: the defaults of CPython 3.13's two presets, and the ownership rules of its
//! strings and string lists.
//!
//! Every `wchar_t *` a configuration owns, and every `PyWideStringList` item array and
//! item, is a raw-domain block (`PyMem_RawMalloc`, i.e. the C library), so that a host
//! may free or replace them the way CPython documents.

use crate::abi::{wchar_t, PyConfig, PyWideStringList};
use core::ptr::null_mut;

/// `_config_init` of `PyConfig_InitPythonConfig`.
pub(crate) const CONFIG_INIT_PYTHON: i32 = 2;
/// `_config_init` of `PyConfig_InitIsolatedConfig`.
pub(crate) const CONFIG_INIT_ISOLATED: i32 = 3;
/// The default of `int_max_str_digits` (`sys.int_info.default_max_str_digits`).
pub(crate) const DEFAULT_MAX_STR_DIGITS: i32 = 4300;

/// Why a configuration call failed; becomes an error `PyStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("memory allocation failed")]
    NoMemory,
    #[error("PyWideStringList_Insert index must be >= 0")]
    NegativeIndex,
    #[error("NULL argument")]
    NullArgument,
    #[error("negative argument count")]
    NegativeCount,
}

impl ConfigError {
    /// The message as a static C string, for `PyStatus.err_msg`.
    pub fn c_message(self) -> &'static core::ffi::CStr {
        match self {
            Self::NoMemory => c"memory allocation failed",
            Self::NegativeIndex => c"PyWideStringList_Insert index must be >= 0",
            Self::NullArgument => c"NULL argument",
            Self::NegativeCount => c"negative argument count",
        }
    }
}

const EMPTY_LIST: PyWideStringList = PyWideStringList { length: 0, items: null_mut() };

/// The settings both presets share (CPython's `config_init_defaults`): every string
/// NULL, every list empty, and the integers CPython gives a value or leaves unset (-1).
fn common_defaults(init: i32) -> PyConfig {
    PyConfig {
        _config_init: init,
        isolated: 0,
        use_environment: 1,
        dev_mode: -1,
        install_signal_handlers: 1,
        use_hash_seed: -1,
        hash_seed: 0,
        faulthandler: -1,
        tracemalloc: -1,
        perf_profiling: -1,
        import_time: 0,
        code_debug_ranges: 1,
        show_ref_count: 0,
        dump_refs: 0,
        dump_refs_file: null_mut(),
        malloc_stats: 0,
        filesystem_encoding: null_mut(),
        filesystem_errors: null_mut(),
        pycache_prefix: null_mut(),
        parse_argv: 0,
        orig_argv: EMPTY_LIST,
        argv: EMPTY_LIST,
        xoptions: EMPTY_LIST,
        warnoptions: EMPTY_LIST,
        site_import: 1,
        bytes_warning: 0,
        warn_default_encoding: 0,
        inspect: 0,
        interactive: 0,
        optimization_level: 0,
        parser_debug: 0,
        write_bytecode: 1,
        verbose: 0,
        quiet: 0,
        user_site_directory: 1,
        configure_c_stdio: 0,
        buffered_stdio: 1,
        stdio_encoding: null_mut(),
        stdio_errors: null_mut(),
        check_hash_pycs_mode: null_mut(),
        use_frozen_modules: 1,
        safe_path: 0,
        int_max_str_digits: -1,
        cpu_count: -1,
        pathconfig_warnings: 1,
        program_name: null_mut(),
        pythonpath_env: null_mut(),
        home: null_mut(),
        platlibdir: null_mut(),
        module_search_paths_set: 0,
        module_search_paths: EMPTY_LIST,
        stdlib_dir: null_mut(),
        executable: null_mut(),
        base_executable: null_mut(),
        prefix: null_mut(),
        base_prefix: null_mut(),
        exec_prefix: null_mut(),
        base_exec_prefix: null_mut(),
        skip_source_first_line: 0,
        run_command: null_mut(),
        run_module: null_mut(),
        run_filename: null_mut(),
        sys_path_0: null_mut(),
        _install_importlib: 1,
        _init_main: 1,
        _is_python_build: 0,
    }
}

/// The "Python configuration": behaves like the `python` program (reads the
/// environment and the command line, configures the C streams).
pub fn python_config() -> PyConfig {
    PyConfig { configure_c_stdio: 1, parse_argv: 1, ..common_defaults(CONFIG_INIT_PYTHON) }
}

/// The "isolated configuration": for embedding; ignores the environment, the user
/// site directory and signals.
pub fn isolated_config() -> PyConfig {
    PyConfig {
        isolated: 1,
        use_environment: 0,
        user_site_directory: 0,
        dev_mode: 0,
        install_signal_handlers: 0,
        use_hash_seed: 0,
        faulthandler: 0,
        tracemalloc: 0,
        perf_profiling: 0,
        int_max_str_digits: DEFAULT_MAX_STR_DIGITS,
        safe_path: 1,
        pathconfig_warnings: 0,
        ..common_defaults(CONFIG_INIT_ISOLATED)
    }
}

/// Length of a NUL-terminated wide string.
///
/// # Safety
/// `s` is a NUL-terminated `wchar_t` string.
pub unsafe fn wcs_len(s: *const wchar_t) -> usize {
    let mut n = 0;
    // SAFETY: the caller promises a terminator.
    while unsafe { *s.add(n) } != 0 {
        n += 1;
    }
    n
}

/// A raw-domain copy of `chars` with a terminating NUL.
fn raw_wcs_from(chars: &[wchar_t]) -> Result<*mut wchar_t, ConfigError> {
    let bytes = (chars.len() + 1).checked_mul(size_of::<wchar_t>()).ok_or(ConfigError::NoMemory)?;
    // SAFETY: plain C allocation, released with `free` (PyMem_RawFree).
    let p = unsafe { libc::malloc(bytes) } as *mut wchar_t;
    if p.is_null() {
        return Err(ConfigError::NoMemory);
    }
    // SAFETY: `p` holds `chars.len() + 1` wide characters.
    unsafe {
        core::ptr::copy_nonoverlapping(chars.as_ptr(), p, chars.len());
        *p.add(chars.len()) = 0;
    }
    Ok(p)
}

/// A raw-domain copy of a NUL-terminated wide string.
///
/// # Safety
/// `s` is a NUL-terminated `wchar_t` string.
pub unsafe fn raw_wcsdup(s: *const wchar_t) -> Result<*mut wchar_t, ConfigError> {
    // SAFETY: the caller promises a terminated string.
    raw_wcs_from(unsafe { core::slice::from_raw_parts(s, wcs_len(s)) })
}

/// Frees a raw-domain string (NULL is fine).
///
/// # Safety
/// `s` is NULL or came from the raw domain and is not used afterwards.
unsafe fn raw_free<T>(s: *mut T) {
    unsafe { libc::free(s as *mut libc::c_void) }
}

/// `Py_DecodeLocale`: a raw-domain wide string decoded from `bytes` (see `decode_bytes`).
pub fn decode_locale(bytes: &[u8]) -> Result<(*mut wchar_t, usize), ConfigError> {
    let chars = decode_bytes(bytes);
    raw_wcs_from(&chars).map(|p| (p, chars.len()))
}

/// `Py_EncodeLocale`'s rule, the reverse of `decode_bytes`: code points as UTF-8, the
/// lone surrogates U+DC80..U+DCFF as the bytes they stand for. Err with the index of
/// the first character that has no encoding (another surrogate, or beyond U+10FFFF).
pub fn encode_locale(chars: &[wchar_t]) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(chars.len());
    for (i, &w) in chars.iter().enumerate() {
        let code = w as u32;
        if (0xDC80..=0xDCFF).contains(&code) {
            out.push((code - 0xDC00) as u8);
            continue;
        }
        let c = char::from_u32(code).ok_or(i)?;
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
    Ok(out)
}

/// Decodes bytes as the C library would in a UTF-8 locale (`Py_DecodeLocale` in UTF-8
/// mode): valid UTF-8 becomes its code points, every byte of an invalid sequence becomes
/// the lone surrogate U+DC80 + byte (the "surrogateescape" rule), so nothing is lost.
pub fn decode_bytes(bytes: &[u8]) -> Vec<wchar_t> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        match core::str::from_utf8(rest) {
            Ok(s) => {
                out.extend(s.chars().map(|c| c as wchar_t));
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                // SAFETY: `valid_up_to` bytes were checked to be UTF-8.
                out.extend(unsafe { core::str::from_utf8_unchecked(good) }.chars().map(|c| c as wchar_t));
                let n = e.error_len().unwrap_or(bad.len());
                out.extend(bad[..n].iter().map(|&b| 0xDC00 + b as wchar_t));
                rest = &bad[n..];
            }
        }
    }
    out
}

/// Decodes a NUL-terminated byte string into a raw-domain wide string.
///
/// # Safety
/// `s` is a NUL-terminated C string.
pub unsafe fn raw_wcs_from_bytes(s: *const core::ffi::c_char) -> Result<*mut wchar_t, ConfigError> {
    // SAFETY: the caller promises a terminated string.
    let bytes = unsafe { core::ffi::CStr::from_ptr(s) }.to_bytes();
    raw_wcs_from(&decode_bytes(bytes))
}

/// Replaces the string in `*field` with `new` (already a raw-domain block, or NULL),
/// freeing the old one.
///
/// # Safety
/// `*field` is NULL or a raw-domain string owned by the configuration.
pub unsafe fn replace_string(field: *mut *mut wchar_t, new: *mut wchar_t) {
    unsafe {
        let old = core::mem::replace(&mut *field, new);
        raw_free(old);
    }
}

/// Inserts a copy of `item` at `index` (clamped to the length); negative indexes are
/// refused, as in CPython.
///
/// # Safety
/// `list` is a valid list whose items are raw-domain strings; `item` is a terminated
/// wide string.
pub unsafe fn list_insert(list: &mut PyWideStringList, index: isize, item: *const wchar_t) -> Result<(), ConfigError> {
    if index < 0 {
        return Err(ConfigError::NegativeIndex);
    }
    let len = list.length.max(0) as usize;
    let index = (index as usize).min(len);
    let bytes = (len + 1).checked_mul(size_of::<*mut wchar_t>()).ok_or(ConfigError::NoMemory)?;
    let copy = unsafe { raw_wcsdup(item) }?;
    // SAFETY: `items` is NULL or a raw-domain array of `len` pointers.
    let items = unsafe { libc::realloc(list.items as *mut libc::c_void, bytes) } as *mut *mut wchar_t;
    if items.is_null() {
        unsafe { raw_free(copy) };
        return Err(ConfigError::NoMemory);
    }
    // SAFETY: `items` now holds `len + 1` slots; the tail moves up by one.
    unsafe {
        core::ptr::copy(items.add(index), items.add(index + 1), len - index);
        *items.add(index) = copy;
    }
    list.items = items;
    list.length = len as isize + 1;
    Ok(())
}

/// Frees every item and the array, leaving the list empty.
///
/// # Safety
/// `list` is a valid list whose items are raw-domain strings.
pub unsafe fn list_clear(list: &mut PyWideStringList) {
    for i in 0..list.length.max(0) as usize {
        // SAFETY: each item is a raw-domain string owned by the list.
        unsafe { raw_free(*list.items.add(i)) };
    }
    unsafe { raw_free(list.items) };
    *list = EMPTY_LIST;
}

/// Replaces the content of `list` with copies of `items`; on failure `list` is left as
/// it was.
///
/// # Safety
/// `list` is a valid list whose items are raw-domain strings; each item of `items` is a
/// raw-domain string that this call takes over (all of them, even on failure).
pub unsafe fn list_replace(list: &mut PyWideStringList, items: Vec<*mut wchar_t>) -> Result<(), ConfigError> {
    let n = items.len();
    let array = if n == 0 {
        null_mut()
    } else {
        // SAFETY: plain C allocation of `n` pointers.
        let a = unsafe { libc::malloc(n * size_of::<*mut wchar_t>()) } as *mut *mut wchar_t;
        if a.is_null() {
            for s in items {
                unsafe { raw_free(s) };
            }
            return Err(ConfigError::NoMemory);
        }
        // SAFETY: `a` holds `n` slots.
        unsafe { core::ptr::copy_nonoverlapping(items.as_ptr(), a, n) };
        a
    };
    unsafe { list_clear(list) };
    list.items = array;
    list.length = n as isize;
    Ok(())
}

/// Makes raw-domain copies of `n` strings with `copy`; all or nothing.
pub fn copy_all(
    n: usize,
    mut copy: impl FnMut(usize) -> Result<*mut wchar_t, ConfigError>,
) -> Result<Vec<*mut wchar_t>, ConfigError> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        match copy(i) {
            Ok(s) => out.push(s),
            Err(e) => {
                for s in out {
                    unsafe { raw_free(s) };
                }
                return Err(e);
            }
        }
    }
    Ok(out)
}

/// Frees every string and string list of `config` and resets them to NULL / empty;
/// the integer fields keep their values.
///
/// # Safety
/// Every string field and list of `config` is NULL/empty or owned raw-domain memory.
pub unsafe fn clear(config: &mut PyConfig) {
    let strings: [&mut *mut wchar_t; 22] = [
        &mut config.dump_refs_file,
        &mut config.filesystem_encoding,
        &mut config.filesystem_errors,
        &mut config.pycache_prefix,
        &mut config.stdio_encoding,
        &mut config.stdio_errors,
        &mut config.check_hash_pycs_mode,
        &mut config.program_name,
        &mut config.pythonpath_env,
        &mut config.home,
        &mut config.platlibdir,
        &mut config.stdlib_dir,
        &mut config.executable,
        &mut config.base_executable,
        &mut config.prefix,
        &mut config.base_prefix,
        &mut config.exec_prefix,
        &mut config.base_exec_prefix,
        &mut config.run_command,
        &mut config.run_module,
        &mut config.run_filename,
        &mut config.sys_path_0,
    ];
    for field in strings {
        unsafe { replace_string(field, null_mut()) };
    }
    for list in [
        &mut config.orig_argv,
        &mut config.argv,
        &mut config.xoptions,
        &mut config.warnoptions,
        &mut config.module_search_paths,
    ] {
        unsafe { list_clear(list) };
    }
    config.module_search_paths_set = 0;
}

/// The items of a wide-string list as Rust strings (code points that are not scalar
/// values, such as lone surrogates, become U+FFFD).
///
/// # Safety
/// `list` holds `length` NUL-terminated wide strings (or is empty).
pub unsafe fn list_to_strings(list: &PyWideStringList) -> Vec<String> {
    (0..list.length.max(0) as usize)
        .map(|i| {
            // SAFETY: as the caller promises.
            let s = unsafe { *list.items.add(i) };
            if s.is_null() {
                return String::new();
            }
            let n = unsafe { wcs_len(s) };
            let chars = unsafe { core::slice::from_raw_parts(s, n) };
            chars.iter().map(|&c| char::from_u32(c as u32).unwrap_or('\u{FFFD}')).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wide(s: &str) -> Vec<wchar_t> {
        s.chars().map(|c| c as wchar_t).chain(core::iter::once(0)).collect()
    }

    #[test]
    fn decode_keeps_invalid_bytes_as_surrogates() {
        assert_eq!(decode_bytes("héllo".as_bytes()), wide("héllo")[..5].to_vec());
        assert_eq!(decode_bytes(b"a\xffb"), vec!['a' as wchar_t, 0xDCFF, 'b' as wchar_t]);
        assert_eq!(decode_bytes(b"\xe2\x82"), vec![0xDCE2, 0xDC82]);
    }

    #[test]
    fn list_insert_append_and_clear() {
        let mut list = EMPTY_LIST;
        unsafe {
            list_insert(&mut list, 0, wide("b").as_ptr()).unwrap();
            list_insert(&mut list, 0, wide("a").as_ptr()).unwrap();
            list_insert(&mut list, 99, wide("c").as_ptr()).unwrap();
            assert_eq!(list_insert(&mut list, -1, wide("x").as_ptr()), Err(ConfigError::NegativeIndex));
            assert_eq!(list.length, 3);
            for (i, want) in ["a", "b", "c"].iter().enumerate() {
                let item = *list.items.add(i);
                assert_eq!(core::slice::from_raw_parts(item, 2), &wide(want)[..]);
            }
            list_clear(&mut list);
        }
        assert_eq!(list.length, 0);
        assert!(list.items.is_null());
    }
}
