//! The builtin types, one file per type family.

pub mod bool_;
pub mod bytes;
pub mod capsule;
pub mod containers;
pub mod dict;
pub mod exceptions;
pub mod float;
pub mod hash;
pub mod heaptype;
pub mod iterobject;
pub mod list;
pub mod long;
pub mod module;
pub mod numtext;
pub mod object;
pub mod range;
pub mod set;
pub mod singletons;
pub mod slice;
pub mod static_types;
pub mod tuple;
pub mod typeobject;
pub mod unicode;
pub mod unicode_codecs;
