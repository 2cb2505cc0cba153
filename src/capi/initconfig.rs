//! `cpython/initconfig.h`: filling, editing and freeing a `PyConfig`, and
//! `PyWideStringList`. None of these need the runtime: hosts call them before
//! `Py_InitializeFromConfig`. Strings are owned by the configuration and live in the
//! raw memory domain (`PyMem_RawMalloc`).

use super::boundary;
use super::lifecycle::{error_at, PyStatus_Ok};
use crate::abi::*;
use crate::runtime::boundary;
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
    boundary::guard(|| {
        if !config.is_null() {
            // SAFETY: the caller hands us storage for a PyConfig; its old content is not read.
            unsafe { config.write(config::python_config()) };
        }
    })
}

/// Fills `config` with the "isolated configuration" defaults of CPython 3.13.
#[no_mangle]
pub unsafe extern "C" fn PyConfig_InitIsolatedConfig(config: *mut PyConfig) {
    boundary::guard(|| {
        if !config.is_null() {
            // SAFETY: as above.
            unsafe { config.write(config::isolated_config()) };
        }
    })
}

/// Frees every string and string list of `config` (which stays usable: its integer
/// fields are kept, its strings become NULL and its lists empty).
#[no_mangle]
pub unsafe extern "C" fn PyConfig_Clear(config: *mut PyConfig) {
    boundary::guard(|| {
        if !config.is_null() {
            boundary!((), unsafe { config::clear(&mut *config) })
        }
    })
}

/// Stores a copy of the wide string `s` (or NULL) in `*config_str`, a string field of
/// `config`, freeing the previous value.
#[no_mangle]
pub unsafe extern "C" fn PyConfig_SetString(
    config: *mut PyConfig,
    config_str: *mut *mut wchar_t,
    s: *const wchar_t,
) -> PyStatus {
    boundary::guard(|| {
        status_of(c"PyConfig_SetString", || {
            if config.is_null() || config_str.is_null() {
                return Err(ConfigError::NullArgument);
            }
            let copy = if s.is_null() { core::ptr::null_mut() } else { unsafe { config::raw_wcsdup(s) }? };
            unsafe { config::replace_string(config_str, copy) };
            Ok(())
        })
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
    boundary::guard(|| {
        status_of(c"PyConfig_SetBytesString", || {
            if config.is_null() || config_str.is_null() {
                return Err(ConfigError::NullArgument);
            }
            let copy = if s.is_null() { core::ptr::null_mut() } else { unsafe { config::raw_wcs_from_bytes(s) }? };
            unsafe { config::replace_string(config_str, copy) };
            Ok(())
        })
    })
}

/// Replaces `*list` with copies of `items[0..count]` made by `copy`: the body of the
/// argv and list setters. A negative count, a NULL array with a positive count or a NULL
/// item is an error, and leaves the list as it was.
///
/// # Safety
/// `list` is a valid list of raw-domain strings; `items` holds `count` pointers to
/// terminated strings that `copy` accepts.
unsafe fn replace_list<T>(
    list: *mut PyWideStringList,
    count: Py_ssize_t,
    items: *const *mut T,
    copy: unsafe fn(*const T) -> Result<*mut wchar_t, ConfigError>,
) -> Result<(), ConfigError> {
    if count < 0 {
        return Err(ConfigError::NegativeCount);
    }
    if list.is_null() || (count > 0 && items.is_null()) {
        return Err(ConfigError::NullArgument);
    }
    let copies = config::copy_all(count as usize, |i| {
        let s = unsafe { *items.add(i) };
        if s.is_null() {
            return Err(ConfigError::NullArgument);
        }
        unsafe { copy(s) }
    })?;
    unsafe { config::list_replace(&mut *list, copies) }
}

/// `&mut config->argv`, or NULL for a NULL config.
fn argv_of(config: *mut PyConfig) -> *mut PyWideStringList {
    if config.is_null() {
        core::ptr::null_mut()
    } else {
        // SAFETY: a live configuration; only the field's address is taken.
        unsafe { &raw mut (*config).argv }
    }
}

/// Replaces `config->argv` with copies of the `argc` wide strings of `argv`.
#[no_mangle]
pub unsafe extern "C" fn PyConfig_SetArgv(
    config: *mut PyConfig,
    argc: Py_ssize_t,
    argv: *const *mut wchar_t,
) -> PyStatus {
    boundary::guard(|| {
        status_of(c"PyConfig_SetArgv", || unsafe { replace_list(argv_of(config), argc, argv, config::raw_wcsdup) })
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
    boundary::guard(|| {
        status_of(c"PyConfig_SetBytesArgv", || unsafe {
            replace_list(argv_of(config), argc, argv, config::raw_wcs_from_bytes)
        })
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
    boundary::guard(|| {
        status_of(c"PyConfig_SetWideStringList", || {
            if config.is_null() {
                return Err(ConfigError::NullArgument);
            }
            unsafe { replace_list(list, length, items, config::raw_wcsdup) }
        })
    })
}

/// Appends a copy of `item` to `list`.
#[no_mangle]
pub unsafe extern "C" fn PyWideStringList_Append(list: *mut PyWideStringList, item: *const wchar_t) -> PyStatus {
    boundary::guard(|| {
        status_of(c"PyWideStringList_Append", || {
            if list.is_null() || item.is_null() {
                return Err(ConfigError::NullArgument);
            }
            let l = unsafe { &mut *list };
            unsafe { config::list_insert(l, l.length, item) }
        })
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
    boundary::guard(|| {
        status_of(c"PyWideStringList_Insert", || {
            if list.is_null() || item.is_null() {
                return Err(ConfigError::NullArgument);
            }
            unsafe { config::list_insert(&mut *list, index, item) }
        })
    })
}
