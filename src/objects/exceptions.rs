//! The builtin exception hierarchy: immortal static types shared by every interpreter
//! (reachable through the exported `PyExc_*` pointers), and exception instances.

use super::object::{self, clear_slot, xdecref};
use super::typeobject::{self, getset};
use super::{singletons, tuple, unicode};
use crate::abi::*;
use crate::protocols;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ffi::{c_char, c_int, c_void, CStr};
use core::ptr::null_mut;

macro_rules! exception_table {
    ($( $var:ident $sym:ident $name:literal $base:ident; )*) => {
        /// Every builtin exception type, by name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(usize)]
        pub enum Exc { $($var),* }

        const EXC_COUNT: usize = [$(Exc::$var),*].len();
        const EXC_NAMES: [&CStr; EXC_COUNT] = [$($name),*];
        const EXC_BASES: [Exc; EXC_COUNT] = [$(Exc::$base),*];

        static mut EXC_TYPES: [PyTypeObject; EXC_COUNT] = [$(exception_type($name)),*];

        $(
            #[no_mangle]
            pub static mut $sym: *mut PyObject =
                unsafe { &raw mut EXC_TYPES[Exc::$var as usize] } as *mut PyObject;
        )*
    };
}

exception_table! {
    BaseException PyExc_BaseException c"BaseException" BaseException;
    BaseExceptionGroup PyExc_BaseExceptionGroup c"BaseExceptionGroup" BaseException;
    GeneratorExit PyExc_GeneratorExit c"GeneratorExit" BaseException;
    KeyboardInterrupt PyExc_KeyboardInterrupt c"KeyboardInterrupt" BaseException;
    SystemExit PyExc_SystemExit c"SystemExit" BaseException;
    Exception PyExc_Exception c"Exception" BaseException;
    ArithmeticError PyExc_ArithmeticError c"ArithmeticError" Exception;
    FloatingPointError PyExc_FloatingPointError c"FloatingPointError" ArithmeticError;
    OverflowError PyExc_OverflowError c"OverflowError" ArithmeticError;
    ZeroDivisionError PyExc_ZeroDivisionError c"ZeroDivisionError" ArithmeticError;
    AssertionError PyExc_AssertionError c"AssertionError" Exception;
    AttributeError PyExc_AttributeError c"AttributeError" Exception;
    BufferError PyExc_BufferError c"BufferError" Exception;
    EOFError PyExc_EOFError c"EOFError" Exception;
    ExceptionGroup PyExc_ExceptionGroup c"ExceptionGroup" BaseExceptionGroup;
    ImportError PyExc_ImportError c"ImportError" Exception;
    ModuleNotFoundError PyExc_ModuleNotFoundError c"ModuleNotFoundError" ImportError;
    LookupError PyExc_LookupError c"LookupError" Exception;
    IndexError PyExc_IndexError c"IndexError" LookupError;
    KeyError PyExc_KeyError c"KeyError" LookupError;
    MemoryError PyExc_MemoryError c"MemoryError" Exception;
    NameError PyExc_NameError c"NameError" Exception;
    UnboundLocalError PyExc_UnboundLocalError c"UnboundLocalError" NameError;
    OSError PyExc_OSError c"OSError" Exception;
    BlockingIOError PyExc_BlockingIOError c"BlockingIOError" OSError;
    ChildProcessError PyExc_ChildProcessError c"ChildProcessError" OSError;
    ConnectionError PyExc_ConnectionError c"ConnectionError" OSError;
    BrokenPipeError PyExc_BrokenPipeError c"BrokenPipeError" ConnectionError;
    ConnectionAbortedError PyExc_ConnectionAbortedError c"ConnectionAbortedError" ConnectionError;
    ConnectionRefusedError PyExc_ConnectionRefusedError c"ConnectionRefusedError" ConnectionError;
    ConnectionResetError PyExc_ConnectionResetError c"ConnectionResetError" ConnectionError;
    FileExistsError PyExc_FileExistsError c"FileExistsError" OSError;
    FileNotFoundError PyExc_FileNotFoundError c"FileNotFoundError" OSError;
    InterruptedError PyExc_InterruptedError c"InterruptedError" OSError;
    IsADirectoryError PyExc_IsADirectoryError c"IsADirectoryError" OSError;
    NotADirectoryError PyExc_NotADirectoryError c"NotADirectoryError" OSError;
    PermissionError PyExc_PermissionError c"PermissionError" OSError;
    ProcessLookupError PyExc_ProcessLookupError c"ProcessLookupError" OSError;
    TimeoutError PyExc_TimeoutError c"TimeoutError" OSError;
    ReferenceError PyExc_ReferenceError c"ReferenceError" Exception;
    RuntimeError PyExc_RuntimeError c"RuntimeError" Exception;
    NotImplementedError PyExc_NotImplementedError c"NotImplementedError" RuntimeError;
    PythonFinalizationError PyExc_PythonFinalizationError c"PythonFinalizationError" RuntimeError;
    RecursionError PyExc_RecursionError c"RecursionError" RuntimeError;
    StopAsyncIteration PyExc_StopAsyncIteration c"StopAsyncIteration" Exception;
    StopIteration PyExc_StopIteration c"StopIteration" Exception;
    SyntaxError PyExc_SyntaxError c"SyntaxError" Exception;
    IndentationError PyExc_IndentationError c"IndentationError" SyntaxError;
    TabError PyExc_TabError c"TabError" IndentationError;
    SystemError PyExc_SystemError c"SystemError" Exception;
    TypeError PyExc_TypeError c"TypeError" Exception;
    ValueError PyExc_ValueError c"ValueError" Exception;
    UnicodeError PyExc_UnicodeError c"UnicodeError" ValueError;
    UnicodeDecodeError PyExc_UnicodeDecodeError c"UnicodeDecodeError" UnicodeError;
    UnicodeEncodeError PyExc_UnicodeEncodeError c"UnicodeEncodeError" UnicodeError;
    UnicodeTranslateError PyExc_UnicodeTranslateError c"UnicodeTranslateError" UnicodeError;
    Warning PyExc_Warning c"Warning" Exception;
    BytesWarning PyExc_BytesWarning c"BytesWarning" Warning;
    DeprecationWarning PyExc_DeprecationWarning c"DeprecationWarning" Warning;
    EncodingWarning PyExc_EncodingWarning c"EncodingWarning" Warning;
    FutureWarning PyExc_FutureWarning c"FutureWarning" Warning;
    ImportWarning PyExc_ImportWarning c"ImportWarning" Warning;
    PendingDeprecationWarning PyExc_PendingDeprecationWarning c"PendingDeprecationWarning" Warning;
    ResourceWarning PyExc_ResourceWarning c"ResourceWarning" Warning;
    RuntimeWarning PyExc_RuntimeWarning c"RuntimeWarning" Warning;
    SyntaxWarning PyExc_SyntaxWarning c"SyntaxWarning" Warning;
    UnicodeWarning PyExc_UnicodeWarning c"UnicodeWarning" Warning;
    UserWarning PyExc_UserWarning c"UserWarning" Warning;
    // isle's own, for values and queues that cross interpreters (src/crossinterp/),
    // named as CPython 3.14's concurrent.interpreters names them.
    NotShareableError IsleExc_NotShareableError c"concurrent.interpreters.NotShareableError" ValueError;
    QueueError IsleExc_QueueError c"concurrent.interpreters.QueueError" RuntimeError;
    QueueEmpty IsleExc_QueueEmpty c"concurrent.interpreters.QueueEmpty" QueueError;
    QueueFull IsleExc_QueueFull c"concurrent.interpreters.QueueFull" QueueError;
    QueueClosedError IsleExc_QueueClosedError c"concurrent.interpreters.QueueClosedError" QueueError;
    QueueNotFoundError IsleExc_QueueNotFoundError c"concurrent.interpreters.QueueNotFoundError" QueueError;
    InterpreterError IsleExc_InterpreterError c"concurrent.interpreters.InterpreterError" Exception;
    InterpreterNotFoundError IsleExc_InterpreterNotFoundError c"concurrent.interpreters.InterpreterNotFoundError" InterpreterError;
    ExecutionFailed IsleExc_ExecutionFailed c"concurrent.interpreters.ExecutionFailed" InterpreterError;
}

