//! isle: isolated, parallel interpreters behind CPython's C API.
//!
//! `abi` holds the C-visible layouts, `capi` the exported functions (and nothing
//! else), `runtime` the interpreters and threads, `memory` the per-interpreter heap,
//! `objects` the builtin types and `protocols` the abstract object protocols.
#![allow(clippy::missing_safety_doc, non_upper_case_globals, non_snake_case)]

pub mod abi;
pub mod capi;
pub mod memory;
pub mod objects;
pub mod protocols;
pub mod runtime;
