//! `module` objects: a namespace dict plus, for modules made from a definition, the
//! definition and its per-module state; and the definitions themselves
//! (`PyModuleDef_Type`), multi-phase creation (`PyModule_FromDefAndSpec2`, its slots,
//! `PyModule_ExecDef`) and single-phase creation (`PyModule_Create2`).

use super::object::{self, clear_slot, decref, type_of};
use super::{dict, exceptions, methodobject, singletons, typeobject, unicode};
use crate::abi::*;
use crate::protocols::attr;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::interp::PyInterpreterState;
use crate::runtime::thread::Ts;
use core::ffi::{c_int, c_void, CStr};
use core::ptr::null_mut;
use parking_lot::Mutex;

/// CPython 3.13's `PyModuleObject` fields first, then isle's bookkeeping.
#[repr(C)]
pub struct ModuleObject {
    pub ob_base: PyObject,
    pub md_dict: *mut PyObject,
    pub md_def: *mut PyModuleDef,
    pub md_state: *mut c_void,
    pub md_weaklist: *mut PyObject,
    pub md_name: *mut PyObject,
    /// Whether the def's `m_clear` / `m_free` ran: each runs at most once per module.
    pub md_cleared: bool,
    pub md_freed: bool,
    /// The interpreter whose list of live modules holds this one (null once that
    /// interpreter ended). Legacy interpreters share one heap and GIL, so a module
    /// may be freed while another of them is current.
    pub md_interp: *const PyInterpreterState,
}

fn fields<'a>(m: *mut PyObject) -> &'a mut ModuleObject {
    // SAFETY: only called on module instances (checked by callers).
    unsafe { &mut *(m as *mut ModuleObject) }
}

/// Whether the def's state hooks apply: CPython skips them for a module whose
/// def asks for state that was never allocated (created but never executed).
fn hooks_apply(m: &ModuleObject) -> bool {
    // SAFETY: md_def is null or a live def (defs outlive their modules).
    !m.md_def.is_null() && (unsafe { (*m.md_def).m_size } <= 0 || !m.md_state.is_null())
}

/// Runs the def's `m_free` unless it already ran.
fn run_free(m: &mut ModuleObject, o: *mut PyObject) {
    if m.md_freed || !hooks_apply(m) {
        return;
    }
    m.md_freed = true;
    // SAFETY: a live def; m_free takes the module.
    if let Some(free) = unsafe { (*m.md_def).m_free } {
        unsafe { free(o as *mut c_void) };
    }
}

/// Breaks the references a module holds (`tp_clear`): the def's `m_clear` once,
/// then the namespace's entries. What the interpreter's end does to every module, so
/// that a module and the types in its dict that point back at it are freed.
pub fn clear(o: *mut PyObject) {
    let m = fields(o);
    if !m.md_cleared && hooks_apply(m) {
        m.md_cleared = true;
        // SAFETY: a live def; m_clear takes the module.
        if let Some(clear) = unsafe { (*m.md_def).m_clear } {
            unsafe { clear(o) };
        }
    }
    if !m.md_dict.is_null() {
        dict::clear(m.md_dict);
    }
}

unsafe extern "C" fn module_dealloc(o: *mut PyObject) {
    boundary::guard(|| {
        let m = fields(o);
        forget_live(o);
        run_free(m, o);
        unsafe {
            clear_slot(&mut m.md_dict);
            clear_slot(&mut m.md_name);
            crate::memory::free(m.md_state as *mut u8);
            object::free_object(o);
        }
    })
}

unsafe extern "C" fn module_traverse(o: *mut PyObject, visit: visitproc, arg: *mut c_void) -> c_int {
    boundary::guard(|| {
        let m = fields(o);
        if hooks_apply(m) {
            // SAFETY: a live def; m_traverse follows the traverseproc contract.
            if let Some(traverse) = unsafe { (*m.md_def).m_traverse } {
                let r = unsafe { traverse(o, visit, arg) };
                if r != 0 {
                    return r;
                }
            }
        }
        match visit {
            Some(v) if !m.md_dict.is_null() => unsafe { v(m.md_dict, arg) },
            _ => 0,
        }
    })
}

