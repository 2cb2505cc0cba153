//! The importer: builtin modules from the init table, extension modules found on
//! `sys.path` (each shared object `dlopen`ed once per process, initialised once per
//! interpreter), namespace packages, single-phase modules' per-interpreter index and
//! `m_copy`, and what `sys` shows hosts (`path`, `argv`, versions, ...).
//!
//! isle runs no Python code, so a package whose `__init__.py` would have to run, or a
//! module that is Python source, fails with an `ImportError` that says so.

use super::errors::{self, PyResult, Raised};
use super::thread::Ts;
use crate::abi::*;
use crate::objects::exceptions::{self, Exc};
use crate::objects::object::{self, decref, incref, new_ref};
use crate::objects::{bool_, dict, list, long, module, namespace, singletons, tuple, unicode};
use crate::protocols::attr;
use core::ffi::{c_void, CStr};
use core::ptr::null_mut;
use parking_lot::Mutex;
use std::ffi::CString;
use std::path::{Path, PathBuf};

pub type InitFn = unsafe extern "C" fn() -> *mut PyObject;

/// The suffixes of extension modules CPython 3.13 looks for on Linux, in its order.
pub const EXTENSION_SUFFIXES: [&str; 3] = [".cpython-313-x86_64-linux-gnu.so", ".abi3.so", ".so"];

/// What `Py_InitializeFromConfig` was given that the importer and `sys` use.
struct Startup {
    search_paths: Vec<String>,
    argv: Vec<String>,
}

static STARTUP: Mutex<Startup> = Mutex::new(Startup { search_paths: Vec::new(), argv: Vec::new() });

/// Records the initial `sys.path` and `sys.argv` (before the runtime starts).
pub fn set_startup(search_paths: Vec<String>, argv: Vec<String>) {
    *STARTUP.lock() = Startup { search_paths, argv };
}

/// Modules added with `PyImport_AppendInittab` (kept until `Py_FinalizeEx`).
static INITTAB: Mutex<Vec<(String, InitFn)>> = Mutex::new(Vec::new());

/// Adds builtin modules; refused (false) once the runtime runs, as in CPython.
pub fn extend_inittab(entries: Vec<(String, InitFn)>) -> bool {
    if super::is_initialized() {
        return false;
    }
    INITTAB.lock().extend(entries);
    true
}

fn inittab_lookup(name: &str) -> Option<InitFn> {
    INITTAB.lock().iter().rev().find(|(n, _)| n == name).map(|&(_, f)| f)
}

/// The names of the builtin modules, sorted (`sys.builtin_module_names`).
pub fn builtin_module_names() -> Vec<String> {
    let mut names: Vec<String> = vec!["builtins".into(), "sys".into()];
    names.extend(crate::crossinterp::modules::TOP_LEVEL_NAMES.iter().map(|n| n.to_string()));
    names.extend(INITTAB.lock().iter().map(|(n, _)| n.clone()));
    names.sort();
    names.dedup();
    names
}

/// Forgets what the runtime that is ending was given.
pub fn reset_after_finalize() {
    INITTAB.lock().clear();
    set_startup(Vec::new(), Vec::new());
    SINGLE_PHASE.lock().clear();
}

// --- sys ---

fn str_list(ts: Ts, items: &[String]) -> PyResult<*mut PyObject> {
    let l = list::new(ts, 0)?;
    for s in items {
        let r = unicode::from_str(ts, s).and_then(|o| {
            let r = list::append(ts, l, o);
            unsafe { decref(o) };
            r
        });
        if let Err(e) = r {
            unsafe { decref(l) };
            return Err(e);
        }
    }
    Ok(l)
}

/// Sets `d[key] = value` and drops the reference to `value` (which may be an error).
fn put(ts: Ts, d: *mut PyObject, key: &str, value: PyResult<*mut PyObject>) -> PyResult<()> {
    let v = value?;
    let r = module::set_str_attr(ts, d, key, v);
    unsafe { decref(v) };
    r
}

fn version_tuple(ts: Ts, major: i64, minor: i64, micro: i64) -> PyResult<*mut PyObject> {
    let parts = [long::from_i64(ts, major)?, long::from_i64(ts, minor)?, long::from_i64(ts, micro)?];
    let level = unicode::from_str_or_static(ts, "final")?;
    let serial = long::from_i64(ts, 0)?;
    let t = tuple::pack(ts, &[parts[0], parts[1], parts[2], level, serial]);
    for o in [parts[0], parts[1], parts[2], level, serial] {
        unsafe { decref(o) };
    }
    t
}

