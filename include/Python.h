/* isle: the CPython 3.13 C API over isolated interpreters.
 * Include this header as you would CPython's. */
#ifndef Py_PYTHON_H
#define Py_PYTHON_H

#include "patchlevel.h"
#include "pyconfig.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <sys/types.h>
#include <unistd.h>

#include "isle/port.h"
#include "isle/abi.h"
#include "isle/pyhash.h"
#include "isle/exceptions.h"
#include "isle/object.h"
#include "isle/types.h"
#include "isle/call.h"
#include "isle/module.h"
#include "cpython/longintrepr.h"
#include "isle/threads.h"
#include "isle/varargs.h"
#include "isle/isle.h"

#endif /* Py_PYTHON_H */
