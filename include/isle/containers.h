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

/* Slices and ranges (sliceobject.h, rangeobject.h). */
#define PySlice_Check(op) Py_IS_TYPE((op), &PySlice_Type)
#define PyRange_Check(op) Py_IS_TYPE((op), &PyRange_Type)
#if !defined(Py_LIMITED_API) || (Py_LIMITED_API + 0 >= 0x03050400 && Py_LIMITED_API + 0 < 0x03060000) || \
    Py_LIMITED_API + 0 >= 0x03060100
#define PySlice_GetIndicesEx(slice, length, start, stop, step, slicelen) \
    (PySlice_Unpack((slice), (start), (stop), (step)) < 0 \
         ? ((*(slicelen) = 0), -1) \
         : ((*(slicelen) = PySlice_AdjustIndices((length), (start), (stop), *(step))), 0))
#endif

/* The sequence and mapping protocols (abstract.h). */
#define PyMapping_DelItemString(O, K) PyObject_DelItemString((O), (K))
#define PyMapping_DelItem(O, K) PyObject_DelItem((O), (K))
#ifndef Py_LIMITED_API
#define PySequence_Fast_GET_SIZE(o) (PyList_Check(o) ? PyList_GET_SIZE(o) : PyTuple_GET_SIZE(o))
#define PySequence_Fast_GET_ITEM(o, i) (PyList_Check(o) ? PyList_GET_ITEM((o), (i)) : PyTuple_GET_ITEM((o), (i)))
#define PySequence_Fast_ITEMS(sf) \
    (PyList_Check(sf) ? ((PyListObject *)(sf))->ob_item : ((PyTupleObject *)(sf))->ob_item)
#define PySequence_ITEM(o, i) (Py_TYPE(o)->tp_as_sequence->sq_item((o), (i)))
#endif

/* Capsules (pycapsule.h). */
#define PyCapsule_CheckExact(op) Py_IS_TYPE((op), &PyCapsule_Type)

#endif