unsafe extern "C" fn module_clear(o: *mut PyObject) -> c_int {
    boundary::guard(|| {
        clear(o);
        0
    })
}

unsafe extern "C" fn module_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let m = fields(o);
        let name = if m.md_name.is_null() { "?".to_string() } else { unicode::to_string_lossy(m.md_name) };
        let file = dict_str(ts, m.md_dict, "__file__");
        let text = match file {
            Some(f) => format!("<module '{name}' from '{f}'>"),
            None => format!("<module '{name}'>"),
        };
        unicode::from_str(ts, &text).unwrap_or(core::ptr::null_mut())
    })
}

/// The text of `d[key]` when it is a str.
fn dict_str(ts: Ts, d: *mut PyObject, key: &str) -> Option<String> {
    if d.is_null() {
        return None;
    }
    errors::preserving(ts, || {
        let k = unicode::from_str(ts, key).ok()?;
        let v = dict::get_item(ts, d, k).ok().flatten();
        // SAFETY: the key made above.
        unsafe { decref(k) };
        let v = v?;
        unicode::check(v).then(|| unicode::to_string_lossy(v))
    })
}

/// Attribute lookup: the generic one, then a `__getattr__` in the module's namespace
/// (PEP 562), then CPython's message for a missing module attribute.
unsafe extern "C" fn module_getattro(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        let r = unsafe { attr::generic_getattr(o, name) };
        if !r.is_null() || !errors::occurred(ts) {
            return Ok(r);
        }
        let attr_error = exceptions::exc(exceptions::Exc::AttributeError);
        if !object::is_subtype(type_of(ts.exception()), attr_error) || !unicode::check(name) {
            return Err(Raised);
        }
        errors::clear(ts);
        let d = fields(o).md_dict;
        if !d.is_null() {
            let key = unicode::from_str(ts, "__getattr__")?;
            let hook = dict::get_item(ts, d, key);
            unsafe { decref(key) };
            if let Some(hook) = hook? {
                return crate::protocols::call::call_slice(ts, hook, &[name]);
            }
        }
        let module = fields(o).md_name;
        let module = if module.is_null() { "?".into() } else { unicode::to_string_lossy(module) };
        let n = unicode::to_string_lossy(name);
        Err(errors::set_string(ts, attr_error, &format!("module '{module}' has no attribute '{n}'")))
    })
}

unsafe extern "C" fn module_get_dict(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::guard(|| {
        let d = fields(o).md_dict;
        let d = if d.is_null() { singletons::none() } else { d };
        // SAFETY: a live object; getters return new references.
        unsafe { object::new_ref(d) }
    })
}

static mut MODULE_GETSET: [PyGetSetDef; 2] = [
    typeobject::getset(c"__dict__", module_get_dict),
    PyGetSetDef { name: core::ptr::null(), get: None, set: None, doc: core::ptr::null(), closure: null_mut() },
];

#[no_mangle]
pub static mut PyModule_Type: PyTypeObject = PyTypeObject {
    tp_getset: &raw mut MODULE_GETSET as *mut PyGetSetDef,
    tp_dealloc: Some(module_dealloc),
    tp_repr: Some(module_repr),
    tp_getattro: Some(module_getattro),
    tp_flags: Py_TPFLAGS_BASETYPE,
    tp_traverse: Some(module_traverse),
    tp_clear: Some(module_clear),
    tp_dictoffset: core::mem::offset_of!(ModuleObject, md_dict) as Py_ssize_t,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"module", core::mem::size_of::<ModuleObject>(), 0)
};

/// The type of module definitions once `PyModuleDef_Init` has run on them.
#[no_mangle]
pub static mut PyModuleDef_Type: PyTypeObject =
    PyTypeObject { ..PyTypeObject::blank(c"moduledef", core::mem::size_of::<PyModuleDef>(), 0) };

pub fn module_type() -> *mut PyTypeObject {
    &raw mut PyModule_Type
}

