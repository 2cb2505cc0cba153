//! Client requests that describe heap blocks to valgrind's memcheck (`csrc/memcheck.c`).
//! Each heap is a memcheck memory pool; outside valgrind every call is a no-op.

use core::ffi::c_void;

#[allow(unused_doc_comments)] // the comment below is read by cbindgen
/// cbindgen:ignore
extern "C" {
    fn isle_vg_pool_create(pool: *mut c_void);
    fn isle_vg_pool_destroy(pool: *mut c_void);
    fn isle_vg_alloc(pool: *mut c_void, block: *mut c_void, size: usize);
    fn isle_vg_free(pool: *mut c_void, block: *mut c_void);
    fn isle_vg_noaccess(p: *mut c_void, size: usize);
    fn isle_vg_defined(p: *mut c_void, size: usize);
}

// SAFETY (all below): client requests only update memcheck's shadow state; they
// never touch the memory itself.
pub fn pool_create<T>(pool: *mut T) {
    unsafe { isle_vg_pool_create(pool.cast()) }
}
pub fn pool_destroy<T>(pool: *mut T) {
    unsafe { isle_vg_pool_destroy(pool.cast()) }
}
pub fn block_allocated<T>(pool: *mut T, block: *mut u8, size: usize) {
    unsafe { isle_vg_alloc(pool.cast(), block.cast(), size) }
}
pub fn block_freed<T>(pool: *mut T, block: *mut u8) {
    unsafe { isle_vg_free(pool.cast(), block.cast()) }
}
pub fn no_access(p: *mut u8, size: usize) {
    unsafe { isle_vg_noaccess(p.cast(), size) }
}
/// Lets the heap read a free block's link word.
pub fn defined(p: *mut u8, size: usize) {
    unsafe { isle_vg_defined(p.cast(), size) }
}
