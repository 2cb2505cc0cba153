/* set and frozenset: the setobject.h API, the type slots behind them (in, len,
 * comparisons, |, &, -, ^ and their in-place forms, iteration, repr, hash) and their
 * error paths. Also runs against CPython 3.13 (make reference): the hashes and
 * iteration orders below are CPython's. */
#include "checks.h"

/* A set or frozenset of the ints in `values` (count n). */
static PyObject *of_ints(int frozen, const long *values, int n) {
    PyObject *l = PyList_New(n);
    for (int i = 0; i < n; i++) PyList_SET_ITEM(l, i, PyLong_FromLong(values[i]));
    PyObject *s = frozen ? PyFrozenSet_New(l) : PySet_New(l);
    Py_DECREF(l);
    return s;
}

static int contains_long(PyObject *s, long v) {
    PyObject *k = PyLong_FromLong(v);
    int r = PySet_Contains(s, k);
    Py_DECREF(k);
    return r;
}

/* The set's ints in iteration order, written into `out` (at most cap). */
static int iteration_order(PyObject *s, long *out, int cap) {
    PyObject *it = PyObject_GetIter(s), *x;
    int n = 0;
    while ((x = PyIter_Next(it)) != NULL) {
        if (n < cap) out[n] = PyLong_AsLong(x);
        n++;
        Py_DECREF(x);
    }
    Py_DECREF(it);
    return n;
}

static int add_contains_discard_pop_clear(void) {
    PyObject *s = PySet_New(NULL);
    CHECK(s != NULL && PySet_CheckExact(s) && PyAnySet_Check(s) && !PyFrozenSet_Check(s));
    for (long i = 0; i < 100; i++) {
        PyObject *k = PyLong_FromLong(i);
        CHECK(PySet_Add(s, k) == 0);
        CHECK(PySet_Add(s, k) == 0); /* already there */
        Py_DECREF(k);
    }
    CHECK(PySet_Size(s) == 100 && PySet_GET_SIZE(s) == 100 && PyObject_Size(s) == 100);
    CHECK(contains_long(s, 42) == 1 && contains_long(s, 100) == 0);
    PyObject *k = PyLong_FromLong(42);
    CHECK(PySet_Discard(s, k) == 1);
    CHECK(PySet_Discard(s, k) == 0);
    Py_DECREF(k);
    CHECK(contains_long(s, 42) == 0 && PySet_GET_SIZE(s) == 99);
    /* Removing most keys and adding others back keeps every key findable. */
    for (long i = 0; i < 100; i += 2) {
        k = PyLong_FromLong(i);
        CHECK(PySet_Discard(s, k) == (i != 42));
        Py_DECREF(k);
    }
    for (long i = 1000; i < 1050; i++) {
        k = PyLong_FromLong(i);
        CHECK(PySet_Add(s, k) == 0);
        Py_DECREF(k);
    }
    CHECK(PySet_GET_SIZE(s) == 100);
    for (long i = 0; i < 100; i++) CHECK(contains_long(s, i) == (i % 2 == 1));
    for (long i = 1000; i < 1050; i++) CHECK(contains_long(s, i) == 1);
    Py_ssize_t n = PySet_GET_SIZE(s);
    while (n > 0) {
        PyObject *x = PySet_Pop(s);
        CHECK(x != NULL && contains_long(s, PyLong_AsLong(x)) == 0);
        Py_DECREF(x);
        CHECK(PySet_GET_SIZE(s) == --n);
    }
    CHECK(PySet_Pop(s) == NULL);
    CHECK_ERROR_TEXT(PyExc_KeyError, "'pop from an empty set'");
    long some[] = {1, 2, 3};
    PyObject *t = of_ints(0, some, 3);
    CHECK(PySet_Clear(t) == 0 && PySet_GET_SIZE(t) == 0 && contains_long(t, 1) == 0);
    Py_DECREF(t);
    Py_DECREF(s);
    return 0;
}

static int strings_and_duplicates(void) {
    PyObject *l = Py_BuildValue("[sssss]", "a", "b", "a", "c", "b");
    PyObject *s = PySet_New(l);
    CHECK(PySet_GET_SIZE(s) == 3);
    PyObject *b = PyUnicode_FromString("b");
    CHECK(PySet_Contains(s, b) == 1);
    Py_DECREF(b);
    PyObject *f = PyFrozenSet_New(s);
    CHECK(f != NULL && PyFrozenSet_CheckExact(f) && PyAnySet_Check(f) && !PySet_Check(f));
    CHECK(PySet_Size(f) == 3);
    /* Equal contents compare equal across the two types. */
    CHECK(PyObject_RichCompareBool(s, f, Py_EQ) == 1);
    Py_DECREF(f);
    Py_DECREF(s);
    Py_DECREF(l);
    return 0;
}

