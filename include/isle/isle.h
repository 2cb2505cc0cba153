/* isle's own additions to the API, beyond what CPython offers. */
#ifndef ISLE_ISLE_H
#define ISLE_ISLE_H
#endif