/// Fills what `sys` shows hosts, in a new interpreter.
pub fn init_sys(ts: Ts, sys: *mut PyObject) -> PyResult<()> {
    let d = module::dict_of(sys);
    let (paths, argv) = {
        let s = STARTUP.lock();
        (s.search_paths.clone(), s.argv.clone())
    };
    let argv = if argv.is_empty() { vec![String::new()] } else { argv };
    put(ts, d, "path", str_list(ts, &paths))?;
    put(ts, d, "argv", str_list(ts, &argv))?;
    put(ts, d, "version", unicode::from_str(ts, concat!("3.13.0 (isle ", env!("CARGO_PKG_VERSION"), ")")))?;
    put(ts, d, "version_info", version_tuple(ts, 3, 13, 0))?;
    put(ts, d, "hexversion", long::from_i64(ts, 0x030d_00f0))?;
    put(ts, d, "maxsize", long::from_i64(ts, isize::MAX as i64))?;
    put(
        ts,
        d,
        "byteorder",
        unicode::from_str_or_static(ts, if cfg!(target_endian = "little") { "little" } else { "big" }),
    )?;
    put(ts, d, "platform", unicode::from_str_or_static(ts, "linux"))?;
    let names: Vec<*mut PyObject> =
        builtin_module_names().iter().map(|n| unicode::from_str_or_static(ts, n)).collect::<PyResult<_>>()?;
    let t = tuple::pack(ts, &names);
    for n in names {
        unsafe { decref(n) };
    }
    put(ts, d, "builtin_module_names", t)?;
    put(ts, d, "implementation", implementation(ts))
}

/// `sys.implementation`: isle's name and version; no bytecode cache (`cache_tag` None).
fn implementation(ts: Ts) -> PyResult<*mut PyObject> {
    let name = unicode::from_str_or_static(ts, "isle")?;
    let version = version_tuple(ts, 0, 1, 0);
    let hex = long::from_i64(ts, 0x0001_00f0);
    let r = match (version, hex) {
        (Ok(v), Ok(h)) => {
            let ns = namespace::new(
                ts,
                &[("name", name), ("cache_tag", singletons::none()), ("version", v), ("hexversion", h)],
            );
            unsafe {
                decref(v);
                decref(h);
            }
            ns
        }
        (v, h) => {
            for o in [v, h].into_iter().flatten() {
                unsafe { decref(o) };
            }
            Err(Raised)
        }
    };
    unsafe { decref(name) };
    r
}

/// `PySys_GetObject`: borrowed, or null (without an exception) when absent.
pub fn sys_get(ts: Ts, name: &str) -> *mut PyObject {
    errors::preserving(ts, || {
        let Ok(sys) = super::lifecycle::sys_module(ts) else { return null_mut() };
        let Ok(k) = unicode::from_str_or_static(ts, name) else { return null_mut() };
        let v = dict::get_item(ts, module::dict_of(sys), k).ok().flatten().unwrap_or(null_mut());
        unsafe { decref(k) };
        v
    })
}

/// `PySys_SetObject`; a null value deletes the name (absent is fine).
pub fn sys_set(ts: Ts, name: &str, value: *mut PyObject) -> PyResult<()> {
    let sys = super::lifecycle::sys_module(ts)?;
    let d = module::dict_of(sys);
    let k = unicode::from_str(ts, name)?;
    let r = if value.is_null() { dict::del_item(ts, d, k).map(|_| ()) } else { dict::set_item(ts, d, k, value) };
    unsafe { decref(k) };
    r
}

// --- sys.modules ---

fn modules(ts: Ts) -> PyResult<*mut PyObject> {
    super::lifecycle::modules_dict(ts)
}

/// `sys.modules[name]` (borrowed), if present.
pub fn get_module(ts: Ts, name: *mut PyObject) -> PyResult<Option<*mut PyObject>> {
    dict::get_item(ts, modules(ts)?, name)
}

fn get_module_str(ts: Ts, name: &str) -> PyResult<Option<*mut PyObject>> {
    let k = unicode::from_str(ts, name)?;
    let r = get_module(ts, k);
    unsafe { decref(k) };
    r
}

fn set_module(ts: Ts, name: &str, m: *mut PyObject) -> PyResult<()> {
    module::set_str_attr(ts, modules(ts)?, name, m)
}

fn remove_module(ts: Ts, name: &str) {
    errors::preserving(ts, || {
        if let (Ok(mods), Ok(k)) = (modules(ts), unicode::from_str(ts, name)) {
            let _ = dict::del_item(ts, mods, k);
            unsafe { decref(k) };
        }
        errors::clear(ts);
    })
}

/// `PyImport_AddModuleObject`: `sys.modules[name]`, made empty when missing (borrowed).
pub fn add_module(ts: Ts, name: *mut PyObject) -> PyResult<*mut PyObject> {
    if let Some(m) = get_module(ts, name)? {
        if module::check(m) {
            return Ok(m);
        }
    }
    let m = module::new_object(ts, name)?;
    let r = modules(ts).and_then(|mods| dict::set_item(ts, mods, name, m));
    unsafe { decref(m) };
    r.map(|()| m)
}

// --- errors ---

/// Raises `kind(message)` with the `name` (and `path`) attributes CPython sets.
fn import_error(ts: Ts, kind: Exc, message: &str, name: &str, path: Option<&Path>) -> Raised {
    errors::set_string(ts, exceptions::exc(kind), message);
    let exc = ts.exception();
    if exc.is_null() {
        return Raised;
    }
    errors::preserving(ts, || {
        let set = |attr_name: &str, text: &str| {
            if let Ok(v) = unicode::from_str(ts, text) {
                if let Ok(k) = unicode::from_str(ts, attr_name) {
                    let _ = attr::setattr(ts, exc, k, v);
                    unsafe { decref(k) };
                }
                unsafe { decref(v) };
            }
            errors::clear(ts);
        };
        set("name", name);
        if let Some(p) = path {
            set("path", &p.to_string_lossy());
        }
    });
    Raised
}

