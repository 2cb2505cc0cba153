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

/* Sets (setobject.h). */
#define PySet_CheckExact(op) Py_IS_TYPE((op), &PySet_Type)
#define PySet_Check(ob) (Py_IS_TYPE((ob), &PySet_Type) || PyType_IsSubtype(Py_TYPE(ob), &PySet_Type))
#define PyFrozenSet_CheckExact(ob) Py_IS_TYPE((ob), &PyFrozenSet_Type)
#define PyFrozenSet_Check(ob) \
    (Py_IS_TYPE((ob), &PyFrozenSet_Type) || PyType_IsSubtype(Py_TYPE(ob), &PyFrozenSet_Type))
#define PyAnySet_CheckExact(ob) (Py_IS_TYPE((ob), &PySet_Type) || Py_IS_TYPE((ob), &PyFrozenSet_Type))
#define PyAnySet_Check(ob) \
    (PyAnySet_CheckExact(ob) || PyType_IsSubtype(Py_TYPE(ob), &PySet_Type) || \
     PyType_IsSubtype(Py_TYPE(ob), &PyFrozenSet_Type))
#ifndef Py_LIMITED_API
static inline Py_ssize_t PySet_GET_SIZE(PyObject *so) { return ((PySetObject *)so)->used; }
#define PySet_GET_SIZE(so) PySet_GET_SIZE(_PyObject_CAST(so))
#endif

#endif
