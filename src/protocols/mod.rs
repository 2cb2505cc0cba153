//! The abstract object protocols, dispatching through type slots.

pub mod attr;
pub mod call;
pub mod iter;
pub mod mapping;
pub mod number;
pub mod object;
pub mod sequence;