fn not_found(ts: Ts, name: &str) -> Raised {
    import_error(ts, Exc::ModuleNotFoundError, &format!("No module named '{name}'"), name, None)
}

// --- finding ---

enum Found {
    Extension(PathBuf),
    Namespace(Vec<String>),
    Package(PathBuf),
    Source(PathBuf),
}

fn find(search_path: &[String], last: &str) -> Option<Found> {
    let mut portions = Vec::new();
    for entry in search_path {
        let dir = Path::new(if entry.is_empty() { "." } else { entry.as_str() });
        let base = dir.join(last);
        if base.is_dir() {
            let inits = ["__init__.py".to_string(), "__init__.pyc".to_string()]
                .into_iter()
                .chain(EXTENSION_SUFFIXES.iter().map(|s| format!("__init__{s}")));
            for init in inits {
                let f = base.join(init);
                if f.is_file() {
                    return Some(Found::Package(f));
                }
            }
            portions.push(base.to_string_lossy().into_owned());
        }
        for suffix in EXTENSION_SUFFIXES {
            let f = dir.join(format!("{last}{suffix}"));
            if f.is_file() {
                return Some(Found::Extension(f));
            }
        }
        for suffix in [".py", ".pyc"] {
            let f = dir.join(format!("{last}{suffix}"));
            if f.is_file() {
                return Some(Found::Source(f));
            }
        }
    }
    (!portions.is_empty()).then_some(Found::Namespace(portions))
}

/// The str entries of a path list (`sys.path`, a package's `__path__`).
fn path_entries(o: *mut PyObject) -> Vec<String> {
    let items: &[*mut PyObject] = if list::check(o) {
        list::items(o)
    } else if tuple::check(o) {
        tuple::items(o)
    } else {
        &[]
    };
    items.iter().filter(|&&i| unicode::check(i)).map(|&i| unicode::to_string_lossy(i)).collect()
}

// --- importing ---

/// Imports the module named `name` (dotted names through their parents) and returns
/// it (a new reference). A failed import leaves `sys.modules` without the module.
pub fn import_module(ts: Ts, name: &str) -> PyResult<*mut PyObject> {
    if name.is_empty() {
        return Err(errors::value_error(ts, "Empty module name"));
    }
    if let Some(m) = cached(ts, name)? {
        return Ok(m);
    }
    // isle's own builtin modules, unless the host's init table has the name.
    if inittab_lookup(name).is_none() {
        if let Some(r) = crate::crossinterp::modules::import(ts, name) {
            return r;
        }
    }
    let (parent, last) = match name.rfind('.') {
        Some(i) => (Some(&name[..i]), &name[i + 1..]),
        None => (None, name),
    };
    let (search_path, parent_module) = match parent {
        Some(p) => {
            let pm = import_module(ts, p)?;
            // The parent's import may have imported this module already.
            if let Some(m) = cached(ts, name)? {
                unsafe { decref(pm) };
                return Ok(m);
            }
            match package_path(ts, pm) {
                Some(path) => (path, pm),
                None => {
                    unsafe { decref(pm) };
                    let message = format!("No module named '{name}'; '{p}' is not a package");
                    return Err(import_error(ts, Exc::ModuleNotFoundError, &message, name, None));
                }
            }
        }
        None => {
            if let Some(init) = inittab_lookup(name) {
                return load_builtin(ts, name, init);
            }
            let path = sys_get(ts, "path");
            (if path.is_null() { Vec::new() } else { path_entries(path) }, null_mut())
        }
    };
    let r = load_found(ts, name, parent, find(&search_path, last));
    if let Ok(m) = r {
        if !parent_module.is_null() {
            bind_to_parent(ts, parent_module, last, m);
        }
    }
    unsafe { object::xdecref(parent_module) };
    r
}

fn cached(ts: Ts, name: &str) -> PyResult<Option<*mut PyObject>> {
    match get_module_str(ts, name)? {
        Some(m) if m == singletons::none() => {
            let message = format!("import of {name} halted; None in sys.modules");
            Err(import_error(ts, Exc::ModuleNotFoundError, &message, name, None))
        }
        Some(m) => Ok(Some(unsafe { new_ref(m) })),
        None => Ok(None),
    }
}

/// A package's `__path__` entries; None when it is not a package.
fn package_path(ts: Ts, m: *mut PyObject) -> Option<Vec<String>> {
    match attr::getattr_str(ts, m, "__path__") {
        Ok(p) => {
            let entries = path_entries(p);
            unsafe { decref(p) };
            Some(entries)
        }
        Err(_) => {
            errors::clear(ts);
            None
        }
    }
}

/// `parent.last = module`, as the import system does; a failure is not the import's.
fn bind_to_parent(ts: Ts, parent: *mut PyObject, last: &str, m: *mut PyObject) {
    errors::preserving(ts, || {
        if let Ok(k) = unicode::from_str(ts, last) {
            let _ = attr::setattr(ts, parent, k, m);
            unsafe { decref(k) };
        }
        errors::clear(ts);
    })
}

