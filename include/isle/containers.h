/* Iterators, sets, slices, ranges, the sequence and mapping protocols, capsules:
 * the check macros and inline accessors CPython's headers define for them. */
#ifndef ISLE_CONTAINERS_H
#define ISLE_CONTAINERS_H

/* What PyIter_Send reports (it is declared returning int, the same ABI). */
typedef enum {
    PYGEN_RETURN = 0,
    PYGEN_ERROR = -1,
    PYGEN_NEXT = 1,
} PySendResult;

#endif
