/* Tells valgrind's memcheck about the blocks carved out of heap pages, so that it
 * checks objects (use after free, reads of uninitialised memory) and not just the
 * pages. Each heap is a valgrind memory pool; ending an interpreter destroys its pool.
 * Outside valgrind these client requests cost a few instructions; without the
 * valgrind headers they compile to nothing. */
#include <stddef.h>

#if defined(__has_include)
#  if __has_include(<valgrind/memcheck.h>)
#    include <valgrind/memcheck.h>
#    define ISLE_HAVE_MEMCHECK 1
#  endif
#endif

#ifdef ISLE_HAVE_MEMCHECK
int isle_vg_running(void) { return RUNNING_ON_VALGRIND ? 1 : 0; }
void isle_vg_pool_create(void *pool) { VALGRIND_CREATE_MEMPOOL(pool, 0, 0); }
void isle_vg_pool_destroy(void *pool) { VALGRIND_DESTROY_MEMPOOL(pool); }
void isle_vg_alloc(void *pool, void *block, size_t size) { VALGRIND_MEMPOOL_ALLOC(pool, block, size); }
void isle_vg_free(void *pool, void *block) { VALGRIND_MEMPOOL_FREE(pool, block); }
void isle_vg_noaccess(void *p, size_t size) { VALGRIND_MAKE_MEM_NOACCESS(p, size); }
void isle_vg_defined(void *p, size_t size) { VALGRIND_MAKE_MEM_DEFINED(p, size); }
#else
int isle_vg_running(void) { return 0; }
void isle_vg_pool_create(void *pool) { (void)pool; }
void isle_vg_pool_destroy(void *pool) { (void)pool; }
void isle_vg_alloc(void *pool, void *block, size_t size) { (void)pool; (void)block; (void)size; }
void isle_vg_free(void *pool, void *block) { (void)pool; (void)block; }
void isle_vg_noaccess(void *p, size_t size) { (void)p; (void)size; }
void isle_vg_defined(void *p, size_t size) { (void)p; (void)size; }
#endif
