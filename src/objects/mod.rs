//! The builtin types, one file per type family.

pub mod bool_;
pub mod bytes;
pub mod containers;
pub mod descrobject;
pub mod dict;
pub mod exceptions;
pub mod float;
pub mod gc;
pub mod hash;
pub mod heaptype;
pub mod list;
pub mod long;
pub mod methodobject;
pub mod mro;
pub mod module;
pub mod numtext;
pub mod object;
pub mod singletons;
pub mod slotwrappers;
pub mod static_types;
pub mod tuple;
pub mod typeobject;
pub mod typespec;
pub mod typestate;
pub mod unicode;
pub mod unicode_codecs;