/// `EnvironmentError` and `IOError` are other names of `OSError`.
#[no_mangle]
pub static mut PyExc_EnvironmentError: *mut PyObject =
    unsafe { &raw mut EXC_TYPES[Exc::OSError as usize] } as *mut PyObject;
#[no_mangle]
pub static mut PyExc_IOError: *mut PyObject = unsafe { &raw mut EXC_TYPES[Exc::OSError as usize] } as *mut PyObject;

/// The type object of a builtin exception.
#[inline]
pub fn exc(e: Exc) -> *mut PyTypeObject {
    // SAFETY: a pointer into a static array; never moved.
    unsafe { &raw mut EXC_TYPES[e as usize] }
}

const fn exception_type(name: &'static CStr) -> PyTypeObject {
    PyTypeObject {
        ob_base: PyVarObject {
            ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut super::typeobject::PyType_Type },
            ob_size: 0,
        },
        tp_dealloc: Some(exception_dealloc),
        tp_repr: Some(exception_repr),
        tp_str: Some(exception_str),
        tp_getset: &raw mut EXCEPTION_GETSET as *mut PyGetSetDef,
        tp_methods: &raw mut EXCEPTION_METHODS as *mut PyMethodDef,
        tp_new: Some(exception_new),
        tp_init: Some(exception_init),
        tp_flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_BASE_EXC_SUBCLASS | Py_TPFLAGS_IMMUTABLETYPE,
        tp_dictoffset: core::mem::offset_of!(PyBaseExceptionObject, dict) as Py_ssize_t,
        tp_free: object::DEFAULT_FREE,
        ..PyTypeObject::blank(name, core::mem::size_of::<PyBaseExceptionObject>(), 0)
    }
}

