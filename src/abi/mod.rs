//! The C-visible data structures and constants. cbindgen turns this folder into
//! `include/isle/abi.h`; nothing here has behaviour.
pub mod config;
pub mod layouts;
pub mod module;
pub mod object;
pub mod threads;

pub use config::*;
pub use layouts::*;
pub use module::*;
pub use object::*;
pub use threads::*;