static int iteration_order_is_cpythons(void) {
    /* Colliding hashes: 39 and 71 land on 7's slot, 2**40 + 31 on 31's. */
    long values[] = {-1, 7, 15, 23, 8, 16, 39, 71, 1L << 40, (1L << 40) + 31};
    PyObject *s = of_ints(0, values, 10);
    long got[10];
    CHECK(iteration_order(s, got, 10) == 10);
    long expected[] = {1L << 40, 7, 8, 39, 71, 15, 16, 23, -1, (1L << 40) + 31};
    for (int i = 0; i < 10; i++) CHECK(got[i] == expected[i]);
    Py_DECREF(s);

    long twenty[20];
    for (int i = 0; i < 20; i++) twenty[i] = i;
    s = of_ints(0, twenty, 20);
    for (long i = 0; i < 20; i += 3) {
        PyObject *k = PyLong_FromLong(i);
        PySet_Discard(s, k);
        Py_DECREF(k);
    }
    PyObject *k = PyLong_FromLong(100);
    PySet_Add(s, k);
    Py_DECREF(k);
    k = PyLong_FromLong(37);
    PySet_Add(s, k);
    Py_DECREF(k);
    long order[20];
    long expected2[] = {1, 2, 4, 5, 7, 8, 10, 11, 13, 14, 16, 17, 19, 37, 100};
    CHECK(iteration_order(s, order, 20) == 15);
    for (int i = 0; i < 15; i++) CHECK(order[i] == expected2[i]);
    Py_DECREF(s);
    return 0;
}

static int changing_size_while_iterating(void) {
    long values[] = {1, 2, 3};
    PyObject *s = of_ints(0, values, 3);
    PyObject *it = PyObject_GetIter(s);
    CHECK(strcmp(Py_TYPE(it)->tp_name, "set_iterator") == 0);
    CHECK(PyObject_LengthHint(it, 0) == 3);
    CHECK_INT(PyIter_Next(it), 1);
    CHECK(PyObject_LengthHint(it, 0) == 2);
    PyObject *k = PyLong_FromLong(9);
    PySet_Add(s, k);
    Py_DECREF(k);
    CHECK(PyIter_Next(it) == NULL);
    CHECK_ERROR_TEXT(PyExc_RuntimeError, "Set changed size during iteration");
    CHECK(PyIter_Next(it) == NULL);
    CHECK_ERROR_TEXT(PyExc_RuntimeError, "Set changed size during iteration");
    Py_DECREF(it);
    Py_DECREF(s);
    return 0;
}

static int frozenset_hashes_are_cpythons(void) {
    long three[] = {1, 2, 3};
    PyObject *f = of_ints(1, three, 3);
    CHECK(PyObject_Hash(f) == -272375401224217160LL);
    CHECK(PyObject_Hash(f) == -272375401224217160LL); /* cached */
    Py_DECREF(f);
    f = PyFrozenSet_New(NULL);
    CHECK(PyObject_Hash(f) == 133146708735736LL);
    Py_DECREF(f);
    long hundred[100];
    for (int i = 0; i < 100; i++) hundred[i] = 99 - i;
    f = of_ints(1, hundred, 100);
    CHECK(PyObject_Hash(f) == 4411996150312757951LL);
    /* A frozenset is a valid key; a set is not. */
    PyObject *inner = of_ints(1, three, 1);
    PyObject *outer = PyFrozenSet_New(NULL);
    CHECK(PySet_Add(outer, inner) == 0); /* outer is still only ours */
    CHECK(PyObject_Hash(outer) == 5515263749738256364LL);
    Py_DECREF(outer);
    Py_DECREF(inner);
    PyObject *s = PySet_New(NULL);
    CHECK(PyObject_Hash(s) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "unhashable type: 'set'");
    CHECK(PySet_Add(s, s) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "unhashable type: 'set'");
    Py_DECREF(s);
    Py_DECREF(f);
    return 0;
}