/// `ExceptionGroup`'s two bases, as an immortal tuple (it is the one builtin
/// exception with more than one).
#[repr(C)]
struct TwoBases {
    head: PyVarObject,
    items: [*mut PyObject; 2],
}
static mut EXCEPTION_GROUP_BASES: TwoBases = TwoBases {
    head: PyVarObject {
        ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut super::tuple::PyTuple_Type },
        ob_size: 2,
    },
    items: [unsafe { &raw mut EXC_TYPES[Exc::BaseExceptionGroup as usize] } as *mut PyObject, unsafe {
        &raw mut EXC_TYPES[Exc::Exception as usize]
    } as *mut PyObject],
};

/// Links each builtin exception to its base (start-up, once per process).
pub fn static_types() -> impl Iterator<Item = *mut PyTypeObject> {
    (0..EXC_COUNT).map(|i| {
        let ty = unsafe { &raw mut EXC_TYPES[i] };
        if i != Exc::BaseException as usize {
            // SAFETY: start-up runs before other threads can see these types.
            // The getsets are BaseException's, found by the others through their MRO.
            unsafe {
                (*ty).tp_base = exc(EXC_BASES[i]);
                (*ty).tp_getset = null_mut();
                (*ty).tp_methods = null_mut();
            }
        }
        if i == Exc::SystemExit as usize || i == Exc::StopIteration as usize {
            // SAFETY: as above. One more field after the common head (`code`, `value`).
            unsafe {
                (*ty).tp_basicsize = core::mem::size_of::<ExceptionWithValue>() as Py_ssize_t;
                (*ty).tp_members = if i == Exc::SystemExit as usize {
                    &raw mut SYSTEM_EXIT_MEMBERS as *mut PyMemberDef
                } else {
                    &raw mut STOP_ITERATION_MEMBERS as *mut PyMemberDef
                };
            }
        }
        if i == Exc::ExceptionGroup as usize {
            unsafe { (*ty).tp_bases = &raw mut EXCEPTION_GROUP_BASES as *mut PyObject };
        }
        let _ = EXC_NAMES[i];
        ty
    })
}

