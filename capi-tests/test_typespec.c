/* Heap types from specs: PyType_FromSpec and its variants, slots by id, members with
 * the special offsets, negative basicsize (PEP 697), the flags, instances through
 * tp_new/tp_init and the type's own reference, the type queries, and each error CPython
 * raises. Also built against CPython 3.13's headers (CPYTHON_ABI_SOURCES). */
#include "harness.h"
#include <stddef.h>

#define CHECK_RAISED_TEXT(type, text) \
    do { \
        PyObject *_e = PyErr_GetRaisedException(); \
        CHECK(_e != NULL); \
        int _is = Py_TYPE(_e) == (PyTypeObject *)(type); \
        if (!_is) fprintf(stderr, "  raised %s\n", Py_TYPE(_e)->tp_name); \
        PyObject *_t = PyObject_Str(_e); \
        Py_DECREF(_e); \
        CHECK(_is); \
        CHECK_STR(_t, text); \
    } while (0)

typedef struct {
    PyObject_HEAD
    long x;
    PyObject *dict;
    int inits;
} Point;

static int point_init(PyObject *self, PyObject *args, PyObject *kw) {
    ((Point *)self)->inits++;
    if (PyTuple_GET_SIZE(args) == 1) {
        ((Point *)self)->x = PyLong_AsLong(PyTuple_GET_ITEM(args, 0));
        if (PyErr_Occurred()) return -1;
    }
    return 0;
}

static int deallocs;

static void point_dealloc(PyObject *self) {
    PyTypeObject *tp = Py_TYPE(self);
    Py_CLEAR(((Point *)self)->dict);
    deallocs++;
    tp->tp_free(self);
    Py_DECREF(tp);
}

static Py_ssize_t point_len(PyObject *self) { return ((Point *)self)->x; }

static PyObject *point_add(PyObject *a, PyObject *b) {
    if (!PyObject_TypeCheck(a, Py_TYPE(b)) && !PyObject_TypeCheck(b, Py_TYPE(a))) Py_RETURN_NOTIMPLEMENTED;
    return PyLong_FromLong(((Point *)a)->x + ((Point *)b)->x);
}

static PyObject *point_repr(PyObject *self) { return PyUnicode_FromString("<point>"); }

static PyObject *point_norm(PyObject *self, PyObject *unused) { return PyLong_FromLong(((Point *)self)->x * 2); }

