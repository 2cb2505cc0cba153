/* The OS thread's current thread state. Kept in C so that it can use the
 * initial-exec TLS model: one %fs-relative load instead of a __tls_get_addr call. */
#include <stddef.h>

struct _ts;
static __thread struct _ts *isle_current_tstate
    __attribute__((tls_model("initial-exec"))) = NULL;

struct _ts *isle_tls_get(void) { return isle_current_tstate; }

struct _ts *isle_tls_swap(struct _ts *ts) {
    struct _ts *old = isle_current_tstate;
    isle_current_tstate = ts;
    return old;
}