fn load_found(ts: Ts, name: &str, parent: Option<&str>, found: Option<Found>) -> PyResult<*mut PyObject> {
    match found {
        None => Err(not_found(ts, name)),
        Some(Found::Package(init)) => {
            let message = format!(
                "cannot import package '{name}': its {} would have to run, and isle does not run Python code",
                init.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default()
            );
            Err(import_error(ts, Exc::ImportError, &message, name, Some(&init)))
        }
        Some(Found::Source(path)) => {
            let message = format!("cannot import '{name}' from {}: isle does not run Python source", path.display());
            Err(import_error(ts, Exc::ImportError, &message, name, Some(&path)))
        }
        Some(Found::Namespace(portions)) => load_namespace(ts, name, parent, &portions),
        Some(Found::Extension(path)) => load_extension(ts, name, parent, &path),
    }
}

/// A module spec: `name`, `origin`, `parent`, `submodule_search_locations`, `loader`.
fn new_spec(ts: Ts, name: &str, origin: Option<&str>, locations: *mut PyObject) -> PyResult<*mut PyObject> {
    let n = unicode::from_str(ts, name)?;
    let parent = unicode::from_str(ts, name.rsplit_once('.').map_or("", |(p, _)| p));
    let origin_obj = match origin {
        Some(o) => unicode::from_str(ts, o),
        None => Ok(unsafe { new_ref(singletons::none()) }),
    };
    let none = singletons::none();
    let locations = if locations.is_null() { none } else { locations };
    let r = match (parent, origin_obj) {
        (Ok(p), Ok(o)) => {
            let has_location = bool_::from_bool(origin.is_some() && origin != Some("built-in"));
            let ns = namespace::new(
                ts,
                &[
                    ("name", n),
                    ("loader", none),
                    ("origin", o),
                    ("submodule_search_locations", locations),
                    ("parent", p),
                    ("has_location", has_location),
                    ("cached", none),
                ],
            );
            unsafe {
                decref(p);
                decref(o);
            }
            ns
        }
        (p, o) => {
            for x in [p, o].into_iter().flatten() {
                unsafe { decref(x) };
            }
            Err(Raised)
        }
    };
    unsafe { decref(n) };
    r
}

/// Sets what the import system puts in a module's namespace before running it.
fn init_module_attrs(
    ts: Ts,
    m: *mut PyObject,
    spec: *mut PyObject,
    package: &str,
    file: Option<&Path>,
) -> PyResult<()> {
    if !module::check(m) {
        return Ok(());
    }
    let d = module::dict_of(m);
    module::set_str_attr(ts, d, "__spec__", spec)?;
    module::set_str_attr(ts, d, "__loader__", singletons::none())?;
    put(ts, d, "__package__", unicode::from_str(ts, package))?;
    if let Some(f) = file {
        put(ts, d, "__file__", unicode::from_str(ts, &f.to_string_lossy()))?;
    }
    Ok(())
}

fn load_namespace(ts: Ts, name: &str, _parent: Option<&str>, portions: &[String]) -> PyResult<*mut PyObject> {
    let path = str_list(ts, portions)?;
    let spec = new_spec(ts, name, None, path);
    let r = spec.and_then(|spec| {
        let r = module::new(ts, name).and_then(|m| {
            let fill = init_module_attrs(ts, m, spec, name, None)
                .and_then(|()| module::set_str_attr(ts, module::dict_of(m), "__path__", path))
                .and_then(|()| set_module(ts, name, m));
            match fill {
                Ok(()) => Ok(m),
                Err(e) => {
                    unsafe { decref(m) };
                    Err(e)
                }
            }
        });
        unsafe { decref(spec) };
        r
    });
    unsafe { decref(path) };
    r
}

// --- shared objects ---

/// Every shared object this process opened, by canonical path; never closed (the
/// code of an extension may be in use by any interpreter until the process ends).
static LIBRARIES: Mutex<Vec<(PathBuf, usize)>> = Mutex::new(Vec::new());

fn dlerror_text() -> String {
    // SAFETY: dlerror returns null or a NUL-terminated string owned by libc.
    let e = unsafe { libc::dlerror() };
    if e.is_null() {
        return "unknown dlopen error".into();
    }
    unsafe { CStr::from_ptr(e) }.to_string_lossy().into_owned()
}

