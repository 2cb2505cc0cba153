//! `cpython/initconfig.h`: filling, editing and freeing a `PyConfig`, and
//! `PyWideStringList`. None of these need the runtime: hosts call them before
//! `Py_InitializeFromConfig`. Strings are owned by the configuration and live in the
//! raw memory domain (`PyMem_RawMalloc`).

use super::boundary;
use super::lifecycle::{error_at, PyStatus_Ok};
use crate::abi::*;
use crate::runtime::config::{self, ConfigError};
use core::ffi::{c_char, CStr};

fn to_status(func: &'static CStr, r: Result<(), ConfigError>) -> PyStatus {
    match r {
        Ok(()) => PyStatus_Ok(),
        Err(e) => error_at(func, e.c_message()),
    }
}

/// Runs `body` behind a panic boundary, turning its result into a `PyStatus`.
fn status_of(func: &'static CStr, body: impl FnOnce() -> Result<(), ConfigError>) -> PyStatus {
    to_status(func, boundary!(Err(ConfigError::NoMemory), body()))
}

/// Fills `config` with the "Python configuration" defaults of CPython 3.13.
#[no_mangle]
pub unsafe extern "C" fn PyConfig_InitPythonConfig(config: *mut PyConfig) {
    if !config.is_null() {
        // SAFETY: the caller hands us storage for a PyConfig; its old content is not read.
        unsafe { config.write(config::python_config()) };
    }
}

/// Fills `config` with the "isolated configuration" defaults of CPython 3.13.
#[no_mangle]
pub unsafe extern "C" fn PyConfig_InitIsolatedConfig(config: *mut PyConfig) {
    if !config.is_null() {
        // SAFETY: as above.
        unsafe { config.write(config::isolated_config()) };
    }
}

/// Frees every string and string list of `config` (which stays usable: its integer
/// fields are kept, its strings become NULL and its lists empty).
#[no_mangle]
pub unsafe extern "C" fn PyConfig_Clear(config: *mut PyConfig) {
    if !config.is_null() {
        boundary!((), unsafe { config::clear(&mut *config) })
    }
}

/// Stores a copy of the wide string `s` (or NULL) in `*config_str`, a string field of
/// `config`, freeing the previous value.
#[no_mangle]
pub unsafe extern "C" fn PyConfig_SetString(
    config: *mut PyConfig,
    config_str: *mut *mut wchar_t,
    s: *const wchar_t,
) -> PyStatus {
    status_of(c"PyConfig_SetString", || {
        if config.is_null() || config_str.is_null() {
            return Err(ConfigError::NullArgument);
        }
        let copy = if s.is_null() { core::ptr::null_mut() } else { unsafe { config::raw_wcsdup(s) }? };
        unsafe { config::replace_string(config_str, copy) };
        Ok(())
    })
}

/// Like `PyConfig_SetString`, decoding the byte string `s` as UTF-8 first (bytes that
/// are not UTF-8 become lone surrogates U+DC80..U+DCFF, as `Py_DecodeLocale` does).
#[no_mangle]
pub unsafe extern "C" fn PyConfig_SetBytesString(
    config: *mut PyConfig,
    config_str: *mut *mut wchar_t,
    s: *const c_char,
) -> PyStatus {
    status_of(c"PyConfig_SetBytesString", || {
        if config.is_null() || config_str.is_null() {
            return Err(ConfigError::NullArgument);
        }
        let copy = if s.is_null() { core::ptr::null_mut() } else { unsafe { config::raw_wcs_from_bytes(s) }? };
        unsafe { config::replace_string(config_str, copy) };
        Ok(())
    })
}

/// Checks the `(count, array)` pair of the argv and list setters.
fn check_array<T>(count: Py_ssize_t, items: *const T) -> Result<usize, ConfigError> {
    if count < 0 {
        return Err(ConfigError::NegativeCount);
    }
    if count > 0 && items.is_null() {
        return Err(ConfigError::NullArgument);
    }
    Ok(count as usize)
}

/// Copies `items[0..n]`, none of which may be NULL.
///
/// # Safety
/// `items` holds `n` pointers, each NULL or a terminated string `copy` accepts.
unsafe fn copy_strings<T>(
    n: usize,
    items: *const *mut T,
    copy: unsafe fn(*const T) -> Result<*mut wchar_t, ConfigError>,
) -> Result<Vec<*mut wchar_t>, ConfigError> {
    config::copy_all(n, |i| {
        let s = unsafe { *items.add(i) };
        if s.is_null() {
            return Err(ConfigError::NullArgument);
        }
        unsafe { copy(s) }
    })
}

/// Replaces `config->argv` with copies of the `argc` wide strings of `argv`.
#[no_mangle]
pub unsafe extern "C" fn PyConfig_SetArgv(
    config: *mut PyConfig,
    argc: Py_ssize_t,
    argv: *const *mut wchar_t,
) -> PyStatus {
    status_of(c"PyConfig_SetArgv", || {
        if config.is_null() {
            return Err(ConfigError::NullArgument);
        }
        let n = check_array(argc, argv)?;
        let items = unsafe { copy_strings(n, argv, config::raw_wcsdup) }?;
        unsafe { config::list_replace(&mut (*config).argv, items) }
    })
}

/// Replaces `config->argv` with the `argc` byte strings of `argv`, decoded as
/// `PyConfig_SetBytesString` does.
#[no_mangle]
pub unsafe extern "C" fn PyConfig_SetBytesArgv(
    config: *mut PyConfig,
    argc: Py_ssize_t,
    argv: *const *mut c_char,
) -> PyStatus {
    status_of(c"PyConfig_SetBytesArgv", || {
        if config.is_null() {
            return Err(ConfigError::NullArgument);
        }
        let n = check_array(argc, argv)?;
        let items = unsafe { copy_strings(n, argv, config::raw_wcs_from_bytes) }?;
        unsafe { config::list_replace(&mut (*config).argv, items) }
    })
}

/// Replaces `*list` (a list field of `config`) with copies of `length` wide strings.
#[no_mangle]
pub unsafe extern "C" fn PyConfig_SetWideStringList(
    config: *mut PyConfig,
    list: *mut PyWideStringList,
    length: Py_ssize_t,
    items: *const *mut wchar_t,
) -> PyStatus {
    status_of(c"PyConfig_SetWideStringList", || {
        if config.is_null() || list.is_null() {
            return Err(ConfigError::NullArgument);
        }
        let n = check_array(length, items)?;
        let copies = unsafe { copy_strings(n, items, config::raw_wcsdup) }?;
        unsafe { config::list_replace(&mut *list, copies) }
    })
}

/// Appends a copy of `item` to `list`.
#[no_mangle]
pub unsafe extern "C" fn PyWideStringList_Append(list: *mut PyWideStringList, item: *const wchar_t) -> PyStatus {
    status_of(c"PyWideStringList_Append", || {
        if list.is_null() || item.is_null() {
            return Err(ConfigError::NullArgument);
        }
        let l = unsafe { &mut *list };
        unsafe { config::list_insert(l, l.length, item) }
    })
}

/// Inserts a copy of `item` at `index` of `list`; an index past the end appends, a
/// negative one is an error.
#[no_mangle]
pub unsafe extern "C" fn PyWideStringList_Insert(
    list: *mut PyWideStringList,
    index: Py_ssize_t,
    item: *const wchar_t,
) -> PyStatus {
    status_of(c"PyWideStringList_Insert", || {
        if list.is_null() || item.is_null() {
            return Err(ConfigError::NullArgument);
        }
        unsafe { config::list_insert(&mut *list, index, item) }
    })
}
