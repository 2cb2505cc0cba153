//! Values that cross interpreters: a `Shared` is a self-contained copy of a value,
//! in memory no interpreter owns (the C library's), so that any thread can hold,
//! move or free it and it outlives the interpreter that made it. `pack` checks the
//! whole value before anything is copied out; `unpack` builds fresh objects in the
//! receiving interpreter's heap.
//!
//! Shareable: None, bool, int of any size, float, str, bytes, and tuples of shareable
//! values, nested; lists and dicts of shareable values arrive as equal copies; queue
//! and interpreter objects arrive as such objects of the same id. Only
//! the exact types count (a subclass of int is not an int here), as in CPython.

use super::queue::Queue;
use crate::abi::*;
use crate::objects::exceptions::{self, Exc};
use crate::objects::object::{self, decref};
use crate::objects::unicode_codecs;
use crate::objects::{bool_, bytes, containers, dict, float, list, long, singletons, tuple, unicode};
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use std::sync::Arc;

/// A copied value.
#[derive(Debug, Clone, PartialEq)]
pub enum Shared {
    None,
    Bool(bool),
    SmallInt(i64),
    /// Two's complement, little-endian, as few bytes as hold the value.
    BigInt(Box<[u8]>),
    Float(f64),
    /// PEP 393 data: 1, 2 or 4 bytes per character.
    Str {
        kind: u8,
        data: Box<[u8]>,
    },
    Bytes(Box<[u8]>),
    Tuple(Box<[Shared]>),
    List(Box<[Shared]>),
    Dict(Box<[(Shared, Shared)]>),
    /// A queue object (`interpreters.Queue`): arrives as a queue object of the same id.
    Queue(QueueRef),
    /// An `interpreters.Interpreter` object: arrives as one for the same id.
    Interpreter(i64),
}

/// A queue inside a shared value: a handle that keeps the queue alive in transit.
#[derive(Clone)]
pub struct QueueRef(pub Arc<Queue>);

impl PartialEq for QueueRef {
    fn eq(&self, other: &Self) -> bool {
        self.0.id == other.0.id
    }
}

impl core::fmt::Debug for QueueRef {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Queue({})", self.0.id)
    }
}

impl Shared {
    /// The bytes this value holds beyond its own node: what a queue's byte bound counts.
    pub fn payload_bytes(&self) -> usize {
        match self {
            Shared::BigInt(b) | Shared::Bytes(b) | Shared::Str { data: b, .. } => b.len(),
            Shared::Tuple(items) | Shared::List(items) => {
                items.iter().map(|i| i.payload_bytes() + core::mem::size_of::<Shared>()).sum()
            }
            Shared::Dict(pairs) => pairs
                .iter()
                .map(|(k, v)| k.payload_bytes() + v.payload_bytes() + 2 * core::mem::size_of::<Shared>())
                .sum(),
            _ => 0,
        }
    }
}

fn not_shareable(ts: Ts, o: *mut PyObject) -> Raised {
    let name = crate::objects::typeobject::type_name(object::type_of(o));
    let message = format!("'{name}' object is not shareable");
    errors::set_string(ts, exceptions::exc(Exc::NotShareableError), &message)
}

/// Whether `o` could be packed, without copying it. Never raises.
pub fn is_shareable(ts: Ts, o: *mut PyObject) -> bool {
    let mut packer = Packer { ts, open: Vec::new() };
    let ok = packer.pack(o).is_ok();
    if !ok {
        errors::clear(ts);
    }
    ok
}

/// Copies `o` out of its interpreter; `NotShareableError` (and nothing copied) when
/// any part of it cannot be shared.
pub fn pack(ts: Ts, o: *mut PyObject) -> PyResult<Shared> {
    Packer { ts, open: Vec::new() }.pack(o)
}

struct Packer {
    ts: Ts,
    /// The containers being packed, outermost first: one met again contains itself.
    open: Vec<*mut PyObject>,
}

impl Packer {
    fn pack(&mut self, o: *mut PyObject) -> PyResult<Shared> {
        let ts = self.ts;
        let ty = object::type_of(o);
        if o == singletons::none() {
            return Ok(Shared::None);
        }
        if o == bool_::py_true() || o == bool_::py_false() {
            return Ok(Shared::Bool(o == bool_::py_true()));
        }
        if ty == long::long_type() {
            return pack_int(ts, o);
        }
        if ty == float::float_type() {
            // SAFETY: `o` is a float.
            return Ok(Shared::Float(unsafe { float::value(o) }));
        }
        if ty == unicode::unicode_type() {
            let kind = unicode::kind(o) as usize;
            let n = unicode::len(o) as usize * kind;
            // SAFETY: a str's data holds len * kind bytes.
            let data = unsafe { core::slice::from_raw_parts(unicode::data(o), n) };
            return Ok(Shared::Str { kind: kind as u8, data: data.into() });
        }
        if ty == bytes::bytes_type() {
            return Ok(Shared::Bytes(bytes::as_slice(o).into()));
        }
        if ty == tuple::tuple_type() {
            return self.within(o, "tuple", |p| p.pack_items(tuple::items(o))).map(Shared::Tuple);
        }
        if ty == list::list_type() {
            // The list is read again at each index: packing an item runs no code, but
            // reading through a copy of the slice would outlive a resize anyway.
            return self
                .within(o, "list", |p| {
                    let mut out = Vec::with_capacity(list::size(o) as usize);
                    let mut i = 0;
                    while i < list::size(o) {
                        out.push(p.pack(list::item(o, i))?);
                        i += 1;
                    }
                    Ok(out.into_boxed_slice())
                })
                .map(Shared::List);
        }
        if ty == dict::dict_type() {
            return self
                .within(o, "dict", |p| {
                    let mut out = Vec::with_capacity(dict::len(o) as usize);
                    let mut pos = 0;
                    while let Some(entry) = dict::next(o, &mut pos) {
                        out.push((p.pack(entry.key)?, p.pack(entry.value)?));
                    }
                    Ok(out.into_boxed_slice())
                })
                .map(Shared::Dict);
        }
        if let Some(q) = super::concurrent::queue_of(o) {
            return Ok(Shared::Queue(QueueRef(q)));
        }
        if let Some(id) = super::concurrent::interpreter_id_of(o) {
            return Ok(Shared::Interpreter(id));
        }
        Err(not_shareable(ts, o))
    }

