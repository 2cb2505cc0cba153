/* Descriptors and per-interpreter type state: a static type declared here (as an
 * extension declares one) readied with PyType_Ready, its methods, members and getsets
 * reached as attributes; PyMember_GetOne/SetOne for every type code; attribute lookup
 * through the MRO with the method cache and PyType_Modified; each interpreter's own
 * dict for static types (builtin and readied ones). */
#include "harness.h"
#include <float.h>
#include <stddef.h>
#include <pthread.h>

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

/* ---- a static type, as an extension declares it ------------------------------- */

typedef struct {
    PyObject_HEAD
    int count;
    double ratio;
    PyObject *label; /* Py_T_OBJECT_EX */
    PyObject *maybe; /* _Py_T_OBJECT */
    Py_ssize_t fixed; /* read-only */
    int hidden;       /* reached through a getset */
} Thing;

static PyTypeObject ThingType;

static void thing_dealloc(PyObject *o) {
    Thing *t = (Thing *)o;
    Py_CLEAR(t->label);
    Py_CLEAR(t->maybe);
    PyObject_Free(o);
}

static PyObject *new_thing(void) {
    Thing *t = PyObject_Malloc(sizeof(Thing));
    if (t == NULL) return NULL;
    memset(t, 0, sizeof *t);
    Py_SET_REFCNT((PyObject *)t, 1);
    Py_SET_TYPE((PyObject *)t, &ThingType);
    t->count = 3;
    t->fixed = 42;
    return (PyObject *)t;
}

static PyObject *thing_twice(PyObject *self, PyObject *arg) {
    long v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred()) return NULL;
    return PyLong_FromLong(2 * v + ((Thing *)self)->count);
}

static PyObject *thing_get_count(PyObject *self, PyObject *unused) { return PyLong_FromLong(((Thing *)self)->count); }

static PyObject *thing_sum(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    long total = 0;
    Py_ssize_t n = nargs + (kwnames ? PyTuple_GET_SIZE(kwnames) : 0);
    for (Py_ssize_t i = 0; i < n; i++) total += PyLong_AsLong(args[i]);
    return PyLong_FromLong(total);
}

static PyObject *thing_which_class(PyObject *cls, PyObject *unused) { return Py_NewRef(cls); }

static PyObject *thing_static(PyObject *self, PyObject *unused) { return PyBool_FromLong(self == NULL); }

static PyObject *thing_defining(PyObject *self, PyTypeObject *cls, PyObject *const *args, size_t nargsf,
                                PyObject *kwnames) {
    return Py_NewRef((PyObject *)cls);
}

static PyObject *get_hidden(PyObject *self, void *closure) { return PyLong_FromLong(((Thing *)self)->hidden); }

static int set_hidden(PyObject *self, PyObject *value, void *closure) {
    if (value == NULL) {
        PyErr_SetString(PyExc_TypeError, "cannot delete hidden");
        return -1;
    }
    long v = PyLong_AsLong(value);
    if (v == -1 && PyErr_Occurred()) return -1;
    ((Thing *)self)->hidden = (int)v;
    return 0;
}

static PyObject *get_constant(PyObject *self, void *closure) { return PyLong_FromLong((long)(size_t)closure); }