pub fn is_exception_type(o: *mut PyObject) -> bool {
    object::has_flag(object::type_of(o), Py_TPFLAGS_TYPE_SUBCLASS)
        && object::has_flag(o as *mut PyTypeObject, Py_TPFLAGS_BASE_EXC_SUBCLASS)
}

pub fn is_exception_instance(o: *mut PyObject) -> bool {
    object::has_flag(object::type_of(o), Py_TPFLAGS_BASE_EXC_SUBCLASS)
}

fn fields(o: *mut PyObject) -> &'static mut PyBaseExceptionObject {
    // SAFETY: callers pass exception instances, which all have this layout.
    unsafe { &mut *(o as *mut PyBaseExceptionObject) }
}

/// An instance of exception type `ty` made from `value` as `PyErr_SetObject` would: an
/// instance of `ty` is taken as is, a tuple becomes the args, null or None no args,
/// anything else the single argument.
pub fn instantiate(ts: Ts, ty: *mut PyTypeObject, value: *mut PyObject) -> PyResult<*mut PyObject> {
    if !value.is_null() && object::is_subtype(object::type_of(value), ty) {
        return Ok(unsafe { object::new_ref(value) });
    }
    let args = if value.is_null() || value == singletons::none() {
        tuple::new(ts, 0)?
    } else if tuple::check(value) {
        unsafe { object::new_ref(value) }
    } else {
        tuple::pack(ts, &[value])?
    };
    new_instance(ts, ty, args)
}

/// A fresh instance of `ty` with `args` (a tuple; the reference is taken over).
pub fn new_instance(ts: Ts, ty: *mut PyTypeObject, args: *mut PyObject) -> PyResult<*mut PyObject> {
    let o = match object::alloc_object(ts, ty, 0) {
        Ok(o) => o,
        Err(e) => {
            unsafe { xdecref(args) };
            return Err(e);
        }
    };
    fields(o).args = args;
    fill_value(o);
    Ok(o)
}

/// The layout of `SystemExit` (`PySystemExitObject`, whose field is `code`) and
/// `StopIteration` (`PyStopIterationObject`, `value`).
#[repr(C)]
struct ExceptionWithValue {
    head: PyBaseExceptionObject,
    value: *mut PyObject,
}

const VALUE_OFFSET: Py_ssize_t = core::mem::offset_of!(ExceptionWithValue, value) as Py_ssize_t;

const fn value_member(name: &'static CStr) -> [PyMemberDef; 2] {
    [
        PyMemberDef {
            name: name.as_ptr(),
            r#type: _Py_T_OBJECT,
            offset: VALUE_OFFSET,
            flags: 0,
            doc: core::ptr::null(),
        },
        PyMemberDef { name: core::ptr::null(), r#type: 0, offset: 0, flags: 0, doc: core::ptr::null() },
    ]
}

static mut SYSTEM_EXIT_MEMBERS: [PyMemberDef; 2] = value_member(c"code");
static mut STOP_ITERATION_MEMBERS: [PyMemberDef; 2] = value_member(c"value");

/// The extra field of a `SystemExit` or `StopIteration`, if `o` is one.
fn value_field(o: *mut PyObject) -> Option<&'static mut *mut PyObject> {
    let ty = object::type_of(o);
    if object::is_subtype(ty, exc(Exc::SystemExit)) || object::is_subtype(ty, exc(Exc::StopIteration)) {
        // SAFETY: these types (and their subtypes) have the longer layout.
        Some(unsafe { &mut (*(o as *mut ExceptionWithValue)).value })
    } else {
        None
    }
}

