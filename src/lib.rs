//! isle: isolated, parallel interpreters behind CPython's C API.
//!
//! `abi` holds the C-visible layouts, `capi` the exported functions (and nothing
//! else), `runtime` the interpreters and threads, `memory` the per-interpreter heap,
//! `objects` the builtin types and `protocols` the abstract object protocols.
// Objects travel as raw `*mut PyObject` handles throughout the core, valid by the C
// API's contract rather than by Rust's types: marking every function that reads one
// `unsafe` would add noise, not safety; the `unsafe` blocks that dereference them say why.
#![allow(clippy::missing_safety_doc, clippy::not_unsafe_ptr_arg_deref, non_upper_case_globals, non_snake_case)]

pub mod abi;
pub mod capi;
pub mod crossinterp;
pub mod memory;
pub mod objects;
pub mod protocols;
pub mod runtime;