static PyMethodDef thing_methods[] = {
    {"twice", thing_twice, METH_O, "2x + count"},
    {"get_count", thing_get_count, METH_NOARGS, NULL},
    {"sum", (PyCFunction)(void (*)(void))thing_sum, METH_FASTCALL | METH_KEYWORDS, NULL},
    {"which_class", thing_which_class, METH_NOARGS | METH_CLASS, NULL},
    {"static_one", thing_static, METH_NOARGS | METH_STATIC, NULL},
    {"defining", (PyCFunction)(void (*)(void))thing_defining, METH_METHOD | METH_FASTCALL | METH_KEYWORDS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef thing_members[] = {
    {"count", Py_T_INT, offsetof(Thing, count), 0, NULL},
    {"ratio", Py_T_DOUBLE, offsetof(Thing, ratio), 0, NULL},
    {"label", Py_T_OBJECT_EX, offsetof(Thing, label), 0, NULL},
    {"maybe", _Py_T_OBJECT, offsetof(Thing, maybe), 0, NULL},
    {"fixed", Py_T_PYSSIZET, offsetof(Thing, fixed), Py_READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyGetSetDef thing_getset[] = {
    {"hidden", get_hidden, set_hidden, NULL, NULL},
    {"constant", get_constant, NULL, NULL, (void *)7},
    {NULL, NULL, NULL, NULL, NULL},
};

static Py_ssize_t thing_length(PyObject *self) { return ((Thing *)self)->count; }

static PySequenceMethods thing_as_sequence = {.sq_length = thing_length};

static PyTypeObject ThingType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_as_sequence = &thing_as_sequence,
    .tp_name = "m.Thing",
    .tp_basicsize = sizeof(Thing),
    .tp_dealloc = thing_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_methods = thing_methods,
    .tp_members = thing_members,
    .tp_getset = thing_getset,
};

static PyObject *attr(PyObject *o, const char *name) { return PyObject_GetAttrString(o, name); }

/* ---- readying --------------------------------------------------------------------- */

static int ready_makes_a_shared_immortal_type(void) {
    CHECK(PyType_Ready(&ThingType) == 0);
    CHECK(PyType_HasFeature(&ThingType, Py_TPFLAGS_READY));
    CHECK(_Py_IsImmortal((PyObject *)&ThingType));
    CHECK(Py_TYPE(&ThingType) == &PyType_Type);
    CHECK(ThingType.tp_base == &PyBaseObject_Type);
    CHECK(PyTuple_GET_SIZE(ThingType.tp_mro) == 2);
    CHECK(PyTuple_GET_ITEM(ThingType.tp_mro, 0) == (PyObject *)&ThingType);
    /* Inherited from object. */
    CHECK(ThingType.tp_getattro == PyBaseObject_Type.tp_getattro);
    /* Readying twice is harmless. */
    CHECK(PyType_Ready(&ThingType) == 0);
    /* The dict is the interpreter's, holding a descriptor per definition. */
    PyObject *d = PyType_GetDict(&ThingType);
    CHECK(d != NULL && PyDict_Check(d));
    PyObject *twice = PyDict_GetItemString(d, "twice");
    CHECK(twice != NULL && Py_IS_TYPE(twice, &PyMethodDescr_Type));
    CHECK(Py_IS_TYPE(PyDict_GetItemString(d, "which_class"), &PyClassMethodDescr_Type));
    CHECK(Py_IS_TYPE(PyDict_GetItemString(d, "static_one"), &PyStaticMethod_Type));
    CHECK(Py_IS_TYPE(PyDict_GetItemString(d, "count"), &PyMemberDescr_Type));
    CHECK(Py_IS_TYPE(PyDict_GetItemString(d, "hidden"), &PyGetSetDescr_Type));
    CHECK_STR(PyObject_Repr(twice), "<method 'twice' of 'm.Thing' objects>");
    CHECK_STR(PyObject_Repr(PyDict_GetItemString(d, "count")), "<member 'count' of 'm.Thing' objects>");
    CHECK_STR(PyObject_Repr(PyDict_GetItemString(d, "hidden")), "<attribute 'hidden' of 'm.Thing' objects>");
    Py_DECREF(d);
    return 0;
}

static int ready_refuses_a_heap_base(void) {
    static PyTypeObject Bad = {PyVarObject_HEAD_INIT(NULL, 0).tp_name = "m.Bad", .tp_basicsize = 0};
    PyObject *e = PyErr_NewException("m.HeapBase", NULL, NULL);
    CHECK(e != NULL);
    Bad.tp_base = (PyTypeObject *)e;
    CHECK(PyType_Ready(&Bad) == -1);
    CHECK_RAISED_TEXT(PyExc_TypeError, "type 'm.Bad' is not dynamically allocated but its base type "
                                       "'m.HeapBase' is dynamically allocated");
    CHECK(!PyType_HasFeature(&Bad, Py_TPFLAGS_READY));
    Bad.tp_base = NULL;
    Py_DECREF(e);
    return 0;
}

/* ---- methods ---------------------------------------------------------------------- */

static int methods_bind_and_call(void) {
    CHECK(PyType_Ready(&ThingType) == 0);
    PyObject *t = new_thing();
    PyObject *bound = attr(t, "twice");
    CHECK(bound != NULL && PyCFunction_Check(bound));
    PyObject *five = PyLong_FromLong(5);
    PyObject *r = PyObject_CallOneArg(bound, five);
    CHECK(r != NULL && PyLong_AsLong(r) == 13);
    Py_DECREF(r);
    Py_DECREF(bound);
    /* From the type: the descriptor, called with self first. */
    PyObject *unbound = attr((PyObject *)&ThingType, "twice");
    CHECK(unbound != NULL && Py_IS_TYPE(unbound, &PyMethodDescr_Type));
    PyObject *args[] = {t, five};
    r = PyObject_Vectorcall(unbound, args, 2, NULL);
    CHECK(r != NULL && PyLong_AsLong(r) == 13);
    Py_DECREF(r);
    PyObject *targs = PyTuple_Pack(2, t, five);
    r = PyObject_Call(unbound, targs, NULL);
    Py_DECREF(targs);
    CHECK(r != NULL && PyLong_AsLong(r) == 13);
    Py_DECREF(r);
    /* self of the wrong type, or none. */
    PyObject *wrong[] = {five, five};
    CHECK(PyObject_Vectorcall(unbound, wrong, 2, NULL) == NULL);
    CHECK_RAISED_TEXT(PyExc_TypeError, "descriptor 'twice' for 'm.Thing' objects doesn't apply to a 'int' object");
    CHECK(PyObject_Vectorcall(unbound, NULL, 0, NULL) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    Py_DECREF(unbound);
    /* NOARGS and FASTCALL|KEYWORDS through bound methods. */
    PyObject *gc = attr(t, "get_count");
    r = PyObject_CallNoArgs(gc);
    CHECK(r != NULL && PyLong_AsLong(r) == 3);
    Py_DECREF(r);
    Py_DECREF(gc);
    PyObject *sum = attr(t, "sum");
    PyObject *extra = PyUnicode_FromString("extra");
    PyObject *kwnames = PyTuple_Pack(1, extra);
    Py_DECREF(extra);
    PyObject *sargs[] = {five, five, five};
    r = PyObject_Vectorcall(sum, sargs, 2, kwnames);
    CHECK(r != NULL && PyLong_AsLong(r) == 15);
    Py_DECREF(r);
    Py_DECREF(kwnames);
    Py_DECREF(sum);
    /* Class methods get the class, from the type and from an instance. */
    PyObject *wc = attr(t, "which_class");
    r = PyObject_CallNoArgs(wc);
    CHECK(r == (PyObject *)&ThingType);
    Py_DECREF(r);
    Py_DECREF(wc);
    wc = attr((PyObject *)&ThingType, "which_class");
    r = PyObject_CallNoArgs(wc);
    CHECK(r == (PyObject *)&ThingType);
    Py_DECREF(r);
    Py_DECREF(wc);
    /* Static methods get no self. */
    PyObject *st = attr(t, "static_one");
    CHECK(st != NULL && PyCFunction_Check(st));
    r = PyObject_CallNoArgs(st);
    CHECK(r == Py_True);
    Py_DECREF(st);
    /* METH_METHOD gets the defining class. */
    PyObject *def = attr(t, "defining");
    r = PyObject_CallNoArgs(def);
    CHECK(r == (PyObject *)&ThingType);
    Py_DECREF(r);
    Py_DECREF(def);
    Py_DECREF(five);
    Py_DECREF(t);
    return 0;
}

/* ---- members and getsets ----------------------------------------------------------- */

static int members_and_getsets_as_attributes(void) {
    CHECK(PyType_Ready(&ThingType) == 0);
    PyObject *t = new_thing();
    PyObject *v = attr(t, "count");
    CHECK(v != NULL && PyLong_AsLong(v) == 3);
    Py_DECREF(v);
    PyObject *nine = PyLong_FromLong(9);
    CHECK(PyObject_SetAttrString(t, "count", nine) == 0);
    CHECK(((Thing *)t)->count == 9);
    /* Read-only member; deleting a number. */
    CHECK(PyObject_SetAttrString(t, "fixed", nine) == -1);
    CHECK_RAISED_TEXT(PyExc_AttributeError, "readonly attribute");
    CHECK(PyObject_DelAttrString(t, "count") == -1);
    CHECK_RAISED_TEXT(PyExc_TypeError, "can't delete numeric/char attribute");
    /* Object members: _EX raises when unset, the other reads None. */
    CHECK(attr(t, "label") == NULL);
    CHECK_RAISED_TEXT(PyExc_AttributeError, "'m.Thing' object has no attribute 'label'");
    v = attr(t, "maybe");
    CHECK(v == Py_None);
    CHECK(PyObject_SetAttrString(t, "label", nine) == 0);
    v = attr(t, "label");
    CHECK(v == nine);
    Py_DECREF(v);
    CHECK(PyObject_DelAttrString(t, "label") == 0);
    CHECK(((Thing *)t)->label == NULL);
    CHECK(PyObject_DelAttrString(t, "label") == -1);
    CHECK_RAISED(PyExc_AttributeError);
    /* Getsets. */
    CHECK(PyObject_SetAttrString(t, "hidden", nine) == 0);
    v = attr(t, "hidden");
    CHECK(v != NULL && PyLong_AsLong(v) == 9);
    Py_DECREF(v);
    v = attr(t, "constant");
    CHECK(v != NULL && PyLong_AsLong(v) == 7);
    Py_DECREF(v);
    CHECK(PyObject_SetAttrString(t, "constant", nine) == -1);
    CHECK_RAISED_TEXT(PyExc_AttributeError, "attribute 'constant' of 'm.Thing' objects is not writable");
    /* No instance dict: a new attribute cannot be set. */
    CHECK(PyObject_SetAttrString(t, "fresh", nine) == -1);
    CHECK_RAISED(PyExc_AttributeError);
    CHECK(attr(t, "missing") == NULL);
    CHECK_RAISED_TEXT(PyExc_AttributeError, "'m.Thing' object has no attribute 'missing'");
    /* A descriptor applied to the wrong object. */
    PyObject *d = PyType_GetDict(&ThingType);
    PyObject *count = PyDict_GetItemString(d, "count");
    CHECK(Py_TYPE(count)->tp_descr_get(count, nine, NULL) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    Py_DECREF(d);
    Py_DECREF(nine);
    Py_DECREF(t);
    return 0;
}

typedef struct {
    char b;
    unsigned char ub;
    short s;
    unsigned short us;
    int i;
    unsigned int ui;
    long l;
    unsigned long ul;
    long long ll;
    unsigned long long ull;
    Py_ssize_t z;
    float f;
    double d;
    char c;
    char flag;
    const char *str;
    char inplace[8];
} AllKinds;

static int member_get_and_set_every_type_code(void) {
    AllKinds k = {-5, 250, -300, 60000, -70000, 4000000000u, -(1L << 40), 1UL << 63, -(1LL << 50), 1ULL << 63, -9,
                  1.5f, 2.25, 'x', 1, "text", "inplace"};
    PyMemberDef defs[] = {
        {"b", Py_T_BYTE, offsetof(AllKinds, b), 0, NULL},
        {"ub", Py_T_UBYTE, offsetof(AllKinds, ub), 0, NULL},
        {"s", Py_T_SHORT, offsetof(AllKinds, s), 0, NULL},
        {"us", Py_T_USHORT, offsetof(AllKinds, us), 0, NULL},
        {"i", Py_T_INT, offsetof(AllKinds, i), 0, NULL},
        {"ui", Py_T_UINT, offsetof(AllKinds, ui), 0, NULL},
        {"l", Py_T_LONG, offsetof(AllKinds, l), 0, NULL},
        {"ul", Py_T_ULONG, offsetof(AllKinds, ul), 0, NULL},
        {"ll", Py_T_LONGLONG, offsetof(AllKinds, ll), 0, NULL},
        {"ull", Py_T_ULONGLONG, offsetof(AllKinds, ull), 0, NULL},
        {"z", Py_T_PYSSIZET, offsetof(AllKinds, z), 0, NULL},
    };
    long long want[] = {-5, 250, -300, 60000, -70000, 4000000000LL, -(1LL << 40)};
    for (size_t n = 0; n < 7; n++) {
        PyObject *v = PyMember_GetOne((const char *)&k, &defs[n]);
        CHECK(v != NULL && PyLong_AsLongLong(v) == want[n]);
        /* Write a new value and read it back. */
        PyObject *w = PyLong_FromLong(n == 1 || n == 3 || n == 5 ? 17 : -17);
        CHECK(PyMember_SetOne((char *)&k, &defs[n], w) == 0);
        PyObject *back = PyMember_GetOne((const char *)&k, &defs[n]);
        CHECK(back != NULL && PyLong_AsLong(back) == PyLong_AsLong(w));
        Py_DECREF(back);
        Py_DECREF(w);
        Py_DECREF(v);
    }
    PyObject *v = PyMember_GetOne((const char *)&k, &defs[7]);
    CHECK(v != NULL && PyLong_AsUnsignedLong(v) == 1UL << 63);
    Py_DECREF(v);
    v = PyMember_GetOne((const char *)&k, &defs[8]);
    CHECK(v != NULL && PyLong_AsLongLong(v) == -(1LL << 50));
    Py_DECREF(v);
    v = PyMember_GetOne((const char *)&k, &defs[9]);
    CHECK(v != NULL && PyLong_AsUnsignedLongLong(v) == 1ULL << 63);
    Py_DECREF(v);
    v = PyMember_GetOne((const char *)&k, &defs[10]);
    CHECK(v != NULL && PyLong_AsSsize_t(v) == -9);
    PyObject *big = PyLong_FromUnsignedLongLong(1ULL << 62);
    CHECK(PyMember_SetOne((char *)&k, &defs[9], big) == 0 && k.ull == 1ULL << 62);
    Py_DECREF(big);
    /* A str is no int. */
    PyObject *s = PyUnicode_FromString("no");
    CHECK(PyMember_SetOne((char *)&k, &defs[4], s) == -1);
    CHECK_RAISED(PyExc_TypeError);
    Py_DECREF(v);

    PyMemberDef f = {"f", Py_T_FLOAT, offsetof(AllKinds, f), 0, NULL};
    PyMemberDef d = {"d", Py_T_DOUBLE, offsetof(AllKinds, d), 0, NULL};
    v = PyMember_GetOne((const char *)&k, &f);
    CHECK(v != NULL && PyFloat_AsDouble(v) == 1.5);
    Py_DECREF(v);
    v = PyMember_GetOne((const char *)&k, &d);
    CHECK(v != NULL && PyFloat_AsDouble(v) == 2.25);
    PyObject *x = PyFloat_FromDouble(0.5);
    CHECK(PyMember_SetOne((char *)&k, &f, x) == 0 && k.f == 0.5f);
    CHECK(PyMember_SetOne((char *)&k, &d, x) == 0 && k.d == 0.5);
    Py_DECREF(x);
    Py_DECREF(v);

    PyMemberDef c = {"c", Py_T_CHAR, offsetof(AllKinds, c), 0, NULL};
    CHECK_STR(PyMember_GetOne((const char *)&k, &c), "x");
    PyObject *y = PyUnicode_FromString("y");
    CHECK(PyMember_SetOne((char *)&k, &c, y) == 0 && k.c == 'y');
    Py_DECREF(y);
    CHECK(PyMember_SetOne((char *)&k, &c, s) == -1);
    CHECK_RAISED(PyExc_TypeError);
    Py_DECREF(s);

    PyMemberDef flag = {"flag", Py_T_BOOL, offsetof(AllKinds, flag), 0, NULL};
    CHECK(PyMember_GetOne((const char *)&k, &flag) == Py_True);
    CHECK(PyMember_SetOne((char *)&k, &flag, Py_False) == 0 && k.flag == 0);
    PyObject *one = PyLong_FromLong(1);
    CHECK(PyMember_SetOne((char *)&k, &flag, one) == -1);
    CHECK_RAISED_TEXT(PyExc_TypeError, "attribute value type must be bool");
    Py_DECREF(one);

    PyMemberDef str = {"str", Py_T_STRING, offsetof(AllKinds, str), 0, NULL};
    PyMemberDef inplace = {"inplace", Py_T_STRING_INPLACE, offsetof(AllKinds, inplace), 0, NULL};
    CHECK_STR(PyMember_GetOne((const char *)&k, &str), "text");
    CHECK_STR(PyMember_GetOne((const char *)&k, &inplace), "inplace");
    k.str = NULL;
    CHECK(PyMember_GetOne((const char *)&k, &str) == Py_None);
    CHECK(PyMember_SetOne((char *)&k, &str, Py_None) == -1);
    CHECK_RAISED_TEXT(PyExc_TypeError, "readonly attribute");

    PyMemberDef none = {"none", _Py_T_NONE, 0, 0, NULL};
    CHECK(PyMember_GetOne((const char *)&k, &none) == Py_None);
    PyMemberDef bad = {"bad", 15, 0, 0, NULL};
    CHECK(PyMember_GetOne((const char *)&k, &bad) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    PyMemberDef relative = {"rel", Py_T_INT, 0, Py_RELATIVE_OFFSET, NULL};
    CHECK(PyMember_GetOne((const char *)&k, &relative) == NULL);
    CHECK_RAISED_TEXT(PyExc_SystemError, "PyMember_GetOne used with Py_RELATIVE_OFFSET");
    CHECK(PyDescr_NewMember(&ThingType, &relative) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    return 0;
}

/* ---- descriptors made by hand ------------------------------------------------------ */

static int descr_new_functions(void) {
    CHECK(PyType_Ready(&ThingType) == 0);
    PyObject *m = PyDescr_NewMethod(&ThingType, &thing_methods[0]);
    CHECK(m != NULL && Py_IS_TYPE(m, &PyMethodDescr_Type) && !PyDescr_IsData(m));
    PyObject *name = PyObject_GetAttrString(m, "__name__");
    CHECK_STR(name, "twice");
    CHECK(PyObject_GetAttrString(m, "__objclass__") == (PyObject *)&ThingType);
    Py_DECREF(m);
    m = PyDescr_NewClassMethod(&ThingType, &thing_methods[3]);
    CHECK(m != NULL && Py_IS_TYPE(m, &PyClassMethodDescr_Type));
    Py_DECREF(m);
    m = PyDescr_NewMember(&ThingType, &thing_members[0]);
    CHECK(m != NULL && PyDescr_IsData(m));
    Py_DECREF(m);
    m = PyDescr_NewGetSet(&ThingType, &thing_getset[0]);
    CHECK(m != NULL && PyDescr_IsData(m));
    Py_DECREF(m);
    PyMethodDef badflags = {"bad", thing_get_count, METH_NOARGS | METH_O, NULL};
    CHECK(PyDescr_NewMethod(&ThingType, &badflags) == NULL);
    CHECK_RAISED_TEXT(PyExc_SystemError, "bad() method: bad call flags");
    return 0;
}

/* ---- lookup, the cache and PyType_Modified ------------------------------------------ */

static int class_attributes_follow_the_mro_and_modified(void) {
    PyObject *base = PyErr_NewException("m.Base", NULL, NULL);
    PyObject *sub = PyErr_NewException("m.Sub", base, NULL);
    PyObject *name = PyUnicode_InternFromString("kind");
    PyObject *one = PyLong_FromLong(1), *two = PyLong_FromLong(2);
    CHECK(PyObject_SetAttr(base, name, one) == 0);
    PyErr_SetString(sub, "x");
    PyObject *inst = PyErr_GetRaisedException();
    /* From the instance, the subclass and the base, twice (the second from the cache). */
    for (int round = 0; round < 2; round++) {
        PyObject *v = PyObject_GetAttr(inst, name);
        CHECK(v == one);
        Py_DECREF(v);
        v = PyObject_GetAttr(sub, name);
        CHECK(v == one);
        Py_DECREF(v);
    }
    CHECK(_PyType_Lookup((PyTypeObject *)sub, name) == one);
    /* Changing the base through its dict and PyType_Modified shows in the subclass. */
    PyObject *d = PyType_GetDict((PyTypeObject *)base);
    CHECK(PyDict_SetItem(d, name, two) == 0);
    PyType_Modified((PyTypeObject *)base);
    PyObject *v = PyObject_GetAttr(inst, name);
    CHECK(v == two);
    Py_DECREF(v);
    /* Setting on the subclass shadows the base; deleting uncovers it. */
    CHECK(PyObject_SetAttr(sub, name, one) == 0);
    v = PyObject_GetAttr(inst, name);
    CHECK(v == one);
    Py_DECREF(v);
    CHECK(PyObject_DelAttr(sub, name) == 0);
    v = PyObject_GetAttr(inst, name);
    CHECK(v == two);
    Py_DECREF(v);
    CHECK(PyObject_DelAttr(sub, name) == -1);
    CHECK_RAISED_TEXT(PyExc_AttributeError, "type object 'm.Sub' has no attribute 'kind'");
    /* The instance's own dict wins over a plain class attribute. */
    CHECK(PyObject_SetAttr(inst, name, one) == 0);
    v = PyObject_GetAttr(inst, name);
    CHECK(v == one);
    Py_DECREF(v);
    CHECK(_PyType_Lookup((PyTypeObject *)sub, name) == two);
    Py_DECREF(d);
    Py_DECREF(inst);
    Py_DECREF(one);
    Py_DECREF(two);
    Py_DECREF(name);
    Py_DECREF(sub);
    Py_DECREF(base);
    return 0;
}

static int static_builtin_types_are_immutable(void) {
    PyObject *one = PyLong_FromLong(1);
    CHECK(PyObject_SetAttrString((PyObject *)&PyLong_Type, "x", one) == -1);
    CHECK_RAISED_TEXT(PyExc_TypeError, "cannot set 'x' attribute of immutable type 'int'");
    CHECK(PyLong_Type.tp_dict == NULL);
    Py_DECREF(one);
    /* Type attributes through the metatype's getsets. */
    CHECK_STR(PyObject_GetAttrString((PyObject *)&PyLong_Type, "__name__"), "int");
    PyObject *mro = PyObject_GetAttrString((PyObject *)&PyBool_Type, "__mro__");
    CHECK(mro != NULL && PyTuple_GET_SIZE(mro) == 3);
    Py_DECREF(mro);
    return 0;
}

/* ---- isolation --------------------------------------------------------------------- */

/* Sets `name` = `value` in `ty`'s dict of the current interpreter. */
static int set_in_type_dict(PyTypeObject *ty, const char *name, long value) {
    PyObject *d = PyType_GetDict(ty);
    if (d == NULL) return -1;
    PyObject *v = PyLong_FromLong(value);
    int r = PyDict_SetItemString(d, name, v);
    Py_DECREF(v);
    Py_DECREF(d);
    PyType_Modified(ty);
    return r;
}

/* The value of int-valued attribute `name` of `o`, or -1 when it has none. */
static long attr_value(PyObject *o, const char *name) {
    PyObject *v = PyObject_GetAttrString(o, name);
    if (v == NULL) {
        PyErr_Clear();
        return -1;
    }
    long r = PyLong_AsLong(v);
    Py_DECREF(v);
    return r;
}

static int static_type_dicts_are_per_interpreter(void) {
    CHECK(PyType_Ready(&ThingType) == 0);
    PyObject *main_dict = PyType_GetDict(&PyLong_Type);
    CHECK(set_in_type_dict(&PyLong_Type, "marker", 1) == 0);
    CHECK(set_in_type_dict(&ThingType, "marker", 1) == 0);
    PyObject *forty = PyLong_FromLong(40);
    CHECK(attr_value(forty, "marker") == 1);
    CHECK(attr_value((PyObject *)&PyBool_Type, "marker") == 1);
    CHECK(attr_value((PyObject *)&ThingType, "marker") == 1);

    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *sub = NULL;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
    /* Another interpreter sees neither marker, and has dicts of its own. */
    PyObject *sub_dict = PyType_GetDict(&PyLong_Type);
    CHECK(sub_dict != NULL && sub_dict != main_dict);
    PyObject *seven = PyLong_FromLong(7);
    CHECK(attr_value(seven, "marker") == -1);
    CHECK(attr_value((PyObject *)&ThingType, "marker") == -1);
    /* ...yet the same descriptors work there. */
    PyObject *t = new_thing();
    CHECK(attr_value(t, "count") == 3);
    CHECK(set_in_type_dict(&PyLong_Type, "marker", 2) == 0);
    CHECK(attr_value(seven, "marker") == 2);
    Py_DECREF(t);
    Py_DECREF(seven);
    Py_DECREF(sub_dict);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);

    /* The main interpreter kept its own value. */
    CHECK(attr_value(forty, "marker") == 1);
    PyObject *d = PyType_GetDict(&PyLong_Type);
    CHECK(d == main_dict);
    CHECK(PyDict_DelItemString(d, "marker") == 0);
    PyType_Modified(&PyLong_Type);
    CHECK(attr_value(forty, "marker") == -1);
    Py_DECREF(d);
    Py_DECREF(main_dict);
    Py_DECREF(forty);
    return 0;
}

static int heap_types_belong_to_their_interpreter(void) {
    PyObject *e = PyErr_NewException("m.Mine", NULL, NULL);
    CHECK(e != NULL);
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *sub = NULL;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
    /* The main interpreter's type cannot be stored in this one's objects. */
    PyObject *d = PyDict_New();
    CHECK(PyDict_SetItemString(d, "t", e) == -1);
    CHECK_RAISED(PyExc_SystemError);
    /* Its own heap type of the same name is another object. */
    PyObject *mine = PyErr_NewException("m.Mine", NULL, NULL);
    CHECK(mine != NULL && mine != e);
    CHECK(PyDict_SetItemString(d, "t", mine) == 0);
    Py_DECREF(mine);
    Py_DECREF(d);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    Py_DECREF(e);
    return 0;
}

/* ---- slot wrappers ------------------------------------------------------------------ */

static int slot_wrappers_expose_slots(void) {
    PyObject *int_add = PyObject_GetAttrString((PyObject *)&PyLong_Type, "__add__");
    CHECK(int_add != NULL && Py_IS_TYPE(int_add, &PyWrapperDescr_Type));
    CHECK_STR(PyObject_Repr(int_add), "<slot wrapper '__add__' of 'int' objects>");
    PyObject *three = PyLong_FromLong(3), *four = PyLong_FromLong(4);
    PyObject *args = PyTuple_Pack(2, three, four);
    PyObject *r = PyObject_Call(int_add, args, NULL);
    CHECK(r != NULL && PyLong_AsLong(r) == 7);
    Py_DECREF(r);
    Py_DECREF(args);
    /* self of another type. */
    PyObject *s = PyUnicode_FromString("x");
    args = PyTuple_Pack(2, s, four);
    CHECK(PyObject_Call(int_add, args, NULL) == NULL);
    CHECK_RAISED_TEXT(PyExc_TypeError, "descriptor '__add__' requires a 'int' object but received a 'str'");
    Py_DECREF(args);
    /* bool takes int's. */
    PyObject *bool_add = PyObject_GetAttrString((PyObject *)&PyBool_Type, "__add__");
    CHECK(bool_add == int_add);
    Py_DECREF(bool_add);
    Py_DECREF(int_add);
    /* Bound to an instance: a method-wrapper. */
    PyObject *bound = PyObject_GetAttrString(three, "__radd__");
    CHECK(bound != NULL && Py_IS_TYPE(bound, &_PyMethodWrapper_Type));
    r = PyObject_CallOneArg(bound, four);
    CHECK(r != NULL && PyLong_AsLong(r) == 7);
    Py_DECREF(r);
    CHECK(PyObject_CallNoArgs(bound) == NULL);
    CHECK_RAISED_TEXT(PyExc_TypeError, "expected 1 argument, got 0");
    Py_DECREF(bound);
    bound = PyObject_GetAttrString(three, "__lt__");
    r = PyObject_CallOneArg(bound, four);
    CHECK(r == Py_True);
    Py_DECREF(bound);
    /* Sequences: __len__ and __getitem__ with a negative index. */
    PyObject *l = PyList_New(0);
    PyList_Append(l, three);
    PyList_Append(l, four);
    bound = PyObject_GetAttrString(l, "__len__");
    r = PyObject_CallNoArgs(bound);
    CHECK(r != NULL && PyLong_AsLong(r) == 2);
    Py_DECREF(r);
    Py_DECREF(bound);
    bound = PyObject_GetAttrString(l, "__getitem__");
    PyObject *minus_one = PyLong_FromLong(-1);
    r = PyObject_CallOneArg(bound, minus_one);
    CHECK(r == four);
    Py_DECREF(r);
    Py_DECREF(minus_one);
    Py_DECREF(bound);
    /* An unhashable type's __hash__ is None. */
    PyObject *h = PyObject_GetAttrString((PyObject *)&PyList_Type, "__hash__");
    CHECK(h == Py_None);
    Py_DECREF(l);
    Py_DECREF(s);
    Py_DECREF(three);
    Py_DECREF(four);
    return 0;
}

static int slot_wrappers_of_a_readied_type(void) {
    CHECK(PyType_Ready(&ThingType) == 0);
    PyObject *t = new_thing();
    PyObject *len = PyObject_GetAttrString((PyObject *)&ThingType, "__len__");
    CHECK(len != NULL && Py_IS_TYPE(len, &PyWrapperDescr_Type));
    PyObject *r = PyObject_CallOneArg(len, t);
    CHECK(r != NULL && PyLong_AsLong(r) == 3);
    Py_DECREF(r);
    Py_DECREF(len);
    len = PyObject_GetAttrString(t, "__len__");
    r = PyObject_CallNoArgs(len);
    CHECK(r != NULL && PyLong_AsLong(r) == 3);
    Py_DECREF(r);
    Py_DECREF(len);
    /* Inherited from object, not defined here: found on object. */
    PyObject *d = PyType_GetDict(&ThingType);
    CHECK(PyDict_GetItemString(d, "__repr__") == NULL);
    CHECK(PyDict_GetItemString(d, "__len__") != NULL);
    Py_DECREF(d);
    PyObject *repr = PyObject_GetAttrString(t, "__repr__");
    CHECK(repr != NULL);
    Py_DECREF(repr);
    Py_DECREF(t);
    return 0;
}

/* ---- a static type readied from several isolated interpreters at once -------------- */

typedef struct {
    PyObject_HEAD
    int v;
} Shared;

static PyMemberDef shared_members[] = {{"v", Py_T_INT, offsetof(Shared, v), 0, NULL}, {NULL, 0, 0, 0, NULL}};

static PyTypeObject SharedType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "m.Shared",
    .tp_basicsize = sizeof(Shared),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_members = shared_members,
    .tp_new = PyType_GenericNew,
};

enum { READY_THREADS = 4 };
static pthread_barrier_t ready_barrier;

/* In its own interpreter: readies the shared type, stores a marker of its own in the
 * type's dict there, and checks it sees its own marker and its instances work. */
static void *ready_in_own_interpreter(void *arg) {
    long id = (long)(size_t)arg;
    PyThreadState *ts = NULL;
    if (PyStatus_Exception(Py_NewInterpreterFromConfig(&ts, &isolated))) return (void *)1;
    long bad = 0;
    PyThreadState *saved = PyEval_SaveThread();
    pthread_barrier_wait(&ready_barrier);
    PyEval_RestoreThread(saved);
    if (PyType_Ready(&SharedType) != 0) bad = 2;
    for (int round = 0; round < 200 && !bad; round++) {
        PyObject *d = PyType_GetDict(&SharedType);
        PyObject *v = PyLong_FromLong(id * 1000 + round);
        if (d == NULL || PyDict_SetItemString(d, "marker", v) != 0) bad = 3;
        PyType_Modified(&SharedType);
        PyObject *got = PyObject_GetAttrString((PyObject *)&SharedType, "marker");
        if (got == NULL || PyLong_AsLong(got) != id * 1000 + round) bad = 4;
        PyObject *o = PyObject_CallNoArgs((PyObject *)&SharedType);
        PyObject *seven = PyLong_FromLong(7);
        if (o == NULL || PyObject_SetAttrString(o, "v", seven) != 0 || ((Shared *)o)->v != 7) bad = 5;
        Py_XDECREF(o);
        Py_XDECREF(got);
        Py_DECREF(v);
        Py_XDECREF(d);
    }
    if (PyErr_Occurred()) PyErr_Clear();
    Py_EndInterpreter(ts);
    return (void *)bad;
}

static int static_type_readied_from_threads(void) {
    PyThreadState *main_ts = PyEval_SaveThread();
    pthread_barrier_init(&ready_barrier, NULL, READY_THREADS);
    pthread_t threads[READY_THREADS];
    for (long i = 0; i < READY_THREADS; i++) pthread_create(&threads[i], NULL, ready_in_own_interpreter, (void *)(size_t)(i + 1));
    long failures = 0;
    for (int i = 0; i < READY_THREADS; i++) {
        void *r;
        pthread_join(threads[i], &r);
        if (r != NULL) {
            fprintf(stderr, "  thread %d failed with %ld\n", i, (long)(size_t)r);
            failures++;
        }
    }
    pthread_barrier_destroy(&ready_barrier);
    PyEval_RestoreThread(main_ts);
    CHECK(failures == 0);
    /* Readied once, immortal, and the main interpreter's dict has no marker. */
    CHECK(PyType_HasFeature(&SharedType, Py_TPFLAGS_READY) && _Py_IsImmortal((PyObject *)&SharedType));
    CHECK(PyObject_GetAttrString((PyObject *)&SharedType, "marker") == NULL);
    CHECK_RAISED(PyExc_AttributeError);
    return 0;
}

static const TestCase cases[] = {
    KEEPS_OBJECTS(ready_makes_a_shared_immortal_type),
    CASE(ready_refuses_a_heap_base),
    KEEPS_OBJECTS(methods_bind_and_call),
    KEEPS_OBJECTS(members_and_getsets_as_attributes),
    CASE(member_get_and_set_every_type_code),
    KEEPS_OBJECTS(descr_new_functions),
    KEEPS_OBJECTS(class_attributes_follow_the_mro_and_modified),
    KEEPS_OBJECTS(static_builtin_types_are_immutable), /* makes type dicts on first use */
    KEEPS_OBJECTS(static_type_dicts_are_per_interpreter),
    CASE(heap_types_belong_to_their_interpreter),
    KEEPS_OBJECTS(slot_wrappers_expose_slots),
    KEEPS_OBJECTS(slot_wrappers_of_a_readied_type),
    KEEPS_OBJECTS(static_type_readied_from_threads),
};

TEST_MAIN(cases)