pub fn moduledef_type() -> *mut PyTypeObject {
    &raw mut PyModuleDef_Type
}

pub fn check(o: *mut PyObject) -> bool {
    object::is_subtype(object::type_of(o), module_type())
}

/// A new module named `name`, with `__name__` and `__doc__` set in its dict.
pub fn new(ts: Ts, name: &str) -> PyResult<*mut PyObject> {
    let n = unicode::from_str(ts, name)?;
    let m = new_object(ts, n);
    // SAFETY: the name made above; the module took its own reference.
    unsafe { decref(n) };
    m
}

/// `PyModule_NewObject`: a module named by the str `name`, its dict holding
/// `__name__`, and None for `__doc__`, `__package__`, `__loader__`, `__spec__`.
pub fn new_object(ts: Ts, name: *mut PyObject) -> PyResult<*mut PyObject> {
    let m = object::alloc_object(ts, module_type(), 0)?;
    remember_live(ts, m);
    let mo = fields(m);
    let mut fill = || -> PyResult<()> {
        mo.md_dict = dict::new(ts)?;
        // SAFETY: a live str; the module keeps a reference.
        mo.md_name = unsafe { object::new_ref(name) };
        set_str_attr(ts, mo.md_dict, "__name__", name)?;
        for key in ["__doc__", "__package__", "__loader__", "__spec__"] {
            set_str_attr(ts, mo.md_dict, key, singletons::none())?;
        }
        Ok(())
    };
    match fill() {
        Ok(()) => Ok(m),
        Err(e) => {
            unsafe { object::decref(m) };
            Err(e)
        }
    }
}

/// The module's namespace (borrowed).
pub fn dict_of(m: *mut PyObject) -> *mut PyObject {
    fields(m).md_dict
}

/// `d[key] = value` with a Rust string key.
pub fn set_str_attr(ts: Ts, d: *mut PyObject, key: &str, value: *mut PyObject) -> PyResult<()> {
    if let Some(k) = unicode::static_str(key) {
        return dict::set_item(ts, d, k, value);
    }
    let k = unicode::from_str(ts, key)?;
    let r = dict::set_item(ts, d, k, value);
    unsafe { object::decref(k) };
    r
}

/// The module's `__name__` as stored when it was made (borrowed; null if none).
pub fn name_object(m: *mut PyObject) -> *mut PyObject {
    fields(m).md_name
}

/// `PyModule_GetNameObject`: `__name__` from the module's dict (new reference).
pub fn get_name(ts: Ts, m: *mut PyObject) -> PyResult<*mut PyObject> {
    get_dict_str(ts, m, "__name__", "nameless module")
}

/// `PyModule_GetFilenameObject`: `__file__` from the module's dict (new reference).
pub fn get_filename(ts: Ts, m: *mut PyObject) -> PyResult<*mut PyObject> {
    get_dict_str(ts, m, "__file__", "module filename missing")
}

fn get_dict_str(ts: Ts, m: *mut PyObject, key: &str, missing: &str) -> PyResult<*mut PyObject> {
    if !check(m) {
        return Err(errors::type_error(ts, "bad argument type for built-in operation"));
    }
    let d = fields(m).md_dict;
    if !d.is_null() {
        let k = unicode::from_str(ts, key)?;
        let v = dict::get_item(ts, d, k);
        // SAFETY: the key made above.
        unsafe { decref(k) };
        if let Some(v) = v? {
            if unicode::check(v) {
                // SAFETY: a live value of the dict.
                return Ok(unsafe { object::new_ref(v) });
            }
        }
    }
    Err(errors::system_error(ts, missing))
}

pub fn state_of(m: *mut PyObject) -> *mut c_void {
    fields(m).md_state
}

pub fn def_of(m: *mut PyObject) -> *mut PyModuleDef {
    fields(m).md_def
}

// --- definitions ---

/// Hands out module indices, process-wide; the lock also covers writing a def's type
/// and index, since interpreters on several threads may init one def at once.
static NEXT_INDEX: Mutex<Py_ssize_t> = Mutex::new(1);

