/* The object header as CPython 3.13 inlines it: reference counting with the
 * immortal rule, type and size access, the singletons. */
#ifndef ISLE_OBJECT_H
#define ISLE_OBJECT_H

#define PyObject_HEAD PyObject ob_base;
#define PyObject_VAR_HEAD PyVarObject ob_base;
#define PyObject_HEAD_INIT(type) { _Py_IMMORTAL_REFCNT, (type) },
#define PyVarObject_HEAD_INIT(type, size) { PyObject_HEAD_INIT(type) (size) },

static inline int _Py_IsImmortal(PyObject *op) {
    return (int32_t)(uint32_t)op->ob_refcnt < 0;
}
#define _Py_IsImmortal(op) _Py_IsImmortal(_PyObject_CAST(op))

static inline Py_ssize_t Py_REFCNT(PyObject *ob) { return ob->ob_refcnt; }
#define Py_REFCNT(ob) Py_REFCNT(_PyObject_CAST(ob))
static inline PyTypeObject *Py_TYPE(PyObject *ob) { return ob->ob_type; }
#define Py_TYPE(ob) Py_TYPE(_PyObject_CAST(ob))
static inline Py_ssize_t Py_SIZE(PyObject *ob) { return ((PyVarObject *)ob)->ob_size; }
#define Py_SIZE(ob) Py_SIZE(_PyObject_CAST(ob))
static inline int Py_IS_TYPE(PyObject *ob, PyTypeObject *type) { return Py_TYPE(ob) == type; }
#define Py_IS_TYPE(ob, type) Py_IS_TYPE(_PyObject_CAST(ob), (type))

static inline void Py_SET_REFCNT(PyObject *ob, Py_ssize_t refcnt) {
    if (_Py_IsImmortal(ob)) return;
    ob->ob_refcnt = refcnt;
}
#define Py_SET_REFCNT(ob, refcnt) Py_SET_REFCNT(_PyObject_CAST(ob), (refcnt))
static inline void Py_SET_TYPE(PyObject *ob, PyTypeObject *type) { ob->ob_type = type; }
#define Py_SET_TYPE(ob, type) Py_SET_TYPE(_PyObject_CAST(ob), (type))
static inline void Py_SET_SIZE(PyVarObject *ob, Py_ssize_t size) { ob->ob_size = size; }
#define Py_SET_SIZE(ob, size) Py_SET_SIZE(_PyVarObject_CAST(ob), (size))

#if defined(Py_LIMITED_API) && Py_LIMITED_API + 0 >= 0x030c0000
/* The limited API of 3.12+ leaves reference counting to the library. */
#  define Py_INCREF(op) _Py_IncRef(_PyObject_CAST(op))
#  define Py_DECREF(op) _Py_DecRef(_PyObject_CAST(op))
#else
static inline void Py_INCREF(PyObject *op) {
    uint32_t low = (uint32_t)op->ob_refcnt + 1;
    if (low == 0) return; /* immortal: leave it be */
    op->ob_refcnt = (Py_ssize_t)(((uint64_t)op->ob_refcnt & ~(uint64_t)0xFFFFFFFF) | low);
}
#  define Py_INCREF(op) Py_INCREF(_PyObject_CAST(op))
static inline void Py_DECREF(PyObject *op) {
    if (_Py_IsImmortal(op)) return;
    if (--op->ob_refcnt == 0) _Py_Dealloc(op);
}
#  define Py_DECREF(op) Py_DECREF(_PyObject_CAST(op))
#endif

static inline void Py_XINCREF(PyObject *op) { if (op != NULL) Py_INCREF(op); }
#define Py_XINCREF(op) Py_XINCREF(_PyObject_CAST(op))
static inline void Py_XDECREF(PyObject *op) { if (op != NULL) Py_DECREF(op); }
#define Py_XDECREF(op) Py_XDECREF(_PyObject_CAST(op))

static inline PyObject *_Py_NewRef(PyObject *obj) { Py_INCREF(obj); return obj; }
static inline PyObject *_Py_XNewRef(PyObject *obj) { Py_XINCREF(obj); return obj; }
#define Py_NewRef(obj) _Py_NewRef(_PyObject_CAST(obj))
#define Py_XNewRef(obj) _Py_XNewRef(_PyObject_CAST(obj))

#define Py_CLEAR(op) \
    do { \
        __typeof__(op) *_py_tmp_ptr = &(op); \
        __typeof__(op) _py_tmp_old = (*_py_tmp_ptr); \
        if (_py_tmp_old != NULL) { \
            *_py_tmp_ptr = NULL; \
            Py_DECREF(_py_tmp_old); \
        } \
    } while (0)