static PyMethodDef point_methods[] = {
    {"norm", point_norm, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef point_members[] = {
    {"x", Py_T_LONG, offsetof(Point, x), 0, NULL},
    {"__dictoffset__", Py_T_PYSSIZET, offsetof(Point, dict), Py_READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyType_Slot point_slots[] = {
    {Py_tp_new, PyType_GenericNew},
    {Py_tp_init, point_init},
    {Py_tp_dealloc, point_dealloc},
    {Py_tp_repr, point_repr},
    {Py_sq_length, point_len},
    {Py_nb_add, point_add},
    {Py_tp_methods, point_methods},
    {Py_tp_members, point_members},
    {Py_tp_doc, "A point."},
    {0, NULL},
};

static PyType_Spec point_spec = {
    .name = "m.Point",
    .basicsize = sizeof(Point),
    .flags = Py_TPFLAGS_DEFAULT,
    .slots = point_slots,
};

static int spec_type_basics(void) {
    PyObject *t = PyType_FromSpec(&point_spec);
    CHECK(t != NULL);
    PyTypeObject *tp = (PyTypeObject *)t;
    CHECK(PyType_HasFeature(tp, Py_TPFLAGS_HEAPTYPE) && !PyType_HasFeature(tp, Py_TPFLAGS_BASETYPE));
    CHECK(strcmp(tp->tp_name, "m.Point") == 0 && tp->tp_basicsize == (Py_ssize_t)sizeof(Point));
    CHECK(tp->tp_base == &PyBaseObject_Type);
    CHECK(strcmp(tp->tp_doc, "A point.") == 0 && tp->tp_doc != point_slots[8].pfunc);
    CHECK(tp->tp_dictoffset == (Py_ssize_t)offsetof(Point, dict));
    /* Its own copy of the members. */
    CHECK(tp->tp_members != point_members && strcmp(tp->tp_members[0].name, "x") == 0);
    CHECK(PyType_GetSlot(tp, Py_nb_add) == (void *)point_add);
    CHECK(PyType_GetSlot(tp, Py_sq_length) == (void *)point_len);
    CHECK(PyType_GetSlot(tp, Py_mp_length) == NULL);
    CHECK(PyType_GetSlot(tp, Py_tp_methods) == point_methods);
    CHECK(PyType_GetSlot(&PyLong_Type, Py_nb_add) != NULL);
    CHECK(PyType_GetSlot(tp, 82) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK_STR(PyType_GetName(tp), "Point");
    CHECK_STR(PyType_GetQualName(tp), "Point");
    CHECK_STR(PyType_GetModuleName(tp), "m");
    CHECK_STR(PyType_GetFullyQualifiedName(tp), "m.Point");
    CHECK_STR(PyType_GetFullyQualifiedName(&PyLong_Type), "int");
    CHECK_STR(PyType_GetModuleName(&PyLong_Type), "builtins");
    CHECK_STR(PyObject_GetAttrString(t, "__module__"), "m");
    Py_DECREF(t);
    return 0;
}

static int instances_through_tp_new_and_tp_init(void) {
    PyObject *t = PyType_FromSpec(&point_spec);
    CHECK(t != NULL);
    Py_ssize_t type_refs = Py_REFCNT(t);
    PyObject *five = PyLong_FromLong(5);
    PyObject *p = PyObject_CallOneArg(t, five);
    CHECK(p != NULL && Py_IS_TYPE(p, (PyTypeObject *)t));
    CHECK(((Point *)p)->inits == 1 && ((Point *)p)->x == 5);
    /* Instances hold a reference to their heap type. */
    CHECK(Py_REFCNT(t) == type_refs + 1);
    CHECK(PyObject_Size(p) == 5);
    PyObject *sum = PyNumber_Add(p, p);
    CHECK(sum != NULL && PyLong_AsLong(sum) == 10);
    Py_DECREF(sum);
    CHECK_STR(PyObject_Repr(p), "<point>");
    /* Methods, members, slot wrappers and the instance dict. */
    PyObject *norm = PyObject_GetAttrString(p, "norm");
    PyObject *r = PyObject_CallNoArgs(norm);
    CHECK(r != NULL && PyLong_AsLong(r) == 10);
    Py_DECREF(r);
    Py_DECREF(norm);
    PyObject *len = PyObject_GetAttrString(p, "__len__");
    r = PyObject_CallNoArgs(len);
    CHECK(r != NULL && PyLong_AsLong(r) == 5);
    Py_DECREF(r);
    Py_DECREF(len);
    CHECK(PyObject_SetAttrString(p, "x", PyLong_FromLong(7) /* immortal small int */) == 0);
    CHECK(((Point *)p)->x == 7);
    CHECK(PyObject_SetAttrString(p, "anything", five) == 0);
    CHECK(((Point *)p)->dict != NULL && PyDict_Check(((Point *)p)->dict));
    PyObject *back = PyObject_GetAttrString(p, "anything");
    CHECK(back == five);
    Py_DECREF(back);
    /* The dealloc chain gives the type's reference back. */
    int before = deallocs;
    Py_DECREF(p);
    CHECK(deallocs == before + 1);
    CHECK(Py_REFCNT(t) == type_refs);
    /* Bad arguments to __init__ come back as its exception. */
    PyObject *s = PyUnicode_FromString("s");
    CHECK(PyObject_CallOneArg(t, s) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(Py_REFCNT(t) == type_refs);
    Py_DECREF(s);
    Py_DECREF(five);
    Py_DECREF(t);
    return 0;
}

/* ---- errors --------------------------------------------------------------------------- */

static int spec_errors(void) {
    PyType_Slot bad_id[] = {{999, NULL}, {0, NULL}};
    PyType_Spec spec = {.name = "m.Bad", .basicsize = 0, .flags = 0, .slots = bad_id};
    CHECK(PyType_FromSpec(&spec) == NULL);
    CHECK_RAISED_TEXT(PyExc_RuntimeError, "invalid slot offset");
    PyType_Slot none[] = {{0, NULL}};
    spec.slots = none;
    spec.name = NULL;
    CHECK(PyType_FromSpec(&spec) == NULL);
    CHECK_RAISED_TEXT(PyExc_SystemError, "Type spec does not define the name field.");
    spec.name = "a.b.C";
    spec.basicsize = 8;
    CHECK(PyType_FromSpec(&spec) == NULL);
    CHECK_RAISED_TEXT(PyExc_TypeError, "tp_basicsize for type 'a.b.C' (8) is too small for base 'object' (16)");
    /* A base without BASETYPE. */
    PyObject *point = PyType_FromSpec(&point_spec);
    spec.basicsize = 0;
    CHECK(PyType_FromSpecWithBases(&spec, point) == NULL);
    CHECK_RAISED_TEXT(PyExc_TypeError, "type 'm.Point' is not an acceptable base type");
    CHECK(PyType_FromSpecWithBases(&spec, (PyObject *)&PyBool_Type) == NULL);
    CHECK_RAISED_TEXT(PyExc_TypeError, "type 'bool' is not an acceptable base type");
    Py_DECREF(point);
    /* Bases whose layouts cannot be combined. */
    PyType_Spec wide = {.name = "m.Wide", .basicsize = 32, .flags = Py_TPFLAGS_BASETYPE, .slots = none};
    PyType_Spec other = {.name = "m.Other", .basicsize = 24, .flags = Py_TPFLAGS_BASETYPE, .slots = none};
    PyObject *a = PyType_FromSpec(&wide), *b = PyType_FromSpec(&other);
    CHECK(a != NULL && b != NULL);
    PyObject *bases = PyTuple_Pack(2, a, b);
    CHECK(PyType_FromSpecWithBases(&spec, bases) == NULL);
    CHECK_RAISED_TEXT(PyExc_TypeError, "multiple bases have instance lay-out conflict");
    Py_DECREF(bases);
    /* A bases tuple naming a type twice. */
    bases = PyTuple_Pack(2, a, a);
    CHECK(PyType_FromSpecWithBases(&spec, bases) == NULL);
    CHECK_RAISED_TEXT(PyExc_TypeError, "duplicate base class Wide");
    Py_DECREF(bases);
    /* Bases that are not types. */
    CHECK(PyType_FromSpecWithBases(&spec, Py_None) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    Py_DECREF(a);
    Py_DECREF(b);
    /* The interpreter keeps working. */
    PyObject *ok = PyType_FromSpec(&point_spec);
    CHECK(ok != NULL);
    Py_DECREF(ok);
    return 0;
}

static int disallow_instantiation(void) {
    PyType_Slot none[] = {{0, NULL}};
    PyType_Spec spec = {.name = "m.Sealed", .flags = Py_TPFLAGS_DISALLOW_INSTANTIATION, .slots = none};
    PyObject *t = PyType_FromSpec(&spec);
    CHECK(t != NULL && ((PyTypeObject *)t)->tp_new == NULL);
    CHECK(PyObject_CallNoArgs(t) == NULL);
    CHECK_RAISED_TEXT(PyExc_TypeError, "cannot create 'm.Sealed' instances");
    Py_DECREF(t);
    /* Without it, object's tp_new is inherited; it takes no arguments. */
    spec.flags = 0;
    spec.name = "m.Plain";
    t = PyType_FromSpec(&spec);
    PyObject *o = PyObject_CallNoArgs(t);
    CHECK(o != NULL && Py_IS_TYPE(o, (PyTypeObject *)t));
    Py_DECREF(o);
    PyObject *one = PyLong_FromLong(1);
    CHECK(PyObject_CallOneArg(t, one) == NULL);
    CHECK_RAISED_TEXT(PyExc_TypeError, "m.Plain() takes no arguments");
    Py_DECREF(t);
    return 0;
}

static int init_runs;

static PyObject *new_returning_none(PyTypeObject *t, PyObject *args, PyObject *kw) { Py_RETURN_NONE; }
static int counting_init(PyObject *self, PyObject *args, PyObject *kw) {
    init_runs++;
    return 0;
}

static int tp_new_returning_another_type(void) {
    PyType_Slot slots[] = {{Py_tp_new, new_returning_none}, {Py_tp_init, counting_init}, {0, NULL}};
    PyType_Spec spec = {.name = "m.Odd", .slots = slots};
    PyObject *t = PyType_FromSpec(&spec);
    CHECK(t != NULL);
    init_runs = 0;
    /* As in CPython: the object comes back as is, and __init__ does not run on it. */
    PyObject *r = PyObject_CallNoArgs(t);
    CHECK(r == Py_None);
    CHECK(init_runs == 0);
    Py_DECREF(t);
    return 0;
}

/* ---- PEP 697 ---------------------------------------------------------------------------- */

typedef struct {
    long extra;
} ExtraData;

static int negative_basicsize_and_type_data(void) {
    PyType_Slot none[] = {{0, NULL}};
    PyType_Spec base_spec = {.name = "m.Base", .basicsize = sizeof(PyObject) + 8, .flags = Py_TPFLAGS_BASETYPE,
                             .slots = none};
    PyObject *base = PyType_FromSpec(&base_spec);
    CHECK(base != NULL);
    PyMemberDef members[] = {{"extra", Py_T_LONG, offsetof(ExtraData, extra), Py_RELATIVE_OFFSET, NULL},
                             {NULL, 0, 0, 0, NULL}};
    PyType_Slot slots[] = {{Py_tp_members, members}, {0, NULL}};
    PyType_Spec sub_spec = {.name = "m.Sub", .basicsize = -(int)sizeof(ExtraData), .slots = slots};
    PyObject *sub = PyType_FromMetaclass(NULL, NULL, &sub_spec, base);
    CHECK(sub != NULL);
    PyTypeObject *st = (PyTypeObject *)sub;
    /* The data starts after the base's layout, aligned. */
    CHECK(st->tp_basicsize == 32 + (Py_ssize_t)sizeof(ExtraData));
    CHECK(PyType_GetTypeDataSize(st) == (Py_ssize_t)sizeof(ExtraData));
    CHECK(st->tp_members[0].offset == 32 && !(st->tp_members[0].flags & Py_RELATIVE_OFFSET));
    PyObject *o = PyObject_CallNoArgs(sub);
    CHECK(o != NULL);
    ExtraData *data = PyObject_GetTypeData(o, st);
    CHECK((char *)data == (char *)o + 32);
    data->extra = 1234;
    PyObject *v = PyObject_GetAttrString(o, "extra");
    CHECK(v != NULL && PyLong_AsLong(v) == 1234);
    Py_DECREF(v);
    Py_DECREF(o);
    Py_DECREF(sub);
    Py_DECREF(base);
    return 0;
}

/* ---- modules and metaclasses ---------------------------------------------------------- */

static int module_queries(void) {
    PyObject *t = PyType_FromSpec(&point_spec);
    CHECK(PyType_GetModule((PyTypeObject *)t) == NULL);
    CHECK_RAISED_TEXT(PyExc_TypeError, "PyType_GetModule: Type 'm.Point' has no associated module");
    CHECK(PyType_GetModule(&PyLong_Type) == NULL);
    CHECK_RAISED_TEXT(PyExc_TypeError, "PyType_GetModule: Type 'int' is not a heap type");
    CHECK(PyType_GetModuleState((PyTypeObject *)t) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    static PyModuleDef other_def = {PyModuleDef_HEAD_INIT, .m_name = "other"};
    CHECK(PyType_GetModuleByDef((PyTypeObject *)t, &other_def) == NULL);
    CHECK_RAISED_TEXT(PyExc_TypeError, "PyType_GetModuleByDef: No superclass of 'm.Point' has the given module");
    Py_DECREF(t);
    /* `type` itself is an accepted metatype. */
    PyType_Slot none[] = {{0, NULL}};
    PyType_Spec spec = {.name = "m.X", .slots = none};
    PyObject *x = PyType_FromMetaclass(&PyType_Type, NULL, &spec, NULL);
    CHECK(x != NULL && Py_IS_TYPE(x, &PyType_Type));
    Py_DECREF(x);
    return 0;
}

static int spec_types_in_an_isolated_interpreter(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *sub = NULL;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
    PyObject *t = PyType_FromSpec(&point_spec);
    CHECK(t != NULL);
    PyObject *three = PyLong_FromLong(3);
    PyObject *p = PyObject_CallOneArg(t, three);
    CHECK(p != NULL && PyObject_Size(p) == 3);
    Py_DECREF(p);
    Py_DECREF(three);
    Py_DECREF(t);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    return 0;
}

/* ---- GC types ---------------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    PyObject *held;
} Holder;

static int holder_traverse(PyObject *self, visitproc visit, void *arg) {
    Py_VISIT(((Holder *)self)->held);
    Py_VISIT(Py_TYPE(self));
    return 0;
}

static void holder_dealloc(PyObject *self) {
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    Py_CLEAR(((Holder *)self)->held);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static int gc_types(void) {
    PyType_Slot slots[] = {{Py_tp_dealloc, holder_dealloc}, {Py_tp_traverse, holder_traverse}, {0, NULL}};
    PyType_Spec spec = {.name = "m.Holder", .basicsize = sizeof(Holder), .flags = Py_TPFLAGS_HAVE_GC, .slots = slots};
    PyObject *t = PyType_FromSpec(&spec);
    CHECK(t != NULL);
    CHECK(((PyTypeObject *)t)->tp_free == PyObject_GC_Del);
    /* Calling the type allocates through PyType_GenericAlloc: tracked. */
    PyObject *h = PyObject_CallNoArgs(t);
    CHECK(h != NULL && PyObject_GC_IsTracked(h));
    ((Holder *)h)->held = PyList_New(0);
    Py_DECREF(h);
    /* By hand, as extensions do. */
    Holder *g = PyObject_GC_New(Holder, (PyTypeObject *)t);
    CHECK(g != NULL && Py_IS_TYPE((PyObject *)g, (PyTypeObject *)t) && Py_REFCNT(g) == 1);
    CHECK(!PyObject_GC_IsTracked((PyObject *)g));
    g->held = NULL;
    PyObject_GC_Track(g);
    CHECK(PyObject_GC_IsTracked((PyObject *)g));
    Py_DECREF(g);
    /* Non-GC objects are never tracked. */
    PyObject *one = PyLong_FromLong(1);
    CHECK(!PyObject_GC_IsTracked(one));
    Py_DECREF(t);
    return 0;
}

typedef struct {
    long counter;
} ModState;

static PyModuleDef state_def = {PyModuleDef_HEAD_INIT, .m_name = "m", .m_size = sizeof(ModState)};

static int types_made_for_a_module(void) {
    PyObject *m = PyModule_Create(&state_def);
    CHECK(m != NULL);
    ModState *st = PyModule_GetState(m);
    CHECK(st != NULL);
    PyType_Slot none[] = {{0, NULL}};
    PyType_Spec base_spec = {.name = "m.Owned", .basicsize = 0, .flags = Py_TPFLAGS_BASETYPE, .slots = none};
    PyObject *t = PyType_FromModuleAndSpec(m, &base_spec, NULL);
    CHECK(t != NULL);
    CHECK(PyType_GetModule((PyTypeObject *)t) == m);
    CHECK(PyType_GetModuleState((PyTypeObject *)t) == st);
    CHECK(PyType_GetModuleByDef((PyTypeObject *)t, &state_def) == m);
    /* A subclass made for no module finds its base's module through the MRO. */
    PyType_Spec sub_spec = {.name = "m.Sub", .slots = none};
    PyObject *sub = PyType_FromSpecWithBases(&sub_spec, t);
    CHECK(sub != NULL);
    CHECK(PyType_GetModuleByDef((PyTypeObject *)sub, &state_def) == m);
    CHECK(PyType_GetModule((PyTypeObject *)sub) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    /* The type holds its module. */
    Py_ssize_t refs = Py_REFCNT(m);
    Py_DECREF(sub);
    Py_DECREF(t);
    CHECK(Py_REFCNT(m) == refs - 1);
    Py_DECREF(m);
    return 0;
}

static const TestCase cases[] = {
    KEEPS_OBJECTS(spec_type_basics),
    KEEPS_OBJECTS(instances_through_tp_new_and_tp_init),
    KEEPS_OBJECTS(spec_errors),
    KEEPS_OBJECTS(disallow_instantiation),
    KEEPS_OBJECTS(tp_new_returning_another_type),
    KEEPS_OBJECTS(negative_basicsize_and_type_data),
    KEEPS_OBJECTS(module_queries),
    CASE(spec_types_in_an_isolated_interpreter),
    KEEPS_OBJECTS(gc_types),
    KEEPS_OBJECTS(types_made_for_a_module),
};

TEST_MAIN(cases)