/// `PyModuleDef_Init`: makes `def` an object of `PyModuleDef_Type` with an index of
/// its own, once; later calls change nothing.
pub fn init_def(def: *mut PyModuleDef) -> *mut PyObject {
    let mut next = NEXT_INDEX.lock();
    // SAFETY: `def` is a live def; its head is only written under this lock.
    unsafe {
        let base = &mut (*def).m_base;
        if base.m_index == 0 {
            base.ob_base.ob_type = moduledef_type();
            // Defs are static data: no reference count may ever free one.
            base.ob_base.ob_refcnt = _Py_IMMORTAL_REFCNT;
            base.m_index = *next;
            *next += 1;
        }
    }
    def as *mut PyObject
}

pub fn is_def(o: *mut PyObject) -> bool {
    let ty = type_of(o);
    !ty.is_null() && object::is_subtype(ty, moduledef_type())
}

fn def_name(def: *const PyModuleDef) -> String {
    // SAFETY: m_name is a NUL-terminated string for the def's life, or null.
    unsafe {
        let n = (*def).m_name;
        if n.is_null() {
            return "?".into();
        }
        CStr::from_ptr(n).to_string_lossy().into_owned()
    }
}

fn slots(def: *const PyModuleDef) -> Vec<(c_int, *mut c_void)> {
    let mut out = Vec::new();
    // SAFETY: m_slots is null or an array ended by slot id 0.
    unsafe {
        let mut s = (*def).m_slots;
        while !s.is_null() && (*s).slot != 0 {
            out.push(((*s).slot, (*s).value));
            s = s.add(1);
        }
    }
    out
}

type CreateFn = unsafe extern "C" fn(*mut PyObject, *mut PyModuleDef) -> *mut PyObject;
type ExecFn = unsafe extern "C" fn(*mut PyObject) -> c_int;

/// What the slots of a multi-phase def ask for.
struct SlotPlan {
    create: Option<CreateFn>,
    has_exec: bool,
    multiple_interpreters: usize,
}

fn plan_slots(ts: Ts, def: *const PyModuleDef, name: &str) -> PyResult<SlotPlan> {
    let mut plan = SlotPlan { create: None, has_exec: false, multiple_interpreters: 1 };
    let (mut seen_multi, mut seen_gil) = (false, false);
    for (id, value) in slots(def) {
        match id {
            Py_mod_create => {
                if plan.create.is_some() {
                    return Err(errors::system_error(ts, &format!("module {name} has multiple create slots")));
                }
                // SAFETY: a create slot's value is a create function (or null).
                plan.create = unsafe { core::mem::transmute::<*mut c_void, Option<CreateFn>>(value) };
            }
            Py_mod_exec => plan.has_exec = true,
            Py_mod_multiple_interpreters => {
                if seen_multi {
                    return Err(errors::system_error(
                        ts,
                        &format!("module {name} has more than one 'multiple interpreters' slots"),
                    ));
                }
                seen_multi = true;
                plan.multiple_interpreters = value as usize;
            }
            Py_mod_gil => {
                if seen_gil {
                    return Err(errors::system_error(ts, &format!("module {name} has more than one 'gil' slot")));
                }
                seen_gil = true;
            }
            other => return Err(errors::system_error(ts, &format!("module {name} uses unknown slot ID {other}"))),
        }
    }
    Ok(plan)
}

/// The ImportError an interpreter that checks extensions raises for a module that
/// does not declare support for it.
pub fn check_subinterpreter_allowed(ts: Ts, name: &str) -> PyResult<()> {
    let interp = ts.interp();
    if interp.id != 0 && interp.config.check_multi_interp_extensions != 0 {
        return Err(errors::set_string(
            ts,
            exceptions::exc(exceptions::Exc::ImportError),
            &format!("module {name} does not support loading in subinterpreters"),
        ));
    }
    Ok(())
}