static int reprs(void) {
    PyObject *s = PySet_New(NULL);
    CHECK_REPR(s, "set()");
    long three[] = {3, 1, 2};
    PyObject *t = of_ints(0, three, 3);
    CHECK_REPR(t, "{1, 2, 3}");
    PyObject *f = PyFrozenSet_New(NULL);
    CHECK_REPR(f, "frozenset()");
    PyObject *g = of_ints(1, three, 2);
    CHECK_REPR(g, "frozenset({1, 3})");
    Py_DECREF(g);
    Py_DECREF(f);
    Py_DECREF(t);
    Py_DECREF(s);
    return 0;
}

static int comparisons(void) {
    long v[] = {1, 2, 3};
    PyObject *a = of_ints(0, v, 2), *b = of_ints(0, v, 3), *fb = of_ints(1, v, 3);
    CHECK(PyObject_RichCompareBool(a, b, Py_LT) == 1);
    CHECK(PyObject_RichCompareBool(a, b, Py_LE) == 1);
    CHECK(PyObject_RichCompareBool(b, a, Py_GT) == 1);
    CHECK(PyObject_RichCompareBool(b, a, Py_GE) == 1);
    CHECK(PyObject_RichCompareBool(b, b, Py_LT) == 0);
    CHECK(PyObject_RichCompareBool(a, b, Py_EQ) == 0);
    CHECK(PyObject_RichCompareBool(b, fb, Py_EQ) == 1);
    CHECK(PyObject_RichCompareBool(fb, b, Py_NE) == 0);
    CHECK(PyObject_RichCompareBool(b, fb, Py_GE) == 1);
    long w[] = {1, 9};
    PyObject *c = of_ints(0, w, 2);
    /* Neither a subset nor a superset. */
    CHECK(PyObject_RichCompareBool(a, c, Py_LT) == 0 && PyObject_RichCompareBool(a, c, Py_GT) == 0);
    PyObject *l = PyList_New(0);
    CHECK(PyObject_RichCompareBool(a, l, Py_EQ) == 0);
    CHECK(PyObject_RichCompareBool(a, l, Py_LT) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'<' not supported between instances of 'set' and 'list'");
    Py_DECREF(l);
    Py_DECREF(c);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(fb);
    return 0;
}

/* Checks that `r` (stolen) is a set (frozen or not, as asked) of exactly `values`. */
static int is_set_of(PyObject *r, int frozen, const long *values, int n) {
    int ok = r != NULL && (frozen ? PyFrozenSet_CheckExact(r) : PySet_CheckExact(r)) && PySet_GET_SIZE(r) == n;
    for (int i = 0; ok && i < n; i++) ok = contains_long(r, values[i]) == 1;
    Py_XDECREF(r);
    return ok;
}

static int operators(void) {
    long va[] = {1, 2, 3}, vb[] = {2, 3, 4};
    PyObject *a = of_ints(0, va, 3), *b = of_ints(0, vb, 3), *fb = of_ints(1, vb, 3);
    long u[] = {1, 2, 3, 4}, i[] = {2, 3}, d[] = {1}, x[] = {1, 4};
    CHECK(is_set_of(PyNumber_Or(a, b), 0, u, 4));
    CHECK(is_set_of(PyNumber_And(a, b), 0, i, 2));
    CHECK(is_set_of(PyNumber_Subtract(a, b), 0, d, 1));
    CHECK(is_set_of(PyNumber_Xor(a, b), 0, x, 2));
    /* The left operand's kind decides the result's. */
    CHECK(is_set_of(PyNumber_Or(fb, a), 1, u, 4));
    CHECK(is_set_of(PyNumber_And(a, fb), 0, i, 2));
    CHECK(is_set_of(PyNumber_Subtract(fb, a), 1, (long[]){4}, 1));
    /* In place: a set changes and comes back; a frozenset gives a new one. */
    PyObject *r = PyNumber_InPlaceOr(a, b);
    CHECK(r == a);
    Py_DECREF(r);
    CHECK(PySet_GET_SIZE(a) == 4);
    r = PyNumber_InPlaceAnd(a, fb);
    CHECK(r == a);
    Py_DECREF(r);
    CHECK(PySet_GET_SIZE(a) == 3 && contains_long(a, 1) == 0);
    r = PyNumber_InPlaceSubtract(a, b);
    CHECK(r == a && PySet_GET_SIZE(a) == 0);
    Py_DECREF(r);
    r = PyNumber_InPlaceXor(a, b);
    CHECK(r == a && PySet_GET_SIZE(a) == 3);
    Py_DECREF(r);
    r = PyNumber_InPlaceXor(a, a);
    CHECK(r == a && PySet_GET_SIZE(a) == 0);
    Py_DECREF(r);
    r = PyNumber_InPlaceOr(fb, a);
    CHECK(r != NULL && r != fb && PyFrozenSet_CheckExact(r));
    Py_DECREF(r);
    PyObject *l = PyList_New(0);
    CHECK(PyNumber_Or(b, l) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "unsupported operand type(s) for |: 'set' and 'list'");
    CHECK(PyNumber_InPlaceSubtract(b, l) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "unsupported operand type(s) for -=: 'set' and 'list'");
    Py_DECREF(l);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(fb);
    return 0;
}

static int in_operator_takes_a_set_as_a_frozenset(void) {
    long v[] = {1, 2};
    PyObject *inner = of_ints(1, v, 2);
    PyObject *outer = PySet_New(NULL);
    PySet_Add(outer, inner);
    PyObject *probe = of_ints(0, v, 2);
    /* The in operator (sq_contains) looks a set up as a frozenset ... */
    CHECK(PySequence_Contains(outer, probe) == 1);
    /* ... PySet_Contains does not. */
    CHECK(PySet_Contains(outer, probe) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "unhashable type: 'set'");
    PyObject *l = PyList_New(0);
    CHECK(PySequence_Contains(outer, l) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "unhashable type: 'list'");
    Py_DECREF(l);
    Py_DECREF(probe);
    Py_DECREF(outer);
    Py_DECREF(inner);
    return 0;
}

static int constructors(void) {
    PyObject *l = Py_BuildValue("[iii]", 1, 2, 2);
    PyObject *args = PyTuple_Pack(1, l), *none = PyTuple_New(0);
    PyObject *s = PySet_Type.tp_new(&PySet_Type, args, NULL);
    CHECK(s != NULL && PySet_GET_SIZE(s) == 0); /* filled by __init__ */
    CHECK(PySet_Type.tp_init(s, args, NULL) == 0 && PySet_GET_SIZE(s) == 2);
    CHECK(PySet_Type.tp_init(s, none, NULL) == 0 && PySet_GET_SIZE(s) == 0);
    PyObject *two = PyTuple_Pack(2, l, l);
    CHECK(PySet_Type.tp_init(s, two, NULL) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "set expected at most 1 argument, got 2");
    PyObject *kw = Py_BuildValue("{s:i}", "x", 1);
    CHECK(PySet_Type.tp_init(s, none, kw) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "set() takes no keyword arguments");
    PyObject *f = PyFrozenSet_Type.tp_new(&PyFrozenSet_Type, args, NULL);
    CHECK(f != NULL && PyFrozenSet_CheckExact(f) && PySet_GET_SIZE(f) == 2);
    PyObject *fargs = PyTuple_Pack(1, f);
    PyObject *same = PyFrozenSet_Type.tp_new(&PyFrozenSet_Type, fargs, NULL);
    CHECK(same == f);
    Py_DECREF(same);
    CHECK(PyFrozenSet_Type.tp_new(&PyFrozenSet_Type, none, kw) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "frozenset() takes no keyword arguments");
    CHECK(PyFrozenSet_Type.tp_new(&PyFrozenSet_Type, two, NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "frozenset expected at most 1 argument, got 2");
    Py_DECREF(fargs);
    Py_DECREF(f);
    Py_DECREF(kw);
    Py_DECREF(two);
    Py_DECREF(s);
    Py_DECREF(none);
    Py_DECREF(args);
    Py_DECREF(l);
    return 0;
}

/* ---------- keys that all collide, and may empty a set while compared ---------- */

typedef struct {
    PyObject_HEAD
    long v;
} ClashObject;

static PyObject *victim; /* emptied by the next comparison */
static PyTypeObject ClashType;

static void clash_dealloc(PyObject *o) { PyObject_Free(o); }
static Py_hash_t clash_hash(PyObject *o) { return 1; }

static PyObject *clash_richcompare(PyObject *a, PyObject *b, int op) {
    if (victim) {
        PyObject *v = victim;
        victim = NULL;
        PySet_Clear(v);
    }
    if (Py_TYPE(a) != &ClashType || Py_TYPE(b) != &ClashType) Py_RETURN_NOTIMPLEMENTED;
    Py_RETURN_RICHCOMPARE(((ClashObject *)a)->v, ((ClashObject *)b)->v, op);
}

static PyTypeObject ClashType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "test.Clash",
    .tp_basicsize = sizeof(ClashObject),
    .tp_dealloc = clash_dealloc,
    .tp_hash = clash_hash,
    .tp_richcompare = clash_richcompare,
};

static PyObject *clash(long v) {
    ClashObject *c = PyObject_Malloc(sizeof *c);
    c->ob_base.ob_refcnt = 1;
    c->ob_base.ob_type = &ClashType;
    c->v = v;
    return (PyObject *)c;
}

static int comparisons_that_empty_the_set(void) {
    CHECK(ready(&ClashType) == 0);
    PyObject *k[20];
    for (int i = 0; i < 20; i++) k[i] = clash(i);
    PyObject *s = PySet_New(NULL);
    for (int i = 0; i < 20; i++) CHECK(PySet_Add(s, k[i]) == 0);
    CHECK(PySet_GET_SIZE(s) == 20);
    for (int i = 0; i < 20; i++) CHECK(PySet_Contains(s, k[i]) == 1);
    PyObject *absent = clash(99);
    victim = s;
    CHECK(PySet_Contains(s, absent) == 0); /* the search starts again on the emptied set */
    CHECK(PySet_GET_SIZE(s) == 0);
    for (int i = 0; i < 5; i++) CHECK(PySet_Add(s, k[i]) == 0);
    victim = s;
    CHECK(PySet_Add(s, absent) == 0);
    CHECK(PySet_GET_SIZE(s) == 1 && PySet_Contains(s, absent) == 1);
    for (int i = 0; i < 5; i++) CHECK(PySet_Add(s, k[i]) == 0);
    victim = s;
    CHECK(PySet_Discard(s, k[4]) == 0);
    CHECK(PySet_GET_SIZE(s) == 0);
    Py_DECREF(s);
    Py_DECREF(absent);
    for (int i = 0; i < 20; i++) Py_DECREF(k[i]);
    return 0;
}

static int wrong_arguments(void) {
    PyObject *l = PyList_New(0), *f = PyFrozenSet_New(NULL), *one = PyLong_FromLong(1);
    CHECK(PySet_Size(l) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PySet_Contains(l, one) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PySet_Discard(f, one) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PySet_Clear(f) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PySet_Pop(f) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    /* A frozenset others may hold is not filled. */
    Py_INCREF(f);
    CHECK(PySet_Add(f, one) == -1);
    CHECK_RAISED(PyExc_SystemError);
    Py_DECREF(f);
    CHECK(PySet_New(one) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'int' object is not iterable");
    CHECK(PyFrozenSet_New(one) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'int' object is not iterable");
    PyObject *s = PySet_New(NULL);
    CHECK(PySet_Add(s, l) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "unhashable type: 'list'");
    CHECK(PySet_Discard(s, l) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "unhashable type: 'list'");
    if (ISLE_ONLY) {
        CHECK(PySet_Size(NULL) == -1);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(PySet_Add(s, NULL) == -1);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(PySet_Add(NULL, one) == -1);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(PySet_Contains(NULL, one) == -1);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(PySet_Discard(s, NULL) == -1);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(PySet_Clear(NULL) == -1);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(PySet_Pop(NULL) == NULL);
        CHECK_RAISED(PyExc_SystemError);
    }
    Py_DECREF(s);
    Py_DECREF(l);
    Py_DECREF(f);
    Py_DECREF(one);
    return 0;
}

/* repr(obj.name(...)) for a Py_BuildValue format of the arguments (obj borrowed). */
#define CHECK_METHOD(obj, name, expected, ...) CHECK_NEW_REPR(PyObject_CallMethod((obj), name, __VA_ARGS__), expected)

#define CHECK_METHOD_FAILS(obj, name, exc, message, ...) \
    do { \
        CHECK(PyObject_CallMethod((obj), name, __VA_ARGS__) == NULL); \
        CHECK_ERROR_TEXT(exc, message); \
    } while (0)

static int methods(void) {
    PyObject *items = Py_BuildValue("[iii]", 1, 2, 3);
    PyObject *s = PySet_New(items);
    Py_DECREF(items);
    CHECK_METHOD(s, "union", "{1, 2, 3, 4, 5}", "[i](i)", 4, 5);
    CHECK_METHOD(s, "union", "{1, 2, 3}", NULL);
    CHECK_METHOD(s, "intersection", "{3}", "[iii][i]", 2, 3, 9, 3);
    CHECK_METHOD(s, "difference", "{3}", "[i](i)", 1, 2);
    CHECK_METHOD(s, "symmetric_difference", "{1, 2, 4}", "([ii])", 3, 4);
    CHECK_METHOD(s, "issubset", "True", "(N)", PyObject_CallFunction((PyObject *)&PyRange_Type, "i", 10));
    CHECK_METHOD(s, "issuperset", "True", "([i])", 1);
    CHECK_METHOD(s, "issuperset", "False", "([i])", 7);
    CHECK_METHOD(s, "isdisjoint", "True", "([i])", 7);
    CHECK_METHOD(s, "isdisjoint", "False", "([ii])", 7, 3);
    CHECK_METHOD_FAILS(s, "isdisjoint", PyExc_TypeError, "'int' object is not iterable", "i", 5);
    CHECK_METHOD_FAILS(s, "union", PyExc_TypeError, "'int' object is not iterable", "i", 5);
    CHECK_REPR(s, "{1, 2, 3}");

    /* The mutators. */
    CHECK_METHOD(s, "add", "None", "i", 4);
    CHECK_METHOD_FAILS(s, "add", PyExc_TypeError, "unhashable type: 'list'", "([])");
    CHECK_METHOD(s, "discard", "None", "i", 9);
    CHECK_METHOD(s, "remove", "None", "i", 4);
    CHECK_METHOD_FAILS(s, "remove", PyExc_KeyError, "9", "i", 9);
    PyObject *one = Py_BuildValue("[i]", 1);
    PyObject *as_set = PySet_New(one);
    CHECK_METHOD(s, "discard", "None", "O", as_set); /* looked up as frozenset({1}) */
    CHECK_METHOD_FAILS(s, "remove", PyExc_KeyError, "{1}", "O", as_set);
    Py_DECREF(as_set);
    Py_DECREF(one);
    CHECK_METHOD(s, "update", "None", "[ii](i)", 5, 6, 7);
    CHECK_REPR(s, "{1, 2, 3, 5, 6, 7}");
    CHECK_METHOD(s, "intersection_update", "None", "[iiiii][iiii]", 1, 2, 3, 5, 6, 2, 3, 5, 6);
    CHECK_REPR(s, "{2, 3, 5, 6}");
    CHECK_METHOD(s, "difference_update", "None", "[i](i)", 2, 6);
    CHECK_REPR(s, "{3, 5}");
    CHECK_METHOD(s, "symmetric_difference_update", "None", "([ii])", 5, 8);
    CHECK_REPR(s, "{3, 8}");
    PyObject *copy = PyObject_CallMethod(s, "copy", NULL);
    CHECK(copy != NULL && copy != s && PySet_CheckExact(copy));
    CHECK_REPR(copy, "{8, 3}");
    CHECK_INT(PyObject_CallMethod(s, "pop", NULL), 3);
    CHECK_METHOD(s, "clear", "None", NULL);
    CHECK_METHOD_FAILS(s, "pop", PyExc_KeyError, "'pop from an empty set'", NULL);
    CHECK_REPR(copy, "{8, 3}");
    Py_DECREF(copy);
    Py_DECREF(s);

    /* frozenset: the non-mutating methods; copy of an exact one is itself. */
    items = Py_BuildValue("[ii]", 1, 2);
    PyObject *f = PyFrozenSet_New(items);
    Py_DECREF(items);
    CHECK_METHOD(f, "union", "frozenset({1, 2, 3})", "([i])", 3);
    CHECK_REPR(f, "frozenset({1, 2})");
    CHECK_METHOD(f, "intersection", "frozenset({2})", "([i])", 2);
    CHECK_METHOD(f, "difference", "frozenset()", "([ii])", 1, 2);
    CHECK_METHOD(f, "symmetric_difference", "frozenset({1, 3})", "([ii])", 2, 3);
    PyObject *same = PyObject_CallMethod(f, "copy", NULL);
    CHECK(same == f);
    Py_DECREF(same);
    PyObject *add = PyObject_GetAttrString(f, "add");
    CHECK(add == NULL);
    CHECK_ERROR_TEXT(PyExc_AttributeError, "'frozenset' object has no attribute 'add'");
    Py_DECREF(f);
    return 0;
}

static const TestCase cases[] = {
    CASE(add_contains_discard_pop_clear),
    CASE(strings_and_duplicates),
    CASE(iteration_order_is_cpythons),
    CASE(changing_size_while_iterating),
    CASE(frozenset_hashes_are_cpythons),
    CASE(reprs),
    CASE(comparisons),
    CASE(operators),
    CASE(in_operator_takes_a_set_as_a_frozenset),
    CASE(constructors),
    CASE(comparisons_that_empty_the_set),
    CASE(wrong_arguments),
    KEEPS_OBJECTS(methods),
};

TEST_MAIN(cases)