/// Sets `SystemExit.code` / `StopIteration.value` from the args, as their `__init__`
/// does: none gives None (code: unset, read as None), one its value; `code` takes the
/// whole tuple for more.
fn fill_value(o: *mut PyObject) {
    let Some(slot) = value_field(o) else { return };
    let (args, n) = args_of(o);
    let is_exit = object::is_subtype(object::type_of(o), exc(Exc::SystemExit));
    let new = match n {
        0 if is_exit => null_mut(),
        0 => unsafe { object::new_ref(singletons::none()) },
        1 => unsafe { object::new_ref(tuple::item(args, 0)) },
        _ if is_exit => unsafe { object::new_ref(args) },
        _ => unsafe { object::new_ref(tuple::item(args, 0)) },
    };
    let old = core::mem::replace(slot, new);
    unsafe { xdecref(old) };
}

/// `BaseException.__new__`: an instance whose args are the positional arguments.
fn new(ts: Ts, ty: *mut PyTypeObject, args: *mut PyObject) -> PyResult<*mut PyObject> {
    let args = if args.is_null() { tuple::new(ts, 0)? } else { unsafe { object::new_ref(args) } };
    new_instance(ts, ty, args)
}

/// `BaseException.__init__`: no keywords; the args are the positional arguments.
fn init(ts: Ts, o: *mut PyObject, args: *mut PyObject, kwds: *mut PyObject) -> PyResult<()> {
    if !kwds.is_null() && super::dict::len(kwds) > 0 {
        let name = typeobject::type_name(object::type_of(o));
        return Err(errors::type_error(ts, &format!("{name}() takes no keyword arguments")));
    }
    let args = if args.is_null() { tuple::new(ts, 0)? } else { unsafe { object::new_ref(args) } };
    set_field(o, ExcField::Args, args);
    fill_value(o);
    Ok(())
}

unsafe extern "C" fn exception_new(ty: *mut PyTypeObject, args: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| new(ts, ty, args))
}

unsafe extern "C" fn exception_init(o: *mut PyObject, args: *mut PyObject, kwds: *mut PyObject) -> c_int {
    boundary::slot(|ts| init(ts, o, args, kwds))
}

unsafe extern "C" fn exception_dealloc(o: *mut PyObject) {
    boundary::guard(|| {
        if let Some(value) = value_field(o) {
            unsafe { clear_slot(value) };
        }
        let f = fields(o);
        unsafe {
            clear_slot(&mut f.dict);
            clear_slot(&mut f.args);
            clear_slot(&mut f.notes);
            clear_slot(&mut f.traceback);
            clear_slot(&mut f.context);
            clear_slot(&mut f.cause);
            object::free_object(o);
        }
    })
}

fn args_of(o: *mut PyObject) -> (*mut PyObject, isize) {
    let args = fields(o).args;
    if args.is_null() || !tuple::check(args) {
        (null_mut(), 0)
    } else {
        (args, tuple::size(args))
    }
}

unsafe extern "C" fn exception_str(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let (args, n) = args_of(o);
        let is_key_error = object::is_subtype(object::type_of(o), exc(Exc::KeyError));
        let r = match n {
            0 => unicode::from_str(ts, ""),
            1 if is_key_error => protocols::object::repr(ts, tuple::item(args, 0)),
            1 => protocols::object::str(ts, tuple::item(args, 0)),
            _ => protocols::object::str(ts, args),
        };
        r.unwrap_or(null_mut())
    })
}

unsafe extern "C" fn exception_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        let name = typeobject::short_name(object::type_of(o));
        let (args, n) = args_of(o);
        let inner = match n {
            0 => Ok(String::new()),
            1 => protocols::object::repr(ts, tuple::item(args, 0)).map(|r| unsafe { owned_text(r) }),
            _ => protocols::object::repr(ts, args).map(|r| {
                let s = unsafe { owned_text(r) };
                s[1..s.len() - 1].trim_end_matches(',').to_string()
            }),
        };
        match inner {
            Ok(text) => unicode::from_str(ts, &format!("{name}({text})")).unwrap_or(null_mut()),
            Err(Raised) => null_mut(),
        }
    })
}