    fn pack_items(&mut self, items: &[*mut PyObject]) -> PyResult<Box<[Shared]>> {
        items.iter().map(|&i| self.pack(i)).collect()
    }

    /// Packs a container's contents with the container marked open, so that one
    /// containing itself is refused rather than followed forever.
    fn within<T>(&mut self, o: *mut PyObject, what: &str, f: impl FnOnce(&mut Self) -> PyResult<T>) -> PyResult<T> {
        if self.open.contains(&o) {
            let message = format!("a {what} that contains itself is not shareable");
            return Err(errors::set_string(self.ts, exceptions::exc(Exc::NotShareableError), &message));
        }
        let _depth = containers::enter_nested(self.ts, "while packing a shared value")?;
        self.open.push(o);
        let r = f(self);
        self.open.pop();
        r
    }
}

/// `Py_ASNATIVEBYTES_LITTLE_ENDIAN`: big ints travel as little-endian two's complement.
const LITTLE_ENDIAN: core::ffi::c_int = 1;

fn pack_int(ts: Ts, o: *mut PyObject) -> PyResult<Shared> {
    let (v, overflow) = long::as_i64_and_overflow(ts, o)?;
    if overflow == 0 {
        return Ok(Shared::SmallInt(v));
    }
    // One more bit than the magnitude needs holds the sign.
    let n = (long::bit_length(o) / 8 + 1) as usize;
    let mut buf = vec![0u8; n];
    long::as_native_bytes(ts, o, &mut buf, LITTLE_ENDIAN)?;
    Ok(Shared::BigInt(buf.into_boxed_slice()))
}

/// Builds the value anew in the current interpreter (a new reference).
pub fn unpack(ts: Ts, v: &Shared) -> PyResult<*mut PyObject> {
    match v {
        Shared::None => Ok(singletons::none()),
        Shared::Bool(b) => Ok(bool_::from_bool(*b)),
        Shared::SmallInt(i) => long::from_i64(ts, *i),
        Shared::BigInt(b) => long::from_native_bytes(ts, b, LITTLE_ENDIAN, true),
        Shared::Float(f) => float::from_f64(ts, *f),
        // SAFETY: `data` holds whole characters of `kind` bytes each.
        Shared::Str { kind, data } => unsafe {
            unicode_codecs::from_kind_and_data(
                ts,
                *kind as core::ffi::c_int,
                data.as_ptr(),
                data.len() / *kind as usize,
            )
        },
        Shared::Bytes(b) => bytes::from_slice(ts, b),
        Shared::Queue(q) => super::concurrent::new_queue_object(ts, Arc::clone(&q.0)),
        Shared::Interpreter(id) => super::concurrent::new_interpreter_object_here(ts, *id),
        Shared::Tuple(items) => with_unpacked(ts, items, |objs| tuple::pack(ts, objs)),
        Shared::List(items) => with_unpacked(ts, items, |objs| list::from_slice(ts, objs)),
        Shared::Dict(pairs) => {
            let d = dict::new(ts)?;
            for (k, v) in pairs.iter() {
                let filled = unpack(ts, k).and_then(|key| {
                    let r = unpack(ts, v).and_then(|value| {
                        let r = dict::set_item(ts, d, key, value);
                        // SAFETY: `value` is ours; the dict took its own reference.
                        unsafe { decref(value) };
                        r
                    });
                    // SAFETY: `key` is ours.
                    unsafe { decref(key) };
                    r
                });
                if let Err(e) = filled {
                    // SAFETY: `d` is ours.
                    unsafe { decref(d) };
                    return Err(e);
                }
            }
            Ok(d)
        }
    }
}

/// Unpacks `items` and hands them to `make`, which takes its own references.
fn with_unpacked(
    ts: Ts,
    items: &[Shared],
    make: impl FnOnce(&[*mut PyObject]) -> PyResult<*mut PyObject>,
) -> PyResult<*mut PyObject> {
    let mut objs = Vec::with_capacity(items.len());
    let mut result = Ok(());
    for item in items {
        match unpack(ts, item) {
            Ok(o) => objs.push(o),
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    let made = result.and_then(|()| make(&objs));
    for o in objs {
        // SAFETY: each was a new reference of ours.
        unsafe { decref(o) };
    }
    made
}