/// Enforces `Py_mod_multiple_interpreters` against the current interpreter: NOT
/// SUPPORTED (0) only loads in the main interpreter or ones that do not check;
/// SUPPORTED (1) not where the interpreter has its own GIL; PER_INTERPRETER_GIL (2)
/// everywhere.
fn check_multiple_interpreters(ts: Ts, value: usize, name: &str) -> PyResult<()> {
    let interp = ts.interp();
    let own_gil = interp.config.gil == PyInterpreterConfig_OWN_GIL;
    match value {
        0 => check_subinterpreter_allowed(ts, name),
        2 => Ok(()),
        _ if own_gil => check_subinterpreter_allowed(ts, name),
        _ => Ok(()),
    }
}

/// `PyModule_FromDefAndSpec2`: the module (or other object) a multi-phase def's
/// create slot makes for `spec`, with the def's functions and doc added; its exec
/// slots have not run (`exec_def`).
pub fn from_def_and_spec(ts: Ts, def: *mut PyModuleDef, spec: *mut PyObject) -> PyResult<*mut PyObject> {
    init_def(def);
    let name_obj = attr::getattr_str(ts, spec, "name")?;
    let r = from_def_and_spec_named(ts, def, spec, name_obj);
    // SAFETY: the name fetched above.
    unsafe { decref(name_obj) };
    r
}

fn from_def_and_spec_named(
    ts: Ts,
    def: *mut PyModuleDef,
    spec: *mut PyObject,
    name_obj: *mut PyObject,
) -> PyResult<*mut PyObject> {
    if !unicode::check(name_obj) {
        return Err(errors::type_error(ts, "bad argument type for built-in operation"));
    }
    let name = unicode::to_string_lossy(name_obj);
    // SAFETY: `def` is live.
    if unsafe { (*def).m_size } < 0 {
        return Err(errors::system_error(
            ts,
            &format!("module {name}: m_size may not be negative for multi-phase initialization"),
        ));
    }
    let plan = plan_slots(ts, def, &name)?;
    check_multiple_interpreters(ts, plan.multiple_interpreters, &name)?;
    let m = match plan.create {
        Some(create) => {
            // SAFETY: the create slot's contract: (spec, def) -> new reference or NULL.
            let m = unsafe { create(spec, def) };
            if m.is_null() {
                if !errors::occurred(ts) {
                    return Err(errors::system_error(
                        ts,
                        &format!("creation of module {name} failed without setting an exception"),
                    ));
                }
                return Err(Raised);
            }
            if errors::occurred(ts) {
                unsafe { decref(m) };
                let cause = errors::take_raised(ts);
                errors::system_error(ts, &format!("creation of module {name} raised unreported exception"));
                errors::chain_cause(ts, cause);
                return Err(Raised);
            }
            m
        }
        None => new_object(ts, name_obj)?,
    };
    match finish_creation(ts, m, def, &plan, name_obj, &name) {
        Ok(()) => Ok(m),
        Err(e) => {
            unsafe { decref(m) };
            Err(e)
        }
    }
}

fn finish_creation(
    ts: Ts,
    m: *mut PyObject,
    def: *mut PyModuleDef,
    plan: &SlotPlan,
    name_obj: *mut PyObject,
    name: &str,
) -> PyResult<()> {
    // SAFETY: `def` is live.
    let d = unsafe { &*def };
    if check(m) {
        let mo = fields(m);
        mo.md_state = null_mut();
        set_def(ts, m, def);
    } else {
        if d.m_size > 0 || d.m_traverse.is_some() || d.m_clear.is_some() || d.m_free.is_some() {
            return Err(errors::system_error(
                ts,
                &format!("module {name} is not a module object, but requests module state"),
            ));
        }
        if plan.has_exec {
            return Err(errors::system_error(
                ts,
                &format!("module {name} specifies execution slots, but did not create a ModuleType instance"),
            ));
        }
    }
    if !d.m_methods.is_null() {
        add_functions_named(ts, m, name_obj, d.m_methods)?;
    }
    if !d.m_doc.is_null() {
        set_doc(ts, m, d.m_doc)?;
    }
    Ok(())
}

/// Records `def` as the module's definition.
fn set_def(_ts: Ts, m: *mut PyObject, def: *mut PyModuleDef) {
    fields(m).md_def = def;
}