/// The text of a str object, dropping the reference.
unsafe fn owned_text(s: *mut PyObject) -> String {
    let t = unicode::to_string_lossy(s);
    unsafe { object::decref(s) };
    t
}

macro_rules! field_getter {
    ($fn:ident, $field:ident) => {
        unsafe extern "C" fn $fn(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
            boundary::guard(|| {
                let v = fields(o).$field;
                if v.is_null() {
                    singletons::none()
                } else {
                    unsafe { object::new_ref(v) }
                }
            })
        }
    };
}
field_getter!(get_args, args);
field_getter!(get_cause, cause);
field_getter!(get_context, context);
field_getter!(get_traceback, traceback);

unsafe extern "C" fn get_suppress_context(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::guard(|| super::bool_::from_bool(suppresses_context(o)))
}

/// Raises `TypeError(message)` for a setter and returns its error value.
fn refuse(message: &str) -> c_int {
    if let Some(ts) = Ts::current() {
        errors::type_error(ts, message);
    }
    -1
}

/// Assigns `__cause__` or `__context__`: None clears it, an exception instance is
/// stored; deleting or any other value is a `TypeError`.
fn set_link(o: *mut PyObject, value: *mut PyObject, field: ExcField, attr: &str, noun: &str) -> c_int {
    if value.is_null() {
        return refuse(&format!("{attr} may not be deleted"));
    }
    let new = if value == singletons::none() {
        null_mut()
    } else if is_exception_instance(value) {
        // SAFETY: a live object; the exception keeps the new reference.
        unsafe { object::new_ref(value) }
    } else {
        return refuse(&format!("exception {noun} must be None or derive from BaseException"));
    };
    set_field(o, field, new);
    0
}

unsafe extern "C" fn set_cause(o: *mut PyObject, value: *mut PyObject, _: *mut c_void) -> c_int {
    boundary::guard(|| set_link(o, value, ExcField::Cause, "__cause__", "cause"))
}

unsafe extern "C" fn set_context(o: *mut PyObject, value: *mut PyObject, _: *mut c_void) -> c_int {
    boundary::guard(|| set_link(o, value, ExcField::Context, "__context__", "context"))
}

/// isle has no traceback objects, so None (clearing it) is the only value accepted.
unsafe extern "C" fn set_traceback(o: *mut PyObject, value: *mut PyObject, _: *mut c_void) -> c_int {
    boundary::guard(|| {
        if value.is_null() {
            return refuse("__traceback__ may not be deleted");
        }
        if value != singletons::none() {
            return refuse("__traceback__ must be a traceback or None");
        }
        set_field(o, ExcField::Traceback, null_mut());
        0
    })
}

unsafe extern "C" fn set_suppress_context(o: *mut PyObject, value: *mut PyObject, _: *mut c_void) -> c_int {
    boundary::guard(|| {
        if value.is_null() {
            return refuse("can't delete numeric/char attribute");
        }
        if value != super::bool_::py_true() && value != super::bool_::py_false() {
            return refuse("attribute value type must be bool");
        }
        fields(o).suppress_context = (value == super::bool_::py_true()) as c_char;
        0
    })
}

/// `e.args = seq`: any iterable, stored as a tuple.
unsafe extern "C" fn set_args(o: *mut PyObject, value: *mut PyObject, _: *mut c_void) -> c_int {
    boundary::guard(|| {
        if value.is_null() {
            return refuse("args may not be deleted");
        }
        let Some(ts) = Ts::current() else { return -1 };
        match protocols::sequence::to_tuple(ts, value) {
            Ok(t) => {
                set_field(o, ExcField::Args, t);
                0
            }
            Err(Raised) => -1,
        }
    })
}

/// `e.with_traceback(tb)`: sets `__traceback__` and returns `e`.
unsafe extern "C" fn exception_with_traceback(o: *mut PyObject, tb: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| {
        if unsafe { set_traceback(o, tb, null_mut()) } < 0 {
            return null_mut();
        }
        unsafe { object::new_ref(o) }
    })
}

