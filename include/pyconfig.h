/* Platform facts for code that includes "pyconfig.h" directly. isle is a default
 * (GIL, non-debug) 64-bit build: Py_GIL_DISABLED and Py_DEBUG are never defined. */
#ifndef ISLE_PYCONFIG_H
#define ISLE_PYCONFIG_H
#define SIZEOF_VOID_P 8
#define SIZEOF_SIZE_T 8
#define SIZEOF_LONG 8
#define SIZEOF_LONG_LONG 8
#define SIZEOF_INT 4
#define SIZEOF_SHORT 2
#define SIZEOF_DOUBLE 8
#define SIZEOF_FLOAT 4
#define SIZEOF_WCHAR_T 4
#define HAVE_FORK 1
#define PY_HAVE_THREAD_NATIVE_ID 1
#define WITH_THREAD 1
#endif