fn remember_live(ts: Ts, m: *mut PyObject) {
    let interp = ts.interp();
    let mut live = interp.live_modules.take();
    live.push(m);
    interp.live_modules.set(live);
    fields(m).md_interp = interp;
}

fn forget_live(m: *mut PyObject) {
    let owner = core::mem::replace(&mut fields(m).md_interp, core::ptr::null());
    if owner.is_null() {
        return;
    }
    // SAFETY: a module's interpreter outlives its entry (its end nulls md_interp of
    // the modules still listed); whoever frees the module holds that interpreter's
    // GIL (its own, or the one legacy interpreters share).
    let interp = unsafe { &*owner };
    let mut live = interp.live_modules.take();
    if let Some(i) = live.iter().rposition(|&p| p == m) {
        live.swap_remove(i);
    }
    interp.live_modules.set(live);
}

/// At an interpreter's end, after its modules were cleared and released: runs
/// `m_free` for the modules that are still alive (leaked references), once each.
pub fn free_remaining(ts: Ts) {
    let live = ts.interp().live_modules.take();
    for m in live {
        fields(m).md_interp = core::ptr::null();
        run_free(fields(m), m);
    }
}

/// The interpreter's modules that are still alive (for clearing them at its end).
pub fn live_modules(ts: Ts) -> Vec<*mut PyObject> {
    let interp = ts.interp();
    let live = interp.live_modules.take();
    let copy = live.clone();
    interp.live_modules.set(live);
    copy
}

/// `PyModule_ExecDef`: allocates the module's state (zeroed, `m_size` bytes) if it
/// has none yet, then runs the def's exec slots in order.
pub fn exec_def(ts: Ts, m: *mut PyObject, def: *mut PyModuleDef) -> PyResult<()> {
    let name_obj = get_name(ts, m)?;
    let name = unicode::to_string_lossy(name_obj);
    // SAFETY: the name fetched above.
    unsafe { decref(name_obj) };
    // SAFETY: `def` is live.
    let size = unsafe { (*def).m_size };
    if size >= 0 {
        let mo = fields(m);
        if mo.md_state.is_null() {
            mo.md_state = alloc_state(ts, size as usize)?;
        }
    }
    for (id, value) in slots(def) {
        match id {
            Py_mod_create | Py_mod_multiple_interpreters | Py_mod_gil => {}
            Py_mod_exec => run_exec(ts, m, value, &name)?,
            other => {
                return Err(errors::system_error(ts, &format!("module {name} initialized with unknown slot {other}")))
            }
        }
    }
    Ok(())
}

fn run_exec(ts: Ts, m: *mut PyObject, value: *mut c_void, name: &str) -> PyResult<()> {
    // SAFETY: an exec slot's value is an exec function (or null).
    let Some(exec) = (unsafe { core::mem::transmute::<*mut c_void, Option<ExecFn>>(value) }) else {
        return Ok(());
    };
    let r = unsafe { exec(m) };
    if r != 0 {
        if !errors::occurred(ts) {
            return Err(errors::system_error(
                ts,
                &format!("execution of module {name} failed without setting an exception"),
            ));
        }
        return Err(Raised);
    }
    if errors::occurred(ts) {
        let cause = errors::take_raised(ts);
        errors::system_error(ts, &format!("execution of module {name} raised unreported exception"));
        errors::chain_cause(ts, cause);
        return Err(Raised);
    }
    Ok(())
}

/// Zeroed module state in the interpreter's heap; even 0 bytes get a block, the
/// marker that the module was executed.
fn alloc_state(ts: Ts, size: usize) -> PyResult<*mut c_void> {
    let p = crate::memory::alloc_in(ts, size.max(1));
    if p.is_null() {
        return Err(errors::no_memory(ts));
    }
    // SAFETY: a fresh block of at least `size` bytes.
    unsafe { core::ptr::write_bytes(p, 0, size) };
    Ok(p as *mut c_void)
}