/// `e.add_note(note)`: appends a str to `e.__notes__` (a list in the instance dict,
/// made on first use).
unsafe extern "C" fn exception_add_note(o: *mut PyObject, note: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| add_note(ts, o, note))
}

fn add_note(ts: Ts, o: *mut PyObject, note: *mut PyObject) -> PyResult<*mut PyObject> {
    if !unicode::check(note) {
        let name = typeobject::type_name(object::type_of(note));
        return Err(errors::type_error(ts, &format!("note must be a str, not '{name}'")));
    }
    let key = unicode::intern_str(ts, "__notes__")?;
    let result = add_note_under(ts, o, key, note);
    unsafe { object::decref(key) };
    result.map(|()| unsafe { object::new_ref(singletons::none()) })
}

fn add_note_under(ts: Ts, o: *mut PyObject, key: *mut PyObject, note: *mut PyObject) -> PyResult<()> {
    let existing = match protocols::attr::getattr(ts, o, key) {
        Ok(n) => Some(n),
        Err(Raised) if object::is_subtype(object::type_of(ts.exception()), exc(Exc::AttributeError)) => {
            errors::clear(ts);
            None
        }
        Err(e) => return Err(e),
    };
    let notes = match existing {
        Some(n) => n,
        None => {
            let fresh = super::list::new(ts, 0)?;
            if let Err(e) = protocols::attr::setattr(ts, o, key, fresh) {
                unsafe { object::decref(fresh) };
                return Err(e);
            }
            fresh
        }
    };
    let r = if super::list::check(notes) {
        super::list::append(ts, notes, note)
    } else {
        Err(errors::type_error(ts, "Cannot add note: __notes__ is not a list"))
    };
    unsafe { object::decref(notes) };
    r
}

static mut EXCEPTION_METHODS: [PyMethodDef; 3] = [
    super::methodargs::simple(c"with_traceback", exception_with_traceback, METH_O),
    super::methodargs::simple(c"add_note", exception_add_note, METH_O),
    super::methodargs::END,
];

static mut EXCEPTION_GETSET: [PyGetSetDef; 6] = [
    PyGetSetDef { set: Some(set_args), ..getset(c"args", get_args) },
    PyGetSetDef { set: Some(set_cause), ..getset(c"__cause__", get_cause) },
    PyGetSetDef { set: Some(set_context), ..getset(c"__context__", get_context) },
    PyGetSetDef { set: Some(set_traceback), ..getset(c"__traceback__", get_traceback) },
    PyGetSetDef { set: Some(set_suppress_context), ..getset(c"__suppress_context__", get_suppress_context) },
    PyGetSetDef { name: core::ptr::null(), get: None, set: None, doc: core::ptr::null(), closure: null_mut() },
];

/// Replaces an owned field of an exception (`PyException_SetCause` and friends);
/// takes over the reference to `value`.
pub fn set_field(o: *mut PyObject, which: ExcField, value: *mut PyObject) {
    let f = fields(o);
    let slot = match which {
        ExcField::Args => &mut f.args,
        ExcField::Cause => {
            f.suppress_context = 1;
            &mut f.cause
        }
        ExcField::Context => &mut f.context,
        ExcField::Traceback => &mut f.traceback,
    };
    let old = core::mem::replace(slot, value);
    unsafe { xdecref(old) };
}

/// Whether `__suppress_context__` is set (a cause was set, or it was assigned).
pub fn suppresses_context(o: *mut PyObject) -> bool {
    fields(o).suppress_context != 0
}

/// Borrowed field of an exception (null when unset).
pub fn get_field(o: *mut PyObject, which: ExcField) -> *mut PyObject {
    let f = fields(o);
    match which {
        ExcField::Args => f.args,
        ExcField::Cause => f.cause,
        ExcField::Context => f.context,
        ExcField::Traceback => f.traceback,
    }
}

#[derive(Clone, Copy)]
pub enum ExcField {
    Args,
    Cause,
    Context,
    Traceback,
}