/// The handle of the shared object at `path`, opened on first use (`RTLD_NOW |
/// RTLD_LOCAL`, as CPython).
fn open_library(path: &Path) -> Result<*mut c_void, String> {
    let canonical = std::fs::canonicalize(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut libs = LIBRARIES.lock();
    if let Some(&(_, h)) = libs.iter().find(|(p, _)| *p == canonical) {
        return Ok(h as *mut c_void);
    }
    let c = CString::new(canonical.to_string_lossy().as_bytes()).map_err(|_| "path holds a NUL".to_string())?;
    // SAFETY: a NUL-terminated path; dlopen is thread-safe.
    let h = unsafe { libc::dlopen(c.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
    if h.is_null() {
        return Err(dlerror_text());
    }
    libs.push((canonical, h as usize));
    Ok(h)
}

/// The name of a module's init function: `PyInit_<last>`, or for a non-ASCII name
/// `PyInitU_` and its punycode with `-` as `_`.
pub fn init_function_name(last: &str) -> String {
    if last.is_ascii() {
        format!("PyInit_{last}")
    } else {
        format!("PyInitU_{}", punycode(last).replace('-', "_"))
    }
}

/// RFC 3492 punycode of `text` (what Python's "punycode" codec gives).
pub fn punycode(text: &str) -> String {
    const BASE: u32 = 36;
    const TMIN: u32 = 1;
    const TMAX: u32 = 26;
    fn digit(d: u32) -> char {
        (if d < 26 { b'a' + d as u8 } else { b'0' + (d - 26) as u8 }) as char
    }
    fn adapt(mut delta: u32, points: u32, first: bool) -> u32 {
        delta /= if first { 700 } else { 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - TMIN) * TMAX) / 2 {
            delta /= BASE - TMIN;
            k += BASE;
        }
        k + (BASE - TMIN + 1) * delta / (delta + 38)
    }
    let chars: Vec<u32> = text.chars().map(|c| c as u32).collect();
    let mut out: String = text.chars().filter(|c| c.is_ascii()).collect();
    let basic = out.len() as u32;
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias, mut handled) = (128u32, 0u32, 72u32, basic);
    while (handled as usize) < chars.len() {
        let m = chars.iter().copied().filter(|&c| c >= n).min().unwrap_or(n);
        delta += (m - n) * (handled + 1);
        n = m;
        for &c in &chars {
            if c < n {
                delta += 1;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        TMIN
                    } else if k >= bias + TMAX {
                        TMAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    out
}

/// Single-phase extension modules loaded by this runtime: (path, name, def), so that
/// another interpreter's import reuses the def's `m_copy` or `m_init`.
static SINGLE_PHASE: Mutex<Vec<(String, String, usize)>> = Mutex::new(Vec::new());

fn single_phase_def(path: &str, name: &str) -> Option<*mut PyModuleDef> {
    SINGLE_PHASE.lock().iter().find(|(p, n, _)| p == path && n == name).map(|&(_, _, d)| d as *mut PyModuleDef)
}

/// The full dotted name for a single-phase module whose def names `short` (CPython's
/// package context): the name being loaded when its last component matches.
pub fn resolve_single_phase_name(ts: Ts, short: &str) -> String {
    let loading = ts.interp().loading_name.take();
    let r = match &loading {
        Some(full) if full.rsplit('.').next() == Some(short) => full.clone(),
        _ => short.to_string(),
    };
    ts.interp().loading_name.set(loading);
    r
}

fn load_extension(ts: Ts, name: &str, parent: Option<&str>, path: &Path) -> PyResult<*mut PyObject> {
    let path_text = path.to_string_lossy().into_owned();
    if let Some(def) = single_phase_def(&path_text, name) {
        return reload_single_phase(ts, name, Some(path), def);
    }
    let handle = match open_library(path) {
        Ok(h) => h,
        Err(text) => return Err(import_error(ts, Exc::ImportError, &text, name, Some(path))),
    };
    let last = name.rsplit('.').next().unwrap_or(name);
    let symbol = init_function_name(last);
    let c = CString::new(symbol.as_str()).expect("no NUL in a module name");
    // SAFETY: a live handle and a NUL-terminated symbol name.
    let sym = unsafe { libc::dlsym(handle, c.as_ptr()) };
    if sym.is_null() {
        let message = format!("dynamic module does not define module export function ({symbol})");
        return Err(import_error(ts, Exc::ImportError, &message, name, Some(path)));
    }
    // SAFETY: an extension's init function takes nothing and returns an object.
    let init: InitFn = unsafe { core::mem::transmute::<*mut c_void, InitFn>(sym) };
    let spec = new_spec(ts, name, Some(&path_text), null_mut())?;
    let r = run_loaded(ts, name, parent.unwrap_or(""), Some(path), init, spec);
    unsafe { decref(spec) };
    r
}

pub(crate) fn load_builtin(ts: Ts, name: &str, init: InitFn) -> PyResult<*mut PyObject> {
    if let Some(def) = single_phase_def("", name) {
        return reload_single_phase(ts, name, None, def);
    }
    let spec = new_spec(ts, name, Some("built-in"), null_mut())?;
    let r = run_loaded(ts, name, "", None, init, spec);
    unsafe { decref(spec) };
    r
}

/// Calls an init function as CPython checks it.
fn run_init(ts: Ts, name: &str, init: InitFn) -> PyResult<*mut PyObject> {
    let before = ts.interp().loading_name.replace(Some(name.to_string()));
    // SAFETY: the module's init function, called with the GIL held.
    let m = unsafe { init() };
    ts.interp().loading_name.set(before);
    if m.is_null() {
        if !errors::occurred(ts) {
            return Err(errors::system_error(
                ts,
                &format!("initialization of {name} failed without raising an exception"),
            ));
        }
        return Err(Raised);
    }
    if errors::occurred(ts) {
        unsafe { decref(m) };
        let cause = errors::take_raised(ts);
        errors::system_error(ts, &format!("initialization of {name} raised unreported exception"));
        errors::chain_cause(ts, cause);
        return Err(Raised);
    }
    if object::type_of(m).is_null() {
        return Err(errors::system_error(ts, &format!("init function of {name} returned uninitialized object")));
    }
    Ok(m)
}

fn run_loaded(
    ts: Ts,
    name: &str,
    package: &str,
    path: Option<&Path>,
    init: InitFn,
    spec: *mut PyObject,
) -> PyResult<*mut PyObject> {
    let m = run_init(ts, name, init)?;
    if module::is_def(m) {
        return load_multi_phase(ts, name, package, path, m as *mut PyModuleDef, spec);
    }
    let r = load_single_phase(ts, name, package, path, init, m, spec);
    unsafe { decref(m) };
    r
}

fn load_multi_phase(
    ts: Ts,
    name: &str,
    package: &str,
    path: Option<&Path>,
    def: *mut PyModuleDef,
    spec: *mut PyObject,
) -> PyResult<*mut PyObject> {
    let m = module::from_def_and_spec(ts, def, spec)?;
    let r = init_module_attrs(ts, m, spec, package, path).and_then(|()| set_module(ts, name, m));
    if let Err(e) = r {
        unsafe { decref(m) };
        return Err(e);
    }
    if module::check(m) {
        if let Err(e) = module::exec_def(ts, m, def) {
            remove_module(ts, name);
            unsafe { decref(m) };
            return Err(e);
        }
    }
    Ok(m)
}

fn load_single_phase(
    ts: Ts,
    name: &str,
    package: &str,
    path: Option<&Path>,
    init: InitFn,
    m: *mut PyObject,
    spec: *mut PyObject,
) -> PyResult<*mut PyObject> {
    let def = if module::check(m) { module::def_of(m) } else { null_mut() };
    if def.is_null() {
        return Err(errors::system_error(ts, &format!("initialization of {name} did not return an extension module")));
    }
    module::check_subinterpreter_allowed(ts, name)?;
    // SAFETY: a live def; single-phase defs are written by the interpreters that load
    // them, which share one GIL (only legacy interpreters load them).
    unsafe {
        (*def).m_base.m_init = Some(init);
        if (*def).m_size == -1 {
            let copy = dict::copy(ts, module::dict_of(m))?;
            object::xdecref(core::mem::replace(&mut (*def).m_base.m_copy, copy));
        }
    }
    init_module_attrs(ts, m, spec, package, path)?;
    state_add_module(ts, m, def)?;
    set_module(ts, name, m)?;
    // Builtin modules are recorded with an empty path.
    let key = path.map_or(String::new(), |p| p.to_string_lossy().into_owned());
    let mut known = SINGLE_PHASE.lock();
    if !known.iter().any(|(kp, kn, _)| *kp == key && kn == name) {
        known.push((key, name.to_string(), def as usize));
    }
    Ok(unsafe { new_ref(m) })
}

/// A single-phase module imported again (another interpreter, or after removal from
/// `sys.modules`): a fresh module filled from `m_copy` when the def keeps one, else the
/// init function run again.
fn reload_single_phase(ts: Ts, name: &str, path: Option<&Path>, def: *mut PyModuleDef) -> PyResult<*mut PyObject> {
    module::check_subinterpreter_allowed(ts, name)?;
    // SAFETY: a live def recorded by an earlier load.
    let (copy, init) = unsafe { ((*def).m_base.m_copy, (*def).m_base.m_init) };
    let package = name.rsplit_once('.').map_or("", |(p, _)| p);
    let origin = path.map_or("built-in".to_string(), |p| p.to_string_lossy().into_owned());
    let spec = new_spec(ts, name, Some(&origin), null_mut())?;
    let r = if copy.is_null() {
        match init {
            Some(init) => run_loaded(ts, name, package, path, init, spec),
            None => Err(errors::system_error(ts, &format!("module {name}: no init function to run again"))),
        }
    } else {
        from_copy(ts, name, package, path, def, copy, spec)
    };
    unsafe { decref(spec) };
    r
}

fn from_copy(
    ts: Ts,
    name: &str,
    package: &str,
    path: Option<&Path>,
    def: *mut PyModuleDef,
    copy: *mut PyObject,
    spec: *mut PyObject,
) -> PyResult<*mut PyObject> {
    let m = module::new(ts, name)?;
    let fill = dict::merge(ts, module::dict_of(m), copy, true)
        .and_then(|()| init_module_attrs(ts, m, spec, package, path))
        .and_then(|()| state_add_module(ts, m, def))
        .and_then(|()| set_module(ts, name, m));
    match fill {
        Ok(()) => Ok(m),
        Err(e) => {
            remove_module(ts, name);
            unsafe { decref(m) };
            Err(e)
        }
    }
}

// --- PyState: single-phase modules by index ---

fn has_slots(def: *mut PyModuleDef) -> bool {
    // SAFETY: a live def.
    !unsafe { (*def).m_slots }.is_null()
}

fn index_of(def: *mut PyModuleDef) -> usize {
    // SAFETY: a live def.
    unsafe { (*def).m_base.m_index }.max(0) as usize
}

/// `PyState_FindModule` (borrowed; null without an exception when absent).
pub fn state_find_module(ts: Ts, def: *mut PyModuleDef) -> *mut PyObject {
    if has_slots(def) {
        return null_mut();
    }
    let list_obj = ts.interp().modules_by_index.get();
    let index = index_of(def);
    if list_obj.is_null() || index == 0 || index >= list::size(list_obj) as usize {
        return null_mut();
    }
    let m = list::item(list_obj, index as isize);
    if m == singletons::none() {
        null_mut()
    } else {
        m
    }
}

/// `PyState_AddModule`.
pub fn state_add_module(ts: Ts, m: *mut PyObject, def: *mut PyModuleDef) -> PyResult<()> {
    if has_slots(def) {
        return Err(errors::system_error(ts, "PyState_AddModule called on module with slots"));
    }
    module::init_def(def);
    let index = index_of(def);
    let interp = ts.interp();
    let l = super::interp::get_or_make(&interp.modules_by_index, || list::new(ts, 0))?;
    while (list::size(l) as usize) <= index {
        list::append(ts, l, singletons::none())?;
    }
    if list::item(l, index as isize) == m {
        return Err(errors::system_error(ts, "PyState_AddModule: module already added"));
    }
    object::refuse_foreign(ts, m)?;
    unsafe { incref(m) };
    list::set_item_owned(ts, l, index as isize, m)
}

/// `PyState_RemoveModule`.
pub fn state_remove_module(ts: Ts, def: *mut PyModuleDef) -> PyResult<()> {
    if has_slots(def) {
        return Err(errors::system_error(ts, "PyState_RemoveModule called on module with slots"));
    }
    let index = index_of(def);
    if index == 0 {
        return Err(errors::system_error(ts, "PyState_RemoveModule: Module index invalid."));
    }
    let l = ts.interp().modules_by_index.get();
    if l.is_null() || index >= list::size(l) as usize {
        return Err(errors::system_error(ts, "PyState_RemoveModule: Module index out of bounds."));
    }
    unsafe { incref(singletons::none()) };
    list::set_item_owned(ts, l, index as isize, singletons::none())
}

// --- the interpreter's end ---

/// Breaks the references between an ending interpreter's modules: every module in
/// `sys.modules` and every other live module made from a def has its `m_clear` run
/// and its namespace emptied, then `sys.modules` is emptied. In the main interpreter
/// the single-phase defs' `m_copy` dicts (which live in its heap) are released first.
pub fn clear_modules(ts: Ts) {
    if ts.interp().id == 0 {
        let defs: Vec<usize> = SINGLE_PHASE.lock().iter().map(|&(_, _, d)| d).collect();
        for d in defs {
            // SAFETY: a def recorded by this runtime; its m_copy was made in the main
            // heap (single-phase modules only load where that heap is shared).
            unsafe {
                let def = d as *mut PyModuleDef;
                object::xdecref(core::mem::replace(&mut (*def).m_base.m_copy, null_mut()));
            }
        }
    }
    let mods = super::lifecycle::modules_dict_if_made(ts);
    let mut all: Vec<*mut PyObject> = if mods.is_null() {
        Vec::new()
    } else {
        dict::entries(mods).iter().map(|e| e.value).filter(|&v| module::check(v)).collect()
    };
    all.extend(module::live_modules(ts));
    for &m in &all {
        unsafe { incref(m) };
    }
    for &m in &all {
        module::clear(m);
    }
    if !mods.is_null() {
        dict::clear(mods);
    }
    for m in all {
        unsafe { decref(m) };
    }
}

/// `PyImport_ImportModuleLevelObject`: `import name` (relative to the package of
/// `globals` when `level` > 0); returns the top package when `fromlist` is empty, else
/// the module itself, with the submodules `fromlist` names imported.
pub fn import_level(
    ts: Ts,
    name: *mut PyObject,
    globals: *mut PyObject,
    fromlist: *mut PyObject,
    level: i32,
) -> PyResult<*mut PyObject> {
    if !unicode::check(name) {
        return Err(errors::type_error(ts, "module name must be str"));
    }
    if level < 0 {
        return Err(errors::value_error(ts, "level must be >= 0"));
    }
    let text = unicode::to_string_lossy(name);
    let absolute = if level > 0 { resolve_relative(ts, &text, globals, level)? } else { text.clone() };
    if absolute.is_empty() {
        return Err(errors::value_error(ts, "Empty module name"));
    }
    let m = import_module(ts, &absolute)?;
    let wants_from = !fromlist.is_null() && crate::protocols::object::is_true(ts, fromlist)?;
    if wants_from {
        if let Err(e) = handle_fromlist(ts, m, &absolute, fromlist) {
            unsafe { decref(m) };
            return Err(e);
        }
        return Ok(m);
    }
    if text.is_empty() || !text.contains('.') {
        return Ok(m);
    }
    unsafe { decref(m) };
    // `import a.b.c` binds `a`: the module whose name is `absolute` without the tail
    // that follows the first component of `name`.
    let tail = text.len() - text.split('.').next().unwrap_or("").len();
    let top = &absolute[..absolute.len() - tail];
    match get_module_str(ts, top)? {
        Some(t) => Ok(unsafe { new_ref(t) }),
        None => Err(errors::set_string(
            ts,
            exceptions::exc(Exc::KeyError),
            &format!("{top:?} not in sys.modules as expected"),
        )),
    }
}

fn dict_get_str(ts: Ts, d: *mut PyObject, key: &str) -> PyResult<Option<*mut PyObject>> {
    let k = unicode::from_str(ts, key)?;
    let r = dict::get_item(ts, d, k);
    unsafe { decref(k) };
    r.map(|v| v.filter(|&v| v != singletons::none()))
}

/// The package a relative import starts from: `__package__`, else the spec's parent,
/// else derived from `__name__` (and `__path__`).
fn resolve_relative(ts: Ts, name: &str, globals: *mut PyObject, level: i32) -> PyResult<String> {
    let no_parent = |ts| {
        errors::set_string(
            ts,
            exceptions::exc(Exc::ImportError),
            "attempted relative import with no known parent package",
        )
    };
    if globals.is_null() || !dict::check(globals) {
        return Err(if globals.is_null() { no_parent(ts) } else { errors::type_error(ts, "globals must be a dict") });
    }
    let mut package = match dict_get_str(ts, globals, "__package__")? {
        Some(p) if unicode::check(p) => Some(unicode::to_string_lossy(p)),
        Some(_) => return Err(errors::type_error(ts, "package must be a string")),
        None => None,
    };
    if package.is_none() {
        if let Some(spec) = dict_get_str(ts, globals, "__spec__")? {
            let parent = attr::getattr_str(ts, spec, "parent")?;
            if unicode::check(parent) {
                package = Some(unicode::to_string_lossy(parent));
            }
            unsafe { decref(parent) };
        }
    }
    if package.is_none() {
        if let Some(n) = dict_get_str(ts, globals, "__name__")? {
            if unicode::check(n) {
                let n = unicode::to_string_lossy(n);
                let is_package = dict_get_str(ts, globals, "__path__")?.is_some();
                package =
                    Some(if is_package { n } else { n.rsplit_once('.').map_or(String::new(), |(p, _)| p.into()) });
            }
        }
    }
    let package = match package {
        Some(p) if !p.is_empty() => p,
        _ => return Err(no_parent(ts)),
    };
    let parts: Vec<&str> = package.split('.').collect();
    if parts.len() < level as usize {
        return Err(errors::set_string(
            ts,
            exceptions::exc(Exc::ImportError),
            "attempted relative import beyond top-level package",
        ));
    }
    let base = parts[..parts.len() - (level as usize - 1)].join(".");
    Ok(if name.is_empty() { base } else { format!("{base}.{name}") })
}

/// Imports the submodules `fromlist` names that a package does not have as
/// attributes; a submodule that does not exist is not an error.
fn handle_fromlist(ts: Ts, m: *mut PyObject, name: &str, fromlist: *mut PyObject) -> PyResult<()> {
    if package_path(ts, m).is_none() {
        return Ok(());
    }
    let items = unicode::sequence_items(ts, fromlist, "'fromlist' must be iterable")?;
    let mut r = Ok(());
    for &item in &items {
        if r.is_err() {
            break;
        }
        if !unicode::check(item) {
            r = Err(errors::type_error(ts, "Item in from list must be str"));
            break;
        }
        let sub = unicode::to_string_lossy(item);
        if sub == "*" {
            continue;
        }
        if let Ok(v) = attr::getattr(ts, m, item) {
            unsafe { decref(v) };
            continue;
        }
        errors::clear(ts);
        let full = format!("{name}.{sub}");
        match import_module(ts, &full) {
            Ok(sm) => unsafe { decref(sm) },
            Err(e) => {
                if !is_missing(ts, &full) {
                    r = Err(e);
                } else {
                    errors::clear(ts);
                }
            }
        }
    }
    unicode::release_all(&items);
    r
}

/// Whether the raised exception is the ModuleNotFoundError for `name`.
fn is_missing(ts: Ts, name: &str) -> bool {
    let exc = ts.exception();
    if exc.is_null() || !object::is_subtype(object::type_of(exc), exceptions::exc(Exc::ModuleNotFoundError)) {
        return false;
    }
    errors::preserving(ts, || match attr::getattr_str(ts, exc, "name") {
        Ok(n) => {
            let same = unicode::check(n) && unicode::to_string_lossy(n) == name;
            unsafe { decref(n) };
            same
        }
        Err(_) => {
            errors::clear(ts);
            false
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punycode_matches_pythons_codec() {
        assert_eq!(punycode("bücher"), "bcher-kva");
        assert_eq!(
            init_function_name("_testmultiphase_zkouška_načtení"),
            "PyInitU__testmultiphase_zkouka_naten_evc07gi8e"
        );
        assert_eq!(init_function_name("spam"), "PyInit_spam");
    }
}