/// `PyModule_Create2`: a single-phase module from `def` (which must have no slots),
/// its state allocated, functions and doc added.
pub fn create_single_phase(ts: Ts, def: *mut PyModuleDef) -> PyResult<*mut PyObject> {
    init_def(def);
    let name = def_name(def);
    // SAFETY: `def` is live.
    let d = unsafe { &*def };
    if !d.m_slots.is_null() {
        return Err(errors::system_error(ts, &format!("module {name}: PyModule_Create is incompatible with m_slots")));
    }
    let full_name = crate::runtime::import::resolve_single_phase_name(ts, &name);
    let m = new(ts, &full_name)?;
    let fill = || -> PyResult<()> {
        if d.m_size > 0 {
            fields(m).md_state = alloc_state(ts, d.m_size as usize)?;
        }
        if !d.m_methods.is_null() {
            add_functions(ts, m, d.m_methods)?;
        }
        if !d.m_doc.is_null() {
            set_doc(ts, m, d.m_doc)?;
        }
        set_def(ts, m, def);
        Ok(())
    };
    match fill() {
        Ok(()) => Ok(m),
        Err(e) => {
            unsafe { decref(m) };
            Err(e)
        }
    }
}

/// `PyModule_AddFunctions`: a builtin function per entry, bound to the module.
pub fn add_functions(ts: Ts, m: *mut PyObject, defs: *mut PyMethodDef) -> PyResult<()> {
    let name = get_name(ts, m)?;
    let r = add_functions_named(ts, m, name, defs);
    // SAFETY: the name fetched above.
    unsafe { decref(name) };
    r
}

fn add_functions_named(ts: Ts, m: *mut PyObject, name: *mut PyObject, defs: *mut PyMethodDef) -> PyResult<()> {
    let mut fdef = defs;
    // SAFETY: the array ends with an entry whose ml_name is NULL.
    while !unsafe { (*fdef).ml_name }.is_null() {
        let flags = unsafe { (*fdef).ml_flags };
        if flags & (METH_CLASS | METH_STATIC) != 0 {
            return Err(errors::value_error(ts, "module functions cannot set METH_CLASS or METH_STATIC"));
        }
        let f = methodobject::new_function(ts, fdef, m, name, null_mut())?;
        // SAFETY: ml_name is a NUL-terminated string.
        let fname = unsafe { CStr::from_ptr((*fdef).ml_name) }.to_string_lossy();
        let key = unicode::from_str(ts, &fname);
        let r = key.and_then(|k| {
            let r = attr::setattr(ts, m, k, f);
            unsafe { decref(k) };
            r
        });
        unsafe { decref(f) };
        r?;
        fdef = unsafe { fdef.add(1) };
    }
    Ok(())
}

/// `PyModule_SetDocString`.
pub fn set_doc(ts: Ts, m: *mut PyObject, doc: *const core::ffi::c_char) -> PyResult<()> {
    // SAFETY: a NUL-terminated string.
    let text = unsafe { CStr::from_ptr(doc) }.to_string_lossy();
    let v = unicode::from_str(ts, &text)?;
    let k = unicode::from_str(ts, "__doc__");
    let r = k.and_then(|k| {
        let r = attr::setattr(ts, m, k, v);
        unsafe { decref(k) };
        r
    });
    unsafe { decref(v) };
    r
}

/// `PyModule_AddObjectRef`: `module.name = value` in the module's dict.
pub fn add_object_ref(ts: Ts, m: *mut PyObject, name: &str, value: *mut PyObject) -> PyResult<()> {
    if !check(m) {
        return Err(errors::type_error(ts, "PyModule_AddObjectRef() first argument must be a module"));
    }
    if value.is_null() {
        if !errors::occurred(ts) {
            return Err(errors::system_error(
                ts,
                "PyModule_AddObjectRef() must be called with an exception raised if value is NULL",
            ));
        }
        return Err(Raised);
    }
    object::refuse_foreign(ts, value)?;
    let d = dict_of(m);
    if d.is_null() {
        let mname = typeobject::short_name(type_of(m));
        return Err(errors::system_error(ts, &format!("module '{mname}' has no __dict__")));
    }
    set_str_attr(ts, d, name, value)
}
