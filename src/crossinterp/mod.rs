//! Communication between interpreters: values copied out of one interpreter and
//! into another (`share`), and queues of such values that any thread of any
//! interpreter, or a host thread with none, can use (`queue`). Nothing here lives
//! in an interpreter's heap, so it all outlives the interpreters that use it.

pub mod concurrent;
pub mod interpqueues;
pub mod interpreters;
pub mod modules;
pub mod queue;
pub mod run;
pub mod share;