#define Py_SETREF(dst, src) \
    do { \
        __typeof__(dst) *_tmp_dst_ptr = &(dst); \
        __typeof__(dst) _tmp_old_dst = (*_tmp_dst_ptr); \
        *_tmp_dst_ptr = (src); \
        Py_DECREF(_tmp_old_dst); \
    } while (0)
#define Py_XSETREF(dst, src) \
    do { \
        __typeof__(dst) *_tmp_dst_ptr = &(dst); \
        __typeof__(dst) _tmp_old_dst = (*_tmp_dst_ptr); \
        *_tmp_dst_ptr = (src); \
        Py_XDECREF(_tmp_old_dst); \
    } while (0)

#define Py_VISIT(op) \
    do { \
        if (op) { \
            int vret = visit(_PyObject_CAST(op), arg); \
            if (vret) return vret; \
        } \
    } while (0)

/* The singletons: data symbols, or a function under the 3.13 limited API. */
#if defined(Py_LIMITED_API) && Py_LIMITED_API + 0 >= 0x030d0000
#  define Py_None Py_GetConstantBorrowed(Py_CONSTANT_NONE)
#  define Py_False Py_GetConstantBorrowed(Py_CONSTANT_FALSE)
#  define Py_True Py_GetConstantBorrowed(Py_CONSTANT_TRUE)
#  define Py_Ellipsis Py_GetConstantBorrowed(Py_CONSTANT_ELLIPSIS)
#  define Py_NotImplemented Py_GetConstantBorrowed(Py_CONSTANT_NOT_IMPLEMENTED)
#else
#  define Py_None (&_Py_NoneStruct)
#  define Py_False ((PyObject *)&_Py_FalseStruct)
#  define Py_True ((PyObject *)&_Py_TrueStruct)
#  define Py_Ellipsis (&_Py_EllipsisObject)
#  define Py_NotImplemented (&_Py_NotImplementedStruct)
#endif

#if defined(Py_LIMITED_API) && Py_LIMITED_API + 0 < 0x030c0000
#  define Py_RETURN_NONE return Py_NewRef(Py_None)
#  define Py_RETURN_TRUE return Py_NewRef(Py_True)
#  define Py_RETURN_FALSE return Py_NewRef(Py_False)
#else
#  define Py_RETURN_NONE return Py_None
#  define Py_RETURN_TRUE return Py_True
#  define Py_RETURN_FALSE return Py_False
#endif
#define Py_RETURN_NOTIMPLEMENTED return Py_NotImplemented
#define Py_RETURN_RICHCOMPARE(val1, val2, op) \
    do { \
        switch (op) { \
        case Py_EQ: if ((val1) == (val2)) Py_RETURN_TRUE; Py_RETURN_FALSE; \
        case Py_NE: if ((val1) != (val2)) Py_RETURN_TRUE; Py_RETURN_FALSE; \
        case Py_LT: if ((val1) < (val2)) Py_RETURN_TRUE; Py_RETURN_FALSE; \
        case Py_GT: if ((val1) > (val2)) Py_RETURN_TRUE; Py_RETURN_FALSE; \
        case Py_LE: if ((val1) <= (val2)) Py_RETURN_TRUE; Py_RETURN_FALSE; \
        case Py_GE: if ((val1) >= (val2)) Py_RETURN_TRUE; Py_RETURN_FALSE; \
        default: Py_UNREACHABLE(); \
        } \
    } while (0)

/* Type flags and checks. */
#if defined(Py_LIMITED_API)
#  define PyType_HasFeature(t, f) ((PyType_GetFlags(t) & (f)) != 0)
#else
#  define PyType_HasFeature(t, f) (((t)->tp_flags & (f)) != 0)
#endif
#define PyType_FastSubclass(type, flag) PyType_HasFeature((type), (flag))
static inline int PyObject_TypeCheck(PyObject *ob, PyTypeObject *type) {
    return Py_IS_TYPE(ob, type) || PyType_IsSubtype(Py_TYPE(ob), type);
}
#define PyObject_TypeCheck(ob, type) PyObject_TypeCheck(_PyObject_CAST(ob), (type))
#define PyType_Check(op) PyType_FastSubclass(Py_TYPE(op), Py_TPFLAGS_TYPE_SUBCLASS)
#define PyType_CheckExact(op) Py_IS_TYPE((op), &PyType_Type)

/* Allocating instances (the functions behind them are exported). */
#define PyObject_New(type, typeobj) ((type *)_PyObject_New(typeobj))
#define PyObject_NewVar(type, typeobj, n) ((type *)_PyObject_NewVar((typeobj), (n)))
#define PyObject_GC_New(type, typeobj) ((type *)_PyObject_GC_New(typeobj))
#define PyObject_GC_NewVar(type, typeobj, n) ((type *)_PyObject_GC_NewVar((typeobj), (n)))

#endif
