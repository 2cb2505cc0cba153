//! Reporting exceptions nobody will catch, as CPython's default excepthook and
//! unraisable hook write them to stderr.

use crate::abi::*;
use crate::objects::exceptions::{self, Exc, ExcField};
use crate::objects::object::{self, decref};
use crate::objects::{module, tuple, typeobject, unicode};
use crate::protocols;
use crate::runtime::errors::{self, Raised};
use crate::runtime::thread::Ts;
use core::ffi::c_int;

/// "Type: message" for an exception, as the default excepthook prints its last line.
fn describe(ts: Ts, exc: *mut PyObject) -> String {
    let name = typeobject::type_name(object::type_of(exc));
    let name = name.rsplit_once('.').filter(|(m, _)| *m == "builtins").map(|(_, n)| n).unwrap_or(name);
    match protocols::object::str(ts, exc) {
        Ok(s) => {
            let text = unicode::to_string_lossy(s);
            // SAFETY: a reference this function owns, not used after.
            unsafe { decref(s) };
            if text.is_empty() {
                name.to_string()
            } else {
                format!("{name}: {text}")
            }
        }
        Err(Raised) => {
            errors::clear(ts);
            format!("{name}: <exception str() failed>")
        }
    }
}

/// What `PyErr_Print` writes for `exc`, as CPython's default excepthook does: first the
/// exceptions it was raised from or while handling (`__cause__`, else `__context__`
/// unless suppressed), oldest first, each followed by a line saying how it led to the
/// next; a chain that loops stops at the first exception seen twice.
fn describe_chain(ts: Ts, exc: *mut PyObject) -> String {
    const CAUSE: &str = "The above exception was the direct cause of the following exception:";
    const CONTEXT: &str = "During handling of the above exception, another exception occurred:";
    // Each entry: an exception and how it led to the previous (newer) one.
    let mut chain = vec![(exc, "")];
    loop {
        let newest = chain[chain.len() - 1].0;
        let cause = exceptions::get_field(newest, ExcField::Cause);
        let context = exceptions::get_field(newest, ExcField::Context);
        let (next, how) = if !cause.is_null() {
            (cause, CAUSE)
        } else if !context.is_null() && !exceptions::suppresses_context(newest) {
            (context, CONTEXT)
        } else {
            break;
        };
        if chain.iter().any(|&(e, _)| e == next) {
            break;
        }
        chain.push((next, how));
    }
    let mut out = String::new();
    for (i, &(e, how)) in chain.iter().enumerate().rev() {
        out.push_str(&describe(ts, e));
        out.push('\n');
        if i > 0 {
            out.push_str(&format!("\n{how}\n\n"));
        }
    }
    out
}

/// The process exit status a `SystemExit` asks for: its single argument when that is
/// an int, 0 for none or None, else 1 after printing the argument (as CPython does).
fn system_exit_status(ts: Ts, exc: *mut PyObject) -> c_int {
    let args = exceptions::get_field(exc, ExcField::Args);
    let code = match (args.is_null(), if args.is_null() { 0 } else { tuple::size(args) }) {
        (true, _) | (false, 0) => return 0,
        (false, 1) => tuple::item(args, 0),
        _ => args,
    };
    if code == crate::objects::singletons::none() {
        return 0;
    }
    if crate::objects::long::check(code) {
        // SAFETY: `code` is an int (checked above).
        if let Some(v) = unsafe { crate::objects::long::small_value(code) } {
            return v as c_int;
        }
    }
    if let Ok(s) = protocols::object::str(ts, code) {
        eprintln!("{}", unicode::to_string_lossy(s));
        // SAFETY: a reference this function owns, not used after.
        unsafe { decref(s) };
    }
    errors::clear(ts);
    1
}

/// What `print_current` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Printed {
    /// There was no exception, or it was printed and cleared.
    Done,
    /// The exception was a `SystemExit` in the main interpreter: the caller ends the
    /// process with this status, as CPython documents for `PyErr_Print`.
    ExitRequested(c_int),
}

/// Prints and clears the current exception; with `keep_last` it is also stored as
/// `sys.last_exc`. A `SystemExit` is never printed: in the main interpreter the caller
/// is asked to exit, a sub-interpreter records the status (it never ends the process).
pub fn print_current(ts: Ts, keep_last: bool) -> Printed {
    let exc = errors::take_raised(ts);
    if exc.is_null() {
        return Printed::Done;
    }
    if object::is_subtype(object::type_of(exc), exceptions::exc(Exc::SystemExit)) {
        let status = system_exit_status(ts, exc);
        // SAFETY: a reference this function owns, not used after.
        unsafe { decref(exc) };
        if core::ptr::eq(ts.interp(), super::main_interp()) {
            return Printed::ExitRequested(status);
        }
        ts.interp().exit_status.set(Some(status));
        return Printed::Done;
    }
    eprint!("{}", describe_chain(ts, exc));
    let sys = if keep_last {
        super::lifecycle::sys_module(ts).unwrap_or(core::ptr::null_mut())
    } else {
        core::ptr::null_mut()
    };
    errors::clear(ts);
    if !sys.is_null() {
        let _ = module::set_str_attr(ts, module::dict_of(sys), "last_exc", exc);
        errors::clear(ts);
    }
    // SAFETY: a reference this function owns, not used after.
    unsafe { decref(exc) };
    Printed::Done
}

/// Prints "Exception ignored in: obj" and the current exception, then clears it.
pub fn write_unraisable(ts: Ts, obj: *mut PyObject) {
    let exc = errors::take_raised(ts);
    if exc.is_null() {
        return;
    }
    if !obj.is_null() {
        let r = protocols::object::repr(ts, obj).map(|r| {
            let t = unicode::to_string_lossy(r);
            // SAFETY: a reference this function owns, not used after.
            unsafe { decref(r) };
            t
        });
        errors::clear(ts);
        eprintln!("Exception ignored in: {}", r.unwrap_or_else(|_| "<object repr() failed>".into()));
    }
    eprintln!("{}", describe(ts, exc));
    // SAFETY: a reference this function owns, not used after.
    unsafe { decref(exc) };
}
