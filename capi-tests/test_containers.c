/* tuple, list and dict: the tupleobject.h, listobject.h and dictobject.h API, the
 * type slots behind them, and their error paths. Items are str objects, the
 * singletons, containers, and the small test types defined below (ordered keys with
 * hooks, an iterable, and a mapping that is not a dict). */
#include "harness.h"

/* ---------- helpers ---------- */

static PyObject *S(const char *s) { return PyUnicode_FromStringAndSize(s, (Py_ssize_t)strlen(s)); }

static const char *utf8(PyObject *s) { return s ? PyUnicode_AsUTF8AndSize(s, NULL) : NULL; }

/* Checks that the str `s` (stolen) reads `text`. */
#define CHECK_TEXT(s, text) \
    do { \
        PyObject *_t = (s); \
        CHECK(_t != NULL); \
        const char *_u = utf8(_t); \
        int _same = _u != NULL && strcmp(_u, (text)) == 0; \
        if (!_same) fprintf(stderr, "  got \"%s\", expected \"%s\"\n", _u ? _u : "(null)", (text)); \
        Py_DECREF(_t); \
        CHECK(_same); \
    } while (0)

#define CHECK_REPR(o, text) CHECK_TEXT(PyObject_Repr(o), text)

/* Checks the pending exception's type and its str(), then clears it. */
#define CHECK_RAISED_MSG(exc, text) \
    do { \
        CHECK(PyErr_Occurred() != NULL); \
        CHECK(PyErr_ExceptionMatches(exc)); \
        PyObject *_e = PyErr_GetRaisedException(); \
        CHECK_TEXT(PyObject_Str(_e), text); \
        Py_DECREF(_e); \
    } while (0)

static int is_text(PyObject *o, const char *text) {
    const char *u = utf8(o);
    return u != NULL && strcmp(u, text) == 0;
}

/* A list of n fresh str items "prefix0", "prefix1", ... */
static PyObject *str_list(const char *prefix, int n) {
    PyObject *l = PyList_New(0);
    for (int i = 0; i < n; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s%d", prefix, i);
        PyObject *s = S(buf);
        PyList_Append(l, s);
        Py_DECREF(s);
    }
    return l;
}

/* ---------- Key: ordered by an integer, with a tag to observe stability ---------- */

typedef struct {
    PyObject_HEAD
    long key;
    long tag;
} KeyObject;

static long compare_count;
static long fail_after = -1;          /* comparisons allowed before one fails */
static void (*compare_hook)(void);    /* run inside every comparison */
static int constant_hash;             /* all keys collide when set */

static void key_dealloc(PyObject *o) { PyObject_Free(o); }

static PyObject *key_repr(PyObject *o) {
    char buf[64];
    snprintf(buf, sizeof buf, "K%ld", ((KeyObject *)o)->key);
    return S(buf);
}

static Py_hash_t key_hash(PyObject *o) { return constant_hash ? 42 : ((KeyObject *)o)->key; }

static PyTypeObject KeyType;

static PyObject *key_richcompare(PyObject *a, PyObject *b, int op) {
    if (Py_TYPE(a) != &KeyType || Py_TYPE(b) != &KeyType) Py_RETURN_NOTIMPLEMENTED;
    compare_count++;
    if (fail_after >= 0 && compare_count > fail_after) {
        PyErr_SetString(PyExc_ValueError, "comparison failed");
        return NULL;
    }
    if (compare_hook) compare_hook();
    if (PyErr_Occurred()) return NULL; /* a hook may fail the comparison */
    long x = ((KeyObject *)a)->key, y = ((KeyObject *)b)->key;
    Py_RETURN_RICHCOMPARE(x, y, op);
}

static PyTypeObject KeyType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "test.Key",
    .tp_basicsize = sizeof(KeyObject),
    .tp_dealloc = key_dealloc,
    .tp_repr = key_repr,
    .tp_hash = key_hash,
    .tp_richcompare = key_richcompare,
};

static PyObject *K(long key, long tag) {
    KeyObject *k = PyObject_Malloc(sizeof(KeyObject));
    if (k == NULL) return NULL;
    k->ob_base.ob_refcnt = 1;
    k->ob_base.ob_type = &KeyType;
    k->key = key;
    k->tag = tag;
    return (PyObject *)k;
}

static long key_of(PyObject *o) { return ((KeyObject *)o)->key; }
static long tag_of(PyObject *o) { return ((KeyObject *)o)->tag; }

/* ---------- Counter: an iterable of "c0" .. "c<n-1>", failing at `fail` if >= 0 ---------- */

typedef struct {
    PyObject_HEAD
    int next, n, fail;
} CounterObject;

static PyTypeObject CounterType;

static void counter_dealloc(PyObject *o) { PyObject_Free(o); }

static PyObject *counter_iter(PyObject *o) { return Py_NewRef(o); }

static PyObject *counter_next(PyObject *o) {
    CounterObject *c = (CounterObject *)o;
    if (c->next == c->fail) {
        PyErr_SetString(PyExc_RuntimeError, "iteration failed");
        return NULL;
    }
    if (c->next >= c->n) {
        /* End with an explicit StopIteration every other time: both ways are valid. */
        if (c->n % 2) PyErr_SetNone(PyExc_StopIteration);
        return NULL;
    }
    char buf[32];
    snprintf(buf, sizeof buf, "c%d", c->next++);
    return S(buf);
}

static PyTypeObject CounterType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "test.Counter",
    .tp_basicsize = sizeof(CounterObject),
    .tp_dealloc = counter_dealloc,
    .tp_iter = counter_iter,
    .tp_iternext = counter_next,
};

static PyObject *Counter(int n, int fail) {
    CounterObject *c = PyObject_Malloc(sizeof(CounterObject));
    c->ob_base.ob_refcnt = 1;
    c->ob_base.ob_type = &CounterType;
    c->next = 0;
    c->n = n;
    c->fail = fail;
    return (PyObject *)c;
}

/* ---------- MapLike: a mapping that is not a dict (keys() and subscripting) ---------- */

typedef struct {
    PyObject_HEAD
    PyObject *data; /* a dict */
} MapLikeObject;

typedef struct {
    PyObject_HEAD
    PyObject *owner;
} KeysMethodObject;

static PyTypeObject MapLikeType, KeysMethodType;

static void maplike_dealloc(PyObject *o) {
    Py_DECREF(((MapLikeObject *)o)->data);
    PyObject_Free(o);
}

static void keysmethod_dealloc(PyObject *o) {
    Py_DECREF(((KeysMethodObject *)o)->owner);
    PyObject_Free(o);
}

static PyObject *keysmethod_call(PyObject *self, PyObject *args, PyObject *kwargs) {
    MapLikeObject *m = (MapLikeObject *)((KeysMethodObject *)self)->owner;
    return PyDict_Keys(m->data);
}

static PyObject *maplike_getattro(PyObject *self, PyObject *name) {
    if (!is_text(name, "keys")) {
        PyErr_SetString(PyExc_AttributeError, "no such attribute");
        return NULL;
    }
    KeysMethodObject *k = PyObject_Malloc(sizeof(KeysMethodObject));
    k->ob_base.ob_refcnt = 1;
    k->ob_base.ob_type = &KeysMethodType;
    k->owner = Py_NewRef(self);
    return (PyObject *)k;
}

static PyObject *maplike_subscript(PyObject *self, PyObject *key) {
    PyObject *v = PyDict_GetItemWithError(((MapLikeObject *)self)->data, key);
    if (v == NULL && !PyErr_Occurred()) PyErr_SetObject(PyExc_KeyError, key);
    return Py_XNewRef(v);
}

static PyMappingMethods maplike_as_mapping = { .mp_subscript = maplike_subscript };

static PyTypeObject MapLikeType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "test.MapLike",
    .tp_basicsize = sizeof(MapLikeObject),
    .tp_dealloc = maplike_dealloc,
    .tp_getattro = maplike_getattro,
    .tp_as_mapping = &maplike_as_mapping,
};

static PyTypeObject KeysMethodType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "test.keys",
    .tp_basicsize = sizeof(KeysMethodObject),
    .tp_dealloc = keysmethod_dealloc,
    .tp_call = keysmethod_call,
};

static PyObject *MapLike(PyObject *data) {
    MapLikeObject *m = PyObject_Malloc(sizeof(MapLikeObject));
    m->ob_base.ob_refcnt = 1;
    m->ob_base.ob_type = &MapLikeType;
    m->data = Py_NewRef(data);
    return (PyObject *)m;
}

/* ================================ tuple ================================ */

static int tuple_new_set_get(void) {
    PyObject *a = S("a"), *b = S("b");
    PyObject *t = PyTuple_New(2);
    CHECK(t && PyTuple_Check(t) && PyTuple_CheckExact(t));
    CHECK(PyTuple_Size(t) == 2 && PyTuple_GET_SIZE(t) == 2);
    CHECK(PyTuple_GET_ITEM(t, 0) == NULL);
    CHECK(PyTuple_SetItem(t, 0, Py_NewRef(a)) == 0);
    PyTuple_SET_ITEM(t, 1, Py_NewRef(b));
    CHECK(PyTuple_GetItem(t, 0) == a && PyTuple_GET_ITEM(t, 1) == b);
    /* Replacing an item releases the old one. */
    Py_ssize_t before = Py_REFCNT(a);
    CHECK(PyTuple_SetItem(t, 0, Py_NewRef(b)) == 0);
    CHECK(Py_REFCNT(a) == before - 1);
    CHECK(PyTuple_GetItem(t, 0) == b);
    Py_DECREF(t);
    CHECK(PyTuple_New(0) == PyTuple_New(0)); /* the shared empty tuple */
    CHECK(PyTuple_Size(PyTuple_New(0)) == 0);
    PyObject *p = PyTuple_Pack(2, a, b);
    CHECK(p && PyTuple_GET_ITEM(p, 0) == a && PyTuple_GET_ITEM(p, 1) == b);
    Py_DECREF(p);
    Py_DECREF(a);
    Py_DECREF(b);
    return 0;
}

static int tuple_errors(void) {
    PyObject *l = PyList_New(0), *t = PyTuple_Pack(1, Py_None);
    CHECK(PyTuple_New(-1) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyTuple_Size(l) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyTuple_Size(NULL) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyTuple_GetItem(l, 0) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyTuple_GetItem(NULL, 0) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyTuple_GetItem(t, 1) == NULL);
    CHECK_RAISED_MSG(PyExc_IndexError, "tuple index out of range");
    CHECK(PyTuple_GetItem(t, -1) == NULL);
    CHECK_RAISED_MSG(PyExc_IndexError, "tuple index out of range");
    CHECK(PyTuple_GetSlice(l, 0, 1) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyTuple_GetSlice(NULL, 0, 1) == NULL);
    CHECK_RAISED(PyExc_SystemError);

    /* SetItem takes the reference over whatever happens. */
    PyObject *item = S("item");
    Py_ssize_t base = Py_REFCNT(item);
    CHECK(PyTuple_SetItem(t, 5, Py_NewRef(item)) == -1);
    CHECK_RAISED_MSG(PyExc_IndexError, "tuple assignment index out of range");
    CHECK(Py_REFCNT(item) == base);
    CHECK(PyTuple_SetItem(l, 0, Py_NewRef(item)) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(Py_REFCNT(item) == base);
    CHECK(PyTuple_SetItem(NULL, 0, Py_NewRef(item)) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(Py_REFCNT(item) == base);
    Py_INCREF(t); /* shared: no longer writable */
    CHECK(PyTuple_SetItem(t, 0, Py_NewRef(item)) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(Py_REFCNT(item) == base);
    CHECK(PyTuple_GET_ITEM(t, 0) == Py_None);
    Py_DECREF(t);
    Py_DECREF(t);
    Py_DECREF(item);
    Py_DECREF(l);
    return 0;
}

static int tuple_getslice(void) {
    PyObject *t = PyTuple_Pack(4, Py_None, Py_True, Py_False, Py_Ellipsis);
    PyObject *s = PyTuple_GetSlice(t, 1, 3);
    CHECK(s && PyTuple_GET_SIZE(s) == 2 && PyTuple_GET_ITEM(s, 0) == Py_True && PyTuple_GET_ITEM(s, 1) == Py_False);
    Py_DECREF(s);
    s = PyTuple_GetSlice(t, -10, 2); /* negative bounds count as 0 */
    CHECK(s && PyTuple_GET_SIZE(s) == 2 && PyTuple_GET_ITEM(s, 0) == Py_None);
    Py_DECREF(s);
    s = PyTuple_GetSlice(t, 2, 100);
    CHECK(s && PyTuple_GET_SIZE(s) == 2 && PyTuple_GET_ITEM(s, 1) == Py_Ellipsis);
    Py_DECREF(s);
    s = PyTuple_GetSlice(t, 3, 1);
    CHECK(s && PyTuple_GET_SIZE(s) == 0);
    Py_DECREF(s);
    s = PyTuple_GetSlice(t, 0, 4);
    CHECK(s == t); /* the whole tuple is itself */
    Py_DECREF(s);
    Py_DECREF(t);
    return 0;
}

static int tuple_resize(void) {
    PyObject *a = S("a");
    PyObject *t = PyTuple_New(2);
    PyTuple_SET_ITEM(t, 0, Py_NewRef(a));
    PyTuple_SET_ITEM(t, 1, Py_NewRef(Py_None));
    CHECK(_PyTuple_Resize(&t, 600) == 0);
    CHECK(t && PyTuple_GET_SIZE(t) == 600 && PyTuple_GET_ITEM(t, 0) == a);
    for (int i = 2; i < 600; i++) CHECK(PyTuple_GET_ITEM(t, i) == NULL);
    for (int i = 2; i < 600; i++) PyTuple_SET_ITEM(t, i, Py_NewRef(Py_True));
    Py_ssize_t base = Py_REFCNT(a);
    CHECK(_PyTuple_Resize(&t, 1) == 0);
    CHECK(t && PyTuple_GET_SIZE(t) == 1 && PyTuple_GET_ITEM(t, 0) == a);
    CHECK(Py_REFCNT(a) == base);
    CHECK(_PyTuple_Resize(&t, 1) == 0 && PyTuple_GET_SIZE(t) == 1);
    CHECK(_PyTuple_Resize(&t, 0) == 0 && t == PyTuple_New(0));
    CHECK(Py_REFCNT(a) == base - 1);
    CHECK(_PyTuple_Resize(&t, 3) == 0 && PyTuple_GET_SIZE(t) == 3 && t != PyTuple_New(0));
    for (int i = 0; i < 3; i++) PyTuple_SET_ITEM(t, i, Py_NewRef(Py_None));
    /* A shared tuple may not be resized: it is released and the pointer cleared. */
    PyObject *keep = Py_NewRef(t);
    CHECK(_PyTuple_Resize(&t, 5) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(t == NULL);
    CHECK(Py_REFCNT(keep) == 1);
    Py_DECREF(keep);
    PyObject *l = PyList_New(0);
    CHECK(_PyTuple_Resize(&l, 5) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(l == NULL);
    CHECK(_PyTuple_Resize(NULL, 5) == -1);
    CHECK_RAISED(PyExc_SystemError);
    Py_DECREF(a);
    return 0;
}

static int tuple_repr(void) {
    PyObject *t0 = PyTuple_New(0);
    CHECK_REPR(t0, "()");
    PyObject *t1 = PyTuple_Pack(1, Py_None);
    CHECK_REPR(t1, "(None,)");
    PyObject *l = PyList_New(0);
    PyObject *t3 = PyTuple_Pack(3, Py_None, t1, l);
    CHECK_REPR(t3, "(None, (None,), [])");
    /* str items print through their own repr, whatever it is. */
    PyObject *a = S("a");
    PyObject *ta = PyTuple_Pack(2, a, Py_Ellipsis);
    PyObject *ra = PyObject_Repr(a);
    char expected[256];
    snprintf(expected, sizeof expected, "(%s, Ellipsis)", utf8(ra));
    CHECK_REPR(ta, expected);
    /* A tuple reached again through a list prints as (...). */
    PyObject *t = PyTuple_Pack(1, l);
    PyList_Append(l, t);
    CHECK_REPR(t, "([(...)],)");
    PyList_Clear(l); /* break the cycle */
    Py_DECREF(t);
    Py_DECREF(ra);
    Py_DECREF(ta);
    Py_DECREF(a);
    Py_DECREF(t3);
    Py_DECREF(l);
    Py_DECREF(t1);
    return 0;
}

static int tuple_hash(void) {
    PyObject *a1 = S("alpha"), *a2 = S("alpha"), *b = S("beta");
    PyObject *k1 = K(7, 0), *k2 = K(7, 1);
    PyObject *x = PyTuple_Pack(3, a1, b, k1), *y = PyTuple_Pack(3, a2, b, k2);
    Py_hash_t hx = PyObject_Hash(x), hy = PyObject_Hash(y);
    CHECK(hx != -1 && hx == hy);
    PyObject *swapped = PyTuple_Pack(3, b, a1, k1);
    CHECK(PyObject_Hash(swapped) != hx);
    PyObject *empty = PyTuple_New(0);
    CHECK(PyObject_Hash(empty) != -1);
    CHECK(PyObject_Hash(empty) == PyObject_Hash(empty));
    /* Nested tuples hash by value too. */
    PyObject *nx = PyTuple_Pack(1, x), *ny = PyTuple_Pack(1, y);
    CHECK(PyObject_Hash(nx) == PyObject_Hash(ny));
    PyObject *l = PyList_New(0);
    PyObject *bad = PyTuple_Pack(2, a1, l);
    CHECK(PyObject_Hash(bad) == -1);
    CHECK_RAISED_MSG(PyExc_TypeError, "unhashable type: 'list'");
    Py_DECREF(bad);
    Py_DECREF(l);
    Py_DECREF(nx);
    Py_DECREF(ny);
    Py_DECREF(swapped);
    Py_DECREF(x);
    Py_DECREF(y);
    Py_DECREF(k1);
    Py_DECREF(k2);
    Py_DECREF(a1);
    Py_DECREF(a2);
    Py_DECREF(b);
    return 0;
}

/* Checks `a op b` against `expected` (0 or 1) through PyObject_RichCompareBool. */
#define CHECK_CMP(a, op, b, expected) CHECK(PyObject_RichCompareBool((a), (b), (op)) == (expected))

static int tuple_richcompare(void) {
    PyObject *k1 = K(1, 0), *k2 = K(2, 0), *k3 = K(3, 0), *k1b = K(1, 1);
    PyObject *t12 = PyTuple_Pack(2, k1, k2), *t13 = PyTuple_Pack(2, k1, k3);
    PyObject *t12b = PyTuple_Pack(2, k1b, k2), *t1 = PyTuple_Pack(1, k1);
    CHECK_CMP(t12, Py_EQ, t12b, 1);
    CHECK_CMP(t12, Py_NE, t12b, 0);
    CHECK_CMP(t12, Py_LT, t13, 1);
    CHECK_CMP(t12, Py_LE, t13, 1);
    CHECK_CMP(t12, Py_GT, t13, 0);
    CHECK_CMP(t13, Py_GE, t12, 1);
    CHECK_CMP(t12, Py_EQ, t13, 0);
    CHECK_CMP(t12, Py_NE, t13, 1);
    /* A prefix is smaller. */
    CHECK_CMP(t1, Py_LT, t12, 1);
    CHECK_CMP(t12, Py_GT, t1, 1);
    CHECK_CMP(t1, Py_EQ, t12, 0);
    CHECK_CMP(t12, Py_LE, t12b, 1);
    CHECK_CMP(t12, Py_GE, t12b, 1);
    /* Against another type: == is identity, ordering is a TypeError. */
    PyObject *l = PyList_New(0), *e = PyTuple_New(0);
    CHECK_CMP(e, Py_EQ, l, 0);
    CHECK_CMP(e, Py_NE, l, 1);
    CHECK(PyObject_RichCompare(e, l, Py_LT) == NULL);
    CHECK_RAISED_MSG(PyExc_TypeError, "'<' not supported between instances of 'tuple' and 'list'");
    /* A failing item comparison propagates. */
    fail_after = compare_count;
    CHECK(PyObject_RichCompareBool(t12, t12b, Py_EQ) == -1);
    CHECK_RAISED_MSG(PyExc_ValueError, "comparison failed");
    fail_after = -1;
    Py_DECREF(l);
    Py_DECREF(e);
    Py_DECREF(t12);
    Py_DECREF(t13);
    Py_DECREF(t12b);
    Py_DECREF(t1);
    Py_DECREF(k1);
    Py_DECREF(k2);
    Py_DECREF(k3);
    Py_DECREF(k1b);
    return 0;
}

static int tuple_sequence_slots(void) {
    PySequenceMethods *sq = PyTuple_Type.tp_as_sequence;
    CHECK(sq && sq->sq_length && sq->sq_item && sq->sq_concat && sq->sq_contains);
    PyObject *a = PyTuple_Pack(2, Py_None, Py_True), *b = PyTuple_Pack(1, Py_False);
    CHECK(sq->sq_length(a) == 2);
    PyObject *it = sq->sq_item(a, 1);
    CHECK(it == Py_True);
    Py_DECREF(it);
    CHECK(sq->sq_item(a, 2) == NULL);
    CHECK_RAISED_MSG(PyExc_IndexError, "tuple index out of range");
    PyObject *c = sq->sq_concat(a, b);
    CHECK(c && PyTuple_GET_SIZE(c) == 3 && PyTuple_GET_ITEM(c, 2) == Py_False);
    Py_DECREF(c);
    PyObject *e = PyTuple_New(0);
    c = sq->sq_concat(a, e);
    CHECK(c == a);
    Py_DECREF(c);
    PyObject *l = PyList_New(0);
    CHECK(sq->sq_concat(a, l) == NULL);
    CHECK_RAISED_MSG(PyExc_TypeError, "can only concatenate tuple (not \"list\") to tuple");
    CHECK(sq->sq_contains(a, Py_True) == 1);
    CHECK(sq->sq_contains(a, Py_Ellipsis) == 0);
    CHECK(PyObject_Size(a) == 2);
    /* Membership compares by value. */
    PyObject *k = K(5, 0), *k_same = K(5, 1), *k_other = K(6, 0);
    PyObject *tk = PyTuple_Pack(1, k);
    CHECK(sq->sq_contains(tk, k_same) == 1);
    CHECK(sq->sq_contains(tk, k_other) == 0);
    fail_after = compare_count;
    CHECK(sq->sq_contains(tk, k_other) == -1);
    CHECK_RAISED(PyExc_ValueError);
    fail_after = -1;
    Py_DECREF(tk);
    Py_DECREF(k);
    Py_DECREF(k_same);
    Py_DECREF(k_other);
    Py_DECREF(l);
    Py_DECREF(a);
    Py_DECREF(b);
    return 0;
}

/* ================================ list ================================ */

static int list_new_set_get(void) {
    PyObject *l = PyList_New(3);
    CHECK(l && PyList_Check(l) && PyList_CheckExact(l));
    CHECK(PyList_Size(l) == 3 && PyList_GET_SIZE(l) == 3);
    for (int i = 0; i < 3; i++) CHECK(PyList_GET_ITEM(l, i) == NULL);
    PyObject *a = S("a"), *b = S("b");
    CHECK(PyList_SetItem(l, 0, Py_NewRef(a)) == 0);
    PyList_SET_ITEM(l, 1, Py_NewRef(b));
    PyList_SET_ITEM(l, 2, Py_NewRef(Py_None));
    CHECK(PyList_GetItem(l, 0) == a && PyList_GET_ITEM(l, 1) == b);
    Py_ssize_t base = Py_REFCNT(a);
    PyObject *r = PyList_GetItemRef(l, 0);
    CHECK(r == a && Py_REFCNT(a) == base + 1);
    Py_DECREF(r);
    CHECK(PyList_SetItem(l, 0, Py_NewRef(b)) == 0);
    CHECK(Py_REFCNT(a) == base - 1);
    Py_DECREF(l);
    PyObject *e = PyList_New(0);
    CHECK(e && PyList_Size(e) == 0);
    CHECK_REPR(e, "[]");
    Py_DECREF(e);
    CHECK(PyList_New(-1) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    Py_DECREF(a);
    Py_DECREF(b);
    return 0;
}

static int list_errors(void) {
    PyObject *t = PyTuple_New(0), *l = PyList_New(0), *item = S("item");
    PyList_Append(l, Py_None);
    CHECK(PyList_Size(t) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyList_Size(NULL) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyList_GetItem(t, 0) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyList_GetItem(l, 1) == NULL);
    CHECK_RAISED_MSG(PyExc_IndexError, "list index out of range");
    CHECK(PyList_GetItem(l, -1) == NULL);
    CHECK_RAISED_MSG(PyExc_IndexError, "list index out of range");
    CHECK(PyList_GetItemRef(t, 0) == NULL);
    CHECK_RAISED_MSG(PyExc_TypeError, "expected a list");
    CHECK(PyList_GetItemRef(l, 3) == NULL);
    CHECK_RAISED_MSG(PyExc_IndexError, "list index out of range");
    PyObject *holes = PyList_New(1);
    CHECK(PyList_GetItemRef(holes, 0) == NULL);
    CHECK_RAISED(PyExc_IndexError);
    Py_DECREF(holes);

    Py_ssize_t base = Py_REFCNT(item);
    CHECK(PyList_SetItem(l, 1, Py_NewRef(item)) == -1);
    CHECK_RAISED_MSG(PyExc_IndexError, "list assignment index out of range");
    CHECK(Py_REFCNT(item) == base);
    CHECK(PyList_SetItem(t, 0, Py_NewRef(item)) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(Py_REFCNT(item) == base);
    CHECK(PyList_SetItem(NULL, 0, Py_NewRef(item)) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(Py_REFCNT(item) == base);

    CHECK(PyList_Insert(t, 0, item) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyList_Insert(l, 0, NULL) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyList_Append(t, item) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyList_Append(l, NULL) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyList_Extend(t, l) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyList_Extend(l, NULL) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyList_Clear(t) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyList_GetSlice(t, 0, 1) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyList_SetSlice(t, 0, 1, NULL) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyList_Sort(t) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyList_Sort(NULL) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyList_Reverse(t) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyList_AsTuple(t) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyList_AsTuple(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyList_Size(l) == 1 && PyList_GET_ITEM(l, 0) == Py_None);
    Py_DECREF(item);
    Py_DECREF(t);
    Py_DECREF(l);
    return 0;
}

static int list_insert_append(void) {
    PyObject *l = PyList_New(0);
    PyObject *a = S("a"), *b = S("b"), *c = S("c"), *d = S("d"), *e = S("e");
    CHECK(PyList_Append(l, b) == 0);          /* [b] */
    CHECK(PyList_Insert(l, -100, a) == 0);    /* clamped to the front: [a, b] */
    CHECK(PyList_Insert(l, 100, d) == 0);     /* clamped to the end: [a, b, d] */
    CHECK(PyList_Insert(l, -1, c) == 0);      /* before the last: [a, b, c, d] */
    CHECK(PyList_Insert(l, 4, e) == 0);       /* [a, b, c, d, e] */
    PyObject *want[] = { a, b, c, d, e };
    CHECK(PyList_GET_SIZE(l) == 5);
    for (int i = 0; i < 5; i++) CHECK(PyList_GET_ITEM(l, i) == want[i]);
    CHECK(Py_REFCNT(a) == 2); /* the caller's and the list's */
    for (int i = 0; i < 1000; i++) CHECK(PyList_Append(l, Py_None) == 0);
    CHECK(PyList_GET_SIZE(l) == 1005 && PyList_GET_ITEM(l, 4) == e && PyList_GET_ITEM(l, 1004) == Py_None);
    Py_DECREF(l);
    CHECK(Py_REFCNT(a) == 1);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(c);
    Py_DECREF(d);
    Py_DECREF(e);
    return 0;
}

static int list_extend_clear(void) {
    PyObject *l = str_list("x", 2);
    PyObject *t = PyTuple_Pack(2, Py_None, Py_True);
    CHECK(PyList_Extend(l, t) == 0);
    CHECK(PyList_GET_SIZE(l) == 4 && PyList_GET_ITEM(l, 3) == Py_True);
    CHECK(PyList_Extend(l, l) == 0); /* extending by itself doubles it once */
    CHECK(PyList_GET_SIZE(l) == 8 && PyList_GET_ITEM(l, 7) == Py_True);
    PyObject *d = PyDict_New();
    PyDict_SetItem(d, Py_None, Py_True);
    PyDict_SetItem(d, Py_Ellipsis, Py_True);
    CHECK(PyList_Extend(l, d) == 0); /* a dict gives its keys */
    CHECK(PyList_GET_SIZE(l) == 10 && PyList_GET_ITEM(l, 8) == Py_None && PyList_GET_ITEM(l, 9) == Py_Ellipsis);
    PyObject *it = Counter(3, -1);
    CHECK(PyList_Extend(l, it) == 0);
    CHECK(PyList_GET_SIZE(l) == 13 && is_text(PyList_GET_ITEM(l, 12), "c2"));
    Py_DECREF(it);
    it = Counter(4, -1);
    CHECK(PyList_Extend(l, it) == 0);
    CHECK(PyList_GET_SIZE(l) == 17 && is_text(PyList_GET_ITEM(l, 16), "c3"));
    Py_DECREF(it);
    it = Counter(5, 2);
    CHECK(PyList_Extend(l, it) == -1);
    CHECK_RAISED_MSG(PyExc_RuntimeError, "iteration failed");
    CHECK(PyList_GET_SIZE(l) == 17); /* unchanged */
    Py_DECREF(it);
    PyObject *k = K(1, 1);
    CHECK(PyList_Extend(l, k) == -1);
    CHECK_RAISED_MSG(PyExc_TypeError, "'test.Key' object is not iterable");
    Py_DECREF(k);
    CHECK(PyList_Clear(l) == 0);
    CHECK(PyList_GET_SIZE(l) == 0);
    CHECK_REPR(l, "[]");
    CHECK(PyList_Append(l, Py_None) == 0 && PyList_GET_SIZE(l) == 1);
    Py_DECREF(d);
    Py_DECREF(t);
    Py_DECREF(l);
    return 0;
}

/* Checks that list `l` holds exactly the items named by the string `names`, one
 * character each: N None, T True, F False, E Ellipsis. */
static int list_is(PyObject *l, const char *names) {
    size_t n = strlen(names);
    if (PyList_GET_SIZE(l) != (Py_ssize_t)n) return 0;
    for (size_t i = 0; i < n; i++) {
        PyObject *want = names[i] == 'N' ? Py_None : names[i] == 'T' ? Py_True : names[i] == 'F' ? Py_False : Py_Ellipsis;
        if (PyList_GET_ITEM(l, i) != want) return 0;
    }
    return 1;
}

static PyObject *named_list(const char *names) {
    PyObject *l = PyList_New(0);
    for (const char *p = names; *p; p++)
        PyList_Append(l, *p == 'N' ? Py_None : *p == 'T' ? Py_True : *p == 'F' ? Py_False : Py_Ellipsis);
    return l;
}

static int list_slices(void) {
    PyObject *l = named_list("NTFE");
    PyObject *s = PyList_GetSlice(l, 1, 3);
    CHECK(s && list_is(s, "TF") && s != l);
    Py_DECREF(s);
    s = PyList_GetSlice(l, -3, 2);
    CHECK(s && list_is(s, "NT"));
    Py_DECREF(s);
    s = PyList_GetSlice(l, 3, 99);
    CHECK(s && list_is(s, "E"));
    Py_DECREF(s);
    s = PyList_GetSlice(l, 3, 0);
    CHECK(s && list_is(s, ""));
    Py_DECREF(s);
    s = PyList_GetSlice(l, 0, 4);
    CHECK(s && s != l && list_is(s, "NTFE")); /* always a new list */
    Py_DECREF(s);

    PyObject *two = named_list("EE");
    CHECK(PyList_SetSlice(l, 1, 3, two) == 0); /* same length */
    CHECK(list_is(l, "NEEE"));
    PyObject *one = named_list("T");
    CHECK(PyList_SetSlice(l, 0, 3, one) == 0); /* shorter */
    CHECK(list_is(l, "TE"));
    PyObject *t = PyTuple_Pack(3, Py_None, Py_None, Py_False);
    CHECK(PyList_SetSlice(l, 1, 1, t) == 0); /* insertion, from a tuple */
    CHECK(list_is(l, "TNNFE"));
    CHECK(PyList_SetSlice(l, 1, 3, NULL) == 0); /* deletion */
    CHECK(list_is(l, "TFE"));
    CHECK(PyList_SetSlice(l, -5, 1, NULL) == 0); /* clamped */
    CHECK(list_is(l, "FE"));
    CHECK(PyList_SetSlice(l, 1, 1, l) == 0); /* the list itself, read before it changes */
    CHECK(list_is(l, "FFEE"));
    CHECK(PyList_SetSlice(l, 0, 100, l) == 0);
    CHECK(list_is(l, "FFEE"));
    CHECK(PyList_SetSlice(l, 10, 20, two) == 0); /* past the end: appends */
    CHECK(list_is(l, "FFEEEE"));
    PyObject *k = K(0, 0);
    CHECK(PyList_SetSlice(l, 0, 1, k) == -1);
    CHECK_RAISED_MSG(PyExc_TypeError, "can only assign an iterable");
    CHECK(list_is(l, "FFEEEE"));
    CHECK(PyList_SetSlice(l, 0, PY_SSIZE_T_MAX, NULL) == 0);
    CHECK(list_is(l, ""));
    /* Replaced items are released. */
    PyObject *x = S("x");
    PyList_Append(l, x);
    Py_ssize_t base = Py_REFCNT(x);
    CHECK(PyList_SetSlice(l, 0, 1, one) == 0);
    CHECK(Py_REFCNT(x) == base - 1);
    Py_DECREF(x);
    Py_DECREF(k);
    Py_DECREF(t);
    Py_DECREF(one);
    Py_DECREF(two);
    Py_DECREF(l);
    return 0;
}

/* A list of n keys with few distinct values, tagged with their original position. */
static PyObject *shuffled_keys(int n, int distinct) {
    PyObject *l = PyList_New(n);
    unsigned x = 12345;
    for (int i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        PyList_SET_ITEM(l, i, K((long)((x >> 16) % (unsigned)distinct), i));
    }
    return l;
}

static int list_sort_stable(void) {
    int sizes[] = { 0, 1, 2, 3, 31, 32, 33, 100, 1000, 3000 };
    for (size_t s = 0; s < Py_ARRAY_LENGTH(sizes); s++) {
        int n = sizes[s];
        PyObject *l = shuffled_keys(n, 10);
        CHECK(PyList_Sort(l) == 0);
        CHECK(PyList_GET_SIZE(l) == n);
        for (int i = 1; i < n; i++) {
            PyObject *p = PyList_GET_ITEM(l, i - 1), *q = PyList_GET_ITEM(l, i);
            CHECK(key_of(p) < key_of(q) || (key_of(p) == key_of(q) && tag_of(p) < tag_of(q)));
        }
        /* Sorting a sorted list keeps it as it is. */
        CHECK(PyList_Sort(l) == 0);
        for (int i = 1; i < n; i++) {
            PyObject *p = PyList_GET_ITEM(l, i - 1), *q = PyList_GET_ITEM(l, i);
            CHECK(key_of(p) < key_of(q) || (key_of(p) == key_of(q) && tag_of(p) < tag_of(q)));
        }
        Py_DECREF(l);
    }
    /* Reversed input with equal keys: equal items keep their (reversed) order. */
    PyObject *l = PyList_New(0);
    for (int i = 0; i < 100; i++) {
        PyObject *k = K(i / 10, i);
        PyList_Append(l, k);
        Py_DECREF(k);
    }
    CHECK(PyList_Reverse(l) == 0);
    CHECK(PyList_Sort(l) == 0);
    for (int i = 0; i < 100; i++) {
        PyObject *k = PyList_GET_ITEM(l, i);
        CHECK(key_of(k) == i / 10 && tag_of(k) == (i / 10) * 10 + 9 - i % 10);
    }
    Py_DECREF(l);
    return 0;
}

/* The tags of the items of l, counted: each of 0..n-1 exactly once. */
static int is_permutation_of_tags(PyObject *l, int n) {
    if (PyList_GET_SIZE(l) != n) return 0;
    char *seen = calloc((size_t)n, 1);
    int ok = 1;
    for (int i = 0; i < n; i++) {
        long t = tag_of(PyList_GET_ITEM(l, i));
        if (t < 0 || t >= n || seen[t]) ok = 0;
        else seen[t] = 1;
    }
    free(seen);
    return ok;
}

static int list_sort_errors(void) {
    long points[] = { 0, 1, 10, 100, 400, 1500 };
    for (size_t p = 0; p < Py_ARRAY_LENGTH(points); p++) {
        PyObject *l = shuffled_keys(300, 1000);
        compare_count = 0;
        fail_after = points[p];
        CHECK(PyList_Sort(l) == -1);
        fail_after = -1;
        CHECK_RAISED_MSG(PyExc_ValueError, "comparison failed");
        CHECK(is_permutation_of_tags(l, 300));
        Py_DECREF(l);
    }
    /* Items that cannot be ordered: TypeError, list intact. */
    PyObject *l = PyList_New(0);
    PyObject *k = K(1, 0), *s = PyTuple_New(0);
    PyList_Append(l, k);
    PyList_Append(l, s);
    CHECK(PyList_Sort(l) == -1);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyList_GET_SIZE(l) == 2);
    Py_DECREF(k);
    Py_DECREF(s);
    Py_DECREF(l);
    return 0;
}

static PyObject *list_being_sorted;

static void append_during_compare(void) {
    /* While sorting, the list looks empty; anything added is thrown away. */
    if (PyList_GET_SIZE(list_being_sorted) == 0) PyList_Append(list_being_sorted, Py_None);
}

static int list_sort_mutation(void) {
    PyObject *l = shuffled_keys(50, 50);
    list_being_sorted = l;
    compare_hook = append_during_compare;
    CHECK(PyList_Sort(l) == -1);
    compare_hook = NULL;
    CHECK_RAISED_MSG(PyExc_ValueError, "list modified during sort");
    CHECK(is_permutation_of_tags(l, 50));
    Py_DECREF(l);
    return 0;
}

static int list_reverse_astuple(void) {
    PyObject *l = named_list("NTF");
    CHECK(PyList_Reverse(l) == 0);
    CHECK(list_is(l, "FTN"));
    PyObject *t = PyList_AsTuple(l);
    CHECK(t && PyTuple_CheckExact(t) && PyTuple_GET_SIZE(t) == 3 && PyTuple_GET_ITEM(t, 0) == Py_False);
    Py_DECREF(t);
    PyObject *e = PyList_New(0);
    CHECK(PyList_Reverse(e) == 0);
    t = PyList_AsTuple(e);
    CHECK(t && PyTuple_GET_SIZE(t) == 0);
    Py_DECREF(t);
    Py_DECREF(e);
    Py_DECREF(l);
    return 0;
}

static int list_repr(void) {
    PyObject *l = named_list("NE");
    CHECK_REPR(l, "[None, Ellipsis]");
    PyList_Append(l, l); /* contains itself */
    CHECK_REPR(l, "[None, Ellipsis, [...]]");
    PyObject *outer = PyList_New(0);
    PyList_Append(outer, l);
    CHECK_REPR(outer, "[[None, Ellipsis, [...]]]");
    PyObject *d = PyDict_New();
    PyDict_SetItem(d, Py_None, l);
    PyList_Append(l, d);
    CHECK_REPR(l, "[None, Ellipsis, [...], {None: [...]}]");
    CHECK_REPR(d, "{None: [None, Ellipsis, [...], {...}]}");
    /* The guard is released after each repr: the same list prints fully again. */
    PyObject *plain = named_list("N");
    PyObject *twice = PyList_New(0);
    PyList_Append(twice, plain);
    PyList_Append(twice, plain);
    CHECK_REPR(twice, "[[None], [None]]");
    PyObject *k = K(3, 0);
    PyList_Append(plain, k);
    CHECK_REPR(plain, "[None, K3]");
    Py_DECREF(k);
    Py_DECREF(twice);
    Py_DECREF(plain);
    PyList_Clear(l); /* break the cycles */
    PyDict_Clear(d);
    Py_DECREF(d);
    Py_DECREF(outer);
    Py_DECREF(l);
    return 0;
}

/* A list nested `depth` times around an empty list: [[[...]]]. */
static PyObject *nested_lists(int depth) {
    PyObject *l = PyList_New(0);
    for (int i = 0; i < depth; i++) {
        PyObject *outer = PyList_New(0);
        PyList_Append(outer, l);
        Py_DECREF(l);
        l = outer;
    }
    return l;
}

static int deep_nesting(void) {
    /* Moderately deep nesting works; very deep nesting raises instead of crashing. */
    PyObject *a = nested_lists(500), *b = nested_lists(500);
    PyObject *r = PyObject_Repr(a);
    CHECK(r && strlen(utf8(r)) == 1002);
    Py_DECREF(r);
    CHECK_CMP(a, Py_EQ, b, 1);
    CHECK_CMP(a, Py_LE, b, 1);
    Py_DECREF(a);
    Py_DECREF(b);
    a = nested_lists(100000);
    b = nested_lists(100000);
    CHECK(PyObject_Repr(a) == NULL);
    CHECK_RAISED(PyExc_RecursionError);
    CHECK(PyObject_RichCompareBool(a, b, Py_EQ) == -1);
    CHECK_RAISED(PyExc_RecursionError);
    Py_DECREF(a);
    Py_DECREF(b);
    PyObject *t = PyTuple_New(0);
    for (int i = 0; i < 100000; i++) {
        PyObject *outer = PyTuple_Pack(1, t);
        Py_DECREF(t);
        t = outer;
    }
    CHECK(PyObject_Hash(t) == -1);
    CHECK_RAISED(PyExc_RecursionError);
    Py_DECREF(t);
    /* Releasing very deep nestings of every kind does not exhaust the stack either. */
    PyObject *d = PyDict_New();
    for (int i = 0; i < 100000; i++) {
        PyObject *outer = PyDict_New();
        PyDict_SetItem(outer, Py_None, d);
        Py_DECREF(d);
        d = outer;
    }
    Py_DECREF(d);
    PyObject *mixed = PyList_New(0);
    for (int i = 0; i < 100000; i++) {
        PyObject *outer = i % 2 ? PyTuple_Pack(1, mixed) : PyList_New(0);
        if (i % 2 == 0) PyList_Append(outer, mixed);
        Py_DECREF(mixed);
        mixed = outer;
    }
    Py_DECREF(mixed);
    /* The depth counts are given back: ordinary operations still work afterwards. */
    PyObject *small = nested_lists(3);
    CHECK_REPR(small, "[[[[]]]]");
    Py_DECREF(small);
    return 0;
}

static int list_richcompare(void) {
    PyObject *k1 = K(1, 0), *k2 = K(2, 0), *k1b = K(1, 1);
    PyObject *a = PyList_New(0), *b = PyList_New(0), *c = PyList_New(0);
    PyList_Append(a, k1);
    PyList_Append(a, k2);
    PyList_Append(b, k1b);
    PyList_Append(b, k2);
    PyList_Append(c, k1);
    CHECK_CMP(a, Py_EQ, b, 1);
    CHECK_CMP(a, Py_NE, b, 0);
    CHECK_CMP(c, Py_LT, a, 1);
    CHECK_CMP(a, Py_GE, c, 1);
    CHECK_CMP(a, Py_LE, b, 1);
    CHECK_CMP(a, Py_GT, b, 0);
    PyList_SetItem(b, 1, Py_NewRef(k1));
    CHECK_CMP(a, Py_GT, b, 1);
    CHECK_CMP(b, Py_LT, a, 1);
    /* Lengths differ: == needs no item comparison. */
    long before = compare_count;
    CHECK_CMP(a, Py_EQ, c, 0);
    CHECK(compare_count == before);
    PyObject *t = PyList_AsTuple(a);
    CHECK_CMP(a, Py_EQ, t, 0);
    CHECK(PyObject_RichCompare(a, t, Py_LT) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    Py_DECREF(t);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(c);
    Py_DECREF(k1);
    Py_DECREF(k2);
    Py_DECREF(k1b);
    return 0;
}

static int list_unhashable(void) {
    PyObject *l = PyList_New(0);
    CHECK(PyObject_Hash(l) == -1);
    CHECK_RAISED_MSG(PyExc_TypeError, "unhashable type: 'list'");
    CHECK(PyList_Type.tp_hash == PyObject_HashNotImplemented);
    Py_DECREF(l);
    return 0;
}

static int list_sequence_slots(void) {
    PySequenceMethods *sq = PyList_Type.tp_as_sequence;
    CHECK(sq && sq->sq_length && sq->sq_item && sq->sq_ass_item && sq->sq_concat && sq->sq_contains);
    PyObject *l = named_list("NTF");
    CHECK(sq->sq_length(l) == 3 && PyObject_Size(l) == 3);
    PyObject *it = sq->sq_item(l, 2);
    CHECK(it == Py_False);
    Py_DECREF(it);
    CHECK(sq->sq_item(l, 3) == NULL);
    CHECK_RAISED_MSG(PyExc_IndexError, "list index out of range");
    CHECK(sq->sq_ass_item(l, 0, Py_Ellipsis) == 0);
    CHECK(list_is(l, "ETF"));
    CHECK(sq->sq_ass_item(l, 1, NULL) == 0); /* deletion */
    CHECK(list_is(l, "EF"));
    CHECK(sq->sq_ass_item(l, 2, Py_None) == -1);
    CHECK_RAISED_MSG(PyExc_IndexError, "list assignment index out of range");
    CHECK(sq->sq_ass_item(l, 5, NULL) == -1);
    CHECK_RAISED(PyExc_IndexError);
    PyObject *m = named_list("N");
    PyObject *c = sq->sq_concat(l, m);
    CHECK(c && c != l && list_is(c, "EFN") && list_is(l, "EF"));
    Py_DECREF(c);
    PyObject *t = PyTuple_New(0);
    CHECK(sq->sq_concat(l, t) == NULL);
    CHECK_RAISED_MSG(PyExc_TypeError, "can only concatenate list (not \"tuple\") to list");
    CHECK(sq->sq_contains(l, Py_False) == 1);
    CHECK(sq->sq_contains(l, Py_True) == 0);
    CHECK(PyObject_IsTrue(l) == 1);
    PyList_Clear(l);
    CHECK(PyObject_IsTrue(l) == 0);
    Py_DECREF(t);
    Py_DECREF(m);
    Py_DECREF(l);
    return 0;
}

/* ================================ dict ================================ */

static int dict_basics(void) {
    PyObject *d = PyDict_New();
    CHECK(d && PyDict_Check(d) && PyDict_CheckExact(d) && PyDict_Size(d) == 0);
    PyObject *a = S("a"), *a2 = S("a"), *b = S("b"), *one = S("one"), *two = S("two");
    CHECK(PyDict_SetItem(d, a, one) == 0);
    CHECK(PyDict_SetItem(d, b, two) == 0);
    CHECK(PyDict_Size(d) == 2);
    CHECK(PyDict_GetItem(d, a2) == one); /* an equal key finds it */
    CHECK(PyDict_GetItemWithError(d, b) == two);
    CHECK(PyDict_GetItemWithError(d, one) == NULL);
    CHECK_NO_ERROR();
    CHECK(PyDict_GetItem(d, one) == NULL);
    CHECK(PyDict_Contains(d, a2) == 1 && PyDict_Contains(d, one) == 0);
    /* Replacing keeps the first key object and releases the old value. */
    Py_ssize_t base = Py_REFCNT(one);
    CHECK(PyDict_SetItem(d, a2, two) == 0);
    CHECK(Py_REFCNT(one) == base - 1);
    CHECK(PyDict_Size(d) == 2 && PyDict_GetItem(d, a) == two);
    PyObject *k, *v;
    Py_ssize_t pos = 0;
    CHECK(PyDict_Next(d, &pos, &k, &v) && k == a && v == two);
    CHECK(PyDict_DelItem(d, a) == 0);
    CHECK(PyDict_Size(d) == 1 && PyDict_GetItem(d, a) == NULL);
    CHECK(PyDict_DelItem(d, a) == -1);
    CHECK_RAISED(PyExc_KeyError);
    /* Other kinds of keys. */
    PyObject *ka = K(5, 0), *ka2 = K(5, 1);
    PyObject *t = PyTuple_Pack(2, ka, Py_None);
    PyObject *t2 = PyTuple_Pack(2, ka2, Py_None);
    CHECK(PyDict_SetItem(d, t, Py_True) == 0);
    CHECK(PyDict_GetItem(d, t2) == Py_True);
    CHECK(PyDict_SetItem(d, Py_None, Py_False) == 0);
    CHECK(PyDict_GetItem(d, Py_None) == Py_False);
    CHECK(PyDict_Size(d) == 3);
    Py_DECREF(t);
    Py_DECREF(t2);
    Py_DECREF(ka);
    Py_DECREF(ka2);
    Py_DECREF(d);
    Py_DECREF(a);
    Py_DECREF(a2);
    Py_DECREF(b);
    Py_DECREF(one);
    Py_DECREF(two);
    return 0;
}

static int dict_errors(void) {
    PyObject *d = PyDict_New(), *l = PyList_New(0), *k = S("k"), *r = Py_None;
    CHECK(PyDict_Size(l) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_Size(NULL) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_GetItem(l, k) == NULL);
    CHECK_NO_ERROR();
    CHECK(PyDict_GetItemString(l, "k") == NULL);
    CHECK_NO_ERROR();
    CHECK(PyDict_GetItemWithError(l, k) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_GetItemRef(l, k, &r) == -1 && r == NULL);
    CHECK_RAISED(PyExc_SystemError);
    r = Py_None;
    CHECK(PyDict_GetItemStringRef(l, "k", &r) == -1 && r == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_SetItem(l, k, k) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_SetItem(d, NULL, k) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_SetItem(d, k, NULL) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_SetItemString(l, "k", k) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_DelItem(l, k) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_DelItemString(l, "k") == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_Contains(l, k) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_ContainsString(l, "k") == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_Keys(l) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_Values(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_Items(l) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_Copy(l) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_Update(l, d) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_Merge(d, NULL, 1) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_MergeFromSeq2(l, l, 1) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_SetDefault(l, k, k) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    r = Py_None;
    CHECK(PyDict_SetDefaultRef(l, k, k, &r) == -1 && r == NULL);
    CHECK_RAISED(PyExc_SystemError);
    r = Py_None;
    CHECK(PyDict_Pop(l, k, &r) == -1 && r == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_PopString(NULL, "k", NULL) == -1);
    CHECK_RAISED(PyExc_SystemError);
    Py_ssize_t pos = 0;
    CHECK(PyDict_Next(l, &pos, NULL, NULL) == 0);
    PyDict_Clear(l); /* ignored */
    PyDict_Clear(NULL);
    CHECK_NO_ERROR();

    /* Unhashable keys. */
    CHECK(PyDict_SetItem(d, l, k) == -1);
    CHECK_RAISED_MSG(PyExc_TypeError, "unhashable type: 'list'");
    CHECK(PyDict_GetItemWithError(d, l) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyDict_Contains(d, l) == -1);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyDict_DelItem(d, l) == -1);
    CHECK_RAISED(PyExc_TypeError);
    r = Py_None;
    CHECK(PyDict_GetItemRef(d, l, &r) == -1 && r == NULL);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyDict_SetDefault(d, l, k) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    PyObject *dd = PyDict_New();
    CHECK(PyDict_SetItem(d, dd, k) == -1);
    CHECK_RAISED_MSG(PyExc_TypeError, "unhashable type: 'dict'");
    Py_DECREF(dd);
    /* PyDict_GetItem swallows the error and keeps one already set. */
    CHECK(PyDict_GetItem(d, l) == NULL);
    CHECK_NO_ERROR();
    PyErr_SetString(PyExc_RuntimeError, "earlier");
    CHECK(PyDict_GetItem(d, l) == NULL);
    CHECK(PyDict_GetItemString(d, "missing") == NULL);
    CHECK_RAISED_MSG(PyExc_RuntimeError, "earlier");
    CHECK(PyDict_Size(d) == 0);
    Py_DECREF(k);
    Py_DECREF(l);
    Py_DECREF(d);
    return 0;
}

static int dict_key_error(void) {
    PyObject *d = PyDict_New(), *k = S("missing");
    CHECK(PyDict_DelItem(d, k) == -1);
    CHECK(PyErr_ExceptionMatches(PyExc_KeyError));
    PyObject *e = PyErr_GetRaisedException();
    PyObject *args = PyException_GetArgs(e);
    CHECK(args && PyTuple_GET_SIZE(args) == 1 && PyTuple_GET_ITEM(args, 0) == k);
    Py_DECREF(args);
    Py_DECREF(e);
    /* A tuple key stays a single argument. */
    PyObject *tk = PyTuple_Pack(2, Py_None, Py_True);
    CHECK(PyDict_DelItem(d, tk) == -1);
    e = PyErr_GetRaisedException();
    args = PyException_GetArgs(e);
    CHECK(args && PyTuple_GET_SIZE(args) == 1 && PyTuple_GET_ITEM(args, 0) == tk);
    Py_DECREF(args);
    Py_DECREF(e);
    /* None too. */
    CHECK(PyDict_DelItem(d, Py_None) == -1);
    e = PyErr_GetRaisedException();
    args = PyException_GetArgs(e);
    CHECK(args && PyTuple_GET_SIZE(args) == 1 && PyTuple_GET_ITEM(args, 0) == Py_None);
    CHECK_TEXT(PyObject_Str(e), "None");
    Py_DECREF(args);
    Py_DECREF(e);
    CHECK(PyDict_DelItemString(d, "nope") == -1);
    CHECK_RAISED(PyExc_KeyError);
    PyMappingMethods *mp = PyDict_Type.tp_as_mapping;
    CHECK(mp->mp_subscript(d, tk) == NULL);
    CHECK_RAISED(PyExc_KeyError);
    CHECK(mp->mp_ass_subscript(d, tk, NULL) == -1);
    CHECK_RAISED(PyExc_KeyError);
    Py_DECREF(tk);
    Py_DECREF(k);
    Py_DECREF(d);
    return 0;
}

static int dict_getitemref(void) {
    PyObject *d = PyDict_New(), *k = S("k"), *v = S("v"), *r = Py_None;
    PyDict_SetItem(d, k, v);
    Py_ssize_t base = Py_REFCNT(v);
    CHECK(PyDict_GetItemRef(d, k, &r) == 1 && r == v && Py_REFCNT(v) == base + 1);
    Py_DECREF(r);
    r = Py_None;
    CHECK(PyDict_GetItemRef(d, v, &r) == 0 && r == NULL);
    CHECK_NO_ERROR();
    r = Py_None;
    CHECK(PyDict_GetItemStringRef(d, "k", &r) == 1 && r == v);
    Py_DECREF(r);
    r = Py_None;
    CHECK(PyDict_GetItemStringRef(d, "x", &r) == 0 && r == NULL);
    CHECK(PyDict_GetItemString(d, "k") == v);
    CHECK(PyDict_GetItemString(d, "x") == NULL);
    CHECK_NO_ERROR();
    Py_DECREF(k);
    Py_DECREF(v);
    Py_DECREF(d);
    return 0;
}

static int dict_string_api(void) {
    PyObject *d = PyDict_New(), *v = S("value");
    CHECK(PyDict_SetItemString(d, "name", v) == 0);
    CHECK(PyDict_SetItemString(d, "caf\xc3\xa9", Py_None) == 0);
    CHECK(PyDict_ContainsString(d, "name") == 1);
    CHECK(PyDict_ContainsString(d, "other") == 0);
    CHECK(PyDict_ContainsString(d, "caf\xc3\xa9") == 1);
    PyObject *k = S("name");
    CHECK(PyDict_GetItem(d, k) == v);
    CHECK(PyDict_SetItemString(d, "bad \xff utf-8", v) == -1);
    CHECK(PyErr_Occurred() != NULL);
    PyErr_Clear();
    PyObject *r = NULL;
    CHECK(PyDict_PopString(d, "name", &r) == 1 && r == v);
    Py_DECREF(r);
    CHECK(PyDict_PopString(d, "name", &r) == 0 && r == NULL);
    CHECK(PyDict_DelItemString(d, "caf\xc3\xa9") == 0);
    CHECK(PyDict_Size(d) == 0);
    Py_DECREF(k);
    Py_DECREF(v);
    Py_DECREF(d);
    return 0;
}

/* Checks that the keys of d, in order, are the str items named in `names`
 * (space-separated). */
static int keys_are(PyObject *d, const char *names) {
    PyObject *keys = PyDict_Keys(d);
    char buf[512] = "";
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(keys); i++) {
        if (i) strcat(buf, " ");
        strcat(buf, utf8(PyList_GET_ITEM(keys, i)));
    }
    Py_DECREF(keys);
    if (strcmp(buf, names) != 0) fprintf(stderr, "  keys \"%s\", expected \"%s\"\n", buf, names);
    return strcmp(buf, names) == 0;
}

static int dict_order(void) {
    PyObject *d = PyDict_New();
    const char *names[] = { "a", "b", "c", "d", "e" };
    for (int i = 0; i < 5; i++) CHECK(PyDict_SetItemString(d, names[i], Py_None) == 0);
    CHECK(keys_are(d, "a b c d e"));
    CHECK(PyDict_DelItemString(d, "b") == 0);
    CHECK(PyDict_DelItemString(d, "d") == 0);
    CHECK(keys_are(d, "a c e"));
    CHECK(PyDict_SetItemString(d, "b", Py_True) == 0); /* re-inserted keys go last */
    CHECK(PyDict_SetItemString(d, "a", Py_False) == 0); /* replacing keeps the place */
    CHECK(keys_are(d, "a c e b"));
    PyObject *values = PyDict_Values(d);
    CHECK(values && PyList_GET_SIZE(values) == 4);
    CHECK(PyList_GET_ITEM(values, 0) == Py_False && PyList_GET_ITEM(values, 3) == Py_True);
    Py_DECREF(values);
    PyObject *items = PyDict_Items(d);
    CHECK(items && PyList_GET_SIZE(items) == 4);
    PyObject *last = PyList_GET_ITEM(items, 3);
    CHECK(PyTuple_CheckExact(last) && PyTuple_GET_SIZE(last) == 2);
    CHECK(is_text(PyTuple_GET_ITEM(last, 0), "b") && PyTuple_GET_ITEM(last, 1) == Py_True);
    Py_DECREF(items);
    /* Many deletions and re-insertions keep the order exact. */
    for (int round = 0; round < 50; round++) {
        CHECK(PyDict_DelItemString(d, "a") == 0);
        CHECK(PyDict_SetItemString(d, "a", Py_None) == 0);
    }
    CHECK(keys_are(d, "c e b a"));
    PyObject *empty = PyDict_New();
    PyObject *l = PyDict_Keys(empty);
    CHECK(l && PyList_GET_SIZE(l) == 0);
    Py_DECREF(l);
    Py_DECREF(empty);
    Py_DECREF(d);
    return 0;
}

static int dict_many_keys(void) {
    enum { N = 10000 };
    PyObject *d = PyDict_New();
    char buf[32];
    for (int i = 0; i < N; i++) {
        snprintf(buf, sizeof buf, "key%d", i);
        PyObject *k = S(buf);
        snprintf(buf, sizeof buf, "value%d", i);
        PyObject *v = S(buf);
        CHECK(PyDict_SetItem(d, k, v) == 0);
        Py_DECREF(k);
        Py_DECREF(v);
    }
    CHECK(PyDict_Size(d) == N);
    for (int i = 0; i < N; i++) {
        snprintf(buf, sizeof buf, "key%d", i);
        PyObject *v = PyDict_GetItemString(d, buf);
        char want[32];
        snprintf(want, sizeof want, "value%d", i);
        CHECK(v && is_text(v, want));
    }
    for (int i = 0; i < N; i += 2) {
        snprintf(buf, sizeof buf, "key%d", i);
        CHECK(PyDict_DelItemString(d, buf) == 0);
    }
    CHECK(PyDict_Size(d) == N / 2);
    /* Iteration sees the survivors in insertion order. */
    Py_ssize_t pos = 0, count = 0;
    PyObject *k, *v;
    while (PyDict_Next(d, &pos, &k, &v)) {
        snprintf(buf, sizeof buf, "key%zd", 2 * count + 1);
        CHECK(is_text(k, buf));
        count++;
    }
    CHECK(count == N / 2);
    for (int i = 0; i < N; i++) {
        snprintf(buf, sizeof buf, "key%d", i);
        CHECK(PyDict_ContainsString(d, buf) == (i % 2));
    }
    PyObject *c = PyDict_Copy(d);
    CHECK(c && PyDict_Size(c) == N / 2 && PyObject_RichCompareBool(c, d, Py_EQ) == 1);
    PyDict_Clear(d);
    CHECK(PyDict_Size(d) == 0 && PyDict_Size(c) == N / 2);
    CHECK(PyDict_GetItemString(c, "key9999") != NULL);
    Py_DECREF(c);
    Py_DECREF(d);
    return 0;
}

static int dict_colliding_keys(void) {
    constant_hash = 1;
    PyObject *d = PyDict_New();
    PyObject *keys[200];
    for (int i = 0; i < 200; i++) {
        keys[i] = K(i, i);
        CHECK(PyDict_SetItem(d, keys[i], Py_None) == 0);
    }
    CHECK(PyDict_Size(d) == 200);
    PyObject *probe = K(150, -1);
    CHECK(PyDict_GetItem(d, probe) == Py_None);
    CHECK(PyDict_DelItem(d, probe) == 0);
    CHECK(PyDict_Contains(d, probe) == 0);
    CHECK(PyDict_SetItem(d, probe, Py_True) == 0);
    CHECK(PyDict_GetItem(d, keys[150]) == Py_True);
    /* A failing comparison inside a lookup propagates (and PyDict_GetItem hides it). */
    fail_after = compare_count;
    CHECK(PyDict_Contains(d, keys[10]) == -1);
    CHECK_RAISED_MSG(PyExc_ValueError, "comparison failed");
    CHECK(PyDict_GetItem(d, keys[10]) == NULL);
    CHECK_NO_ERROR();
    fail_after = -1;
    Py_DECREF(probe);
    for (int i = 0; i < 200; i++) Py_DECREF(keys[i]);
    Py_DECREF(d);
    constant_hash = 0;
    return 0;
}

static PyObject *dict_to_clear;

static void clear_during_compare(void) {
    if (dict_to_clear) {
        PyObject *d = dict_to_clear;
        dict_to_clear = NULL;
        PyDict_Clear(d);
    }
}

static int dict_mutated_during_lookup(void) {
    constant_hash = 1;
    PyObject *d = PyDict_New();
    PyObject *a = K(1, 0), *b = K(2, 0), *c = K(3, 0);
    PyDict_SetItem(d, a, Py_None);
    PyDict_SetItem(d, b, Py_None);
    compare_hook = clear_during_compare;
    dict_to_clear = d;
    CHECK(PyDict_GetItemWithError(d, c) == NULL); /* the dict empties under the lookup */
    CHECK_NO_ERROR();
    CHECK(PyDict_Size(d) == 0);
    PyDict_SetItem(d, a, Py_None);
    PyDict_SetItem(d, b, Py_None);
    dict_to_clear = d;
    CHECK(PyDict_SetItem(d, c, Py_True) == 0); /* insertion after a lookup that emptied it */
    CHECK(PyDict_Size(d) == 1 && PyDict_GetItem(d, c) == Py_True);
    compare_hook = NULL;
    constant_hash = 0;
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(c);
    Py_DECREF(d);
    return 0;
}

static PyObject *dict_to_grow;

/* Inserts enough new keys to make the dict replace its table, once. */
static void grow_during_compare(void) {
    PyObject *d = dict_to_grow;
    dict_to_grow = NULL;
    if (d == NULL) return;
    for (int i = 0; i < 100; i++) {
        char name[16];
        snprintf(name, sizeof name, "g%d", i);
        PyDict_SetItemString(d, name, Py_None);
    }
}

static int dict_resized_during_lookup(void) {
    constant_hash = 1; /* every key collides: the lookup compares its way along */
    PyObject *d = PyDict_New(), *keys[5], *values[5];
    for (int i = 0; i < 5; i++) {
        keys[i] = K(i, 0);
        values[i] = PyLong_FromLong(100 + i);
        PyDict_SetItem(d, keys[i], values[i]);
    }
    PyObject *probe = K(4, 1);
    compare_hook = grow_during_compare;
    dict_to_grow = d;
    /* The first comparison moves every entry to a new table; the lookup starts
     * again there and still finds the equal key. */
    PyObject *found = PyDict_GetItemWithError(d, probe);
    compare_hook = NULL;
    CHECK_NO_ERROR();
    CHECK(found == values[4]);
    CHECK(PyDict_Size(d) == 105);
    for (int i = 0; i < 5; i++) CHECK(PyDict_GetItem(d, keys[i]) == values[i]);
    for (int i = 0; i < 5; i++) Py_DECREF(values[i]);
    Py_DECREF(probe);
    for (int i = 0; i < 5; i++) Py_DECREF(keys[i]);
    Py_DECREF(d);
    constant_hash = 0;
    return 0;
}

static PyObject *dict_to_rewrite, *replacement_key;

/* Replaces the entry of key 0 with an equal key holding another value, once. */
static void rewrite_during_compare(void) {
    PyObject *d = dict_to_rewrite;
    dict_to_rewrite = NULL;
    if (d == NULL) return;
    PyDict_DelItem(d, replacement_key);
    PyDict_SetItem(d, replacement_key, Py_True);
}

static int dict_entry_replaced_during_lookup(void) {
    constant_hash = 1;
    PyObject *d = PyDict_New();
    PyObject *a = K(0, 0), *b = K(1, 0), *probe = K(1, 1);
    PyDict_SetItem(d, a, Py_None);
    PyDict_SetItem(d, b, Py_False);
    replacement_key = K(0, 2);
    /* Comparing the probe with key 0 removes and re-adds key 0: that entry changed,
     * so the lookup restarts, and finds key 1 with its own value. */
    compare_hook = rewrite_during_compare;
    dict_to_rewrite = d;
    CHECK(PyDict_SetItem(d, probe, Py_Ellipsis) == 0);
    compare_hook = NULL;
    CHECK(PyDict_Size(d) == 2);
    CHECK(PyDict_GetItem(d, b) == Py_Ellipsis);
    CHECK(PyDict_GetItem(d, a) == Py_True);
    /* The stored key stays the first one: an insertion keeps the existing key. */
    Py_ssize_t pos = 0;
    PyObject *k, *v;
    int saw_b = 0;
    while (PyDict_Next(d, &pos, &k, &v)) {
        if (v == Py_Ellipsis) saw_b = (k == b);
    }
    CHECK(saw_b);
    Py_DECREF(replacement_key);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(probe);
    Py_DECREF(d);
    constant_hash = 0;
    return 0;
}

static PyObject *dict_to_clear_then_fail;

static void clear_then_fail_during_compare(void) {
    PyDict_Clear(dict_to_clear_then_fail);
    PyErr_SetString(PyExc_ValueError, "comparison failed");
}

static int dict_failed_compare_that_mutated(void) {
    /* A comparison that fails after changing the dict fails the lookup: the error
     * is not lost to a restart. */
    constant_hash = 1;
    PyObject *d = PyDict_New(), *a = K(1, 0), *b = K(2, 0);
    PyDict_SetItem(d, a, Py_None);
    dict_to_clear_then_fail = d;
    compare_hook = clear_then_fail_during_compare;
    CHECK(PyDict_Contains(d, b) == -1);
    compare_hook = NULL;
    CHECK_RAISED_MSG(PyExc_ValueError, "comparison failed");
    CHECK(PyDict_Size(d) == 0);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(d);
    constant_hash = 0;
    return 0;
}

static int dict_next_replacing_values(void) {
    PyObject *d = PyDict_New();
    for (int i = 0; i < 20; i++) {
        char buf[16];
        snprintf(buf, sizeof buf, "k%d", i);
        PyDict_SetItemString(d, buf, Py_None);
    }
    Py_ssize_t pos = 0;
    PyObject *k, *v;
    int seen = 0;
    while (PyDict_Next(d, &pos, &k, &v)) {
        CHECK(v == Py_None);
        CHECK(PyDict_SetItem(d, k, Py_True) == 0);
        seen++;
    }
    CHECK(seen == 20);
    pos = 0;
    while (PyDict_Next(d, &pos, NULL, &v)) CHECK(v == Py_True);
    pos = -1;
    CHECK(PyDict_Next(d, &pos, &k, &v) == 0);
    Py_DECREF(d);
    return 0;
}

static int dict_copy_update_merge(void) {
    PyObject *a = PyDict_New(), *b = PyDict_New();
    PyDict_SetItemString(a, "x", Py_None);
    PyDict_SetItemString(a, "y", Py_None);
    PyDict_SetItemString(b, "y", Py_True);
    PyDict_SetItemString(b, "z", Py_True);
    PyObject *c = PyDict_Copy(a);
    CHECK(c && c != a && keys_are(c, "x y"));
    PyDict_SetItemString(c, "w", Py_None);
    CHECK(PyDict_Size(a) == 2); /* independent */
    Py_DECREF(c);

    c = PyDict_Copy(a);
    CHECK(PyDict_Merge(c, b, 0) == 0); /* existing keys stay */
    CHECK(keys_are(c, "x y z") && PyDict_GetItemString(c, "y") == Py_None);
    Py_DECREF(c);
    c = PyDict_Copy(a);
    CHECK(PyDict_Update(c, b) == 0);
    CHECK(keys_are(c, "x y z") && PyDict_GetItemString(c, "y") == Py_True);
    CHECK(PyDict_Merge(c, c, 1) == 0); /* with itself: nothing changes */
    CHECK(keys_are(c, "x y z"));
    Py_DECREF(c);
    PyObject *e = PyDict_New();
    CHECK(PyDict_Update(e, b) == 0 && keys_are(e, "y z"));
    Py_DECREF(e);

    /* Any mapping with keys() and subscripting. */
    PyObject *m = MapLike(b);
    c = PyDict_Copy(a);
    CHECK(PyDict_Merge(c, m, 1) == 0);
    CHECK(keys_are(c, "x y z") && PyDict_GetItemString(c, "y") == Py_True);
    Py_DECREF(c);
    c = PyDict_Copy(a);
    CHECK(PyDict_Merge(c, m, 0) == 0);
    CHECK(keys_are(c, "x y z") && PyDict_GetItemString(c, "y") == Py_None);
    Py_DECREF(c);
    Py_DECREF(m);
    /* Not a mapping at all. */
    PyObject *k = K(0, 0);
    CHECK(PyDict_Update(a, k) == -1);
    CHECK_RAISED(PyExc_AttributeError);
    Py_DECREF(k);
    CHECK(keys_are(a, "x y"));
    Py_DECREF(a);
    Py_DECREF(b);
    return 0;
}

static int dict_merge_from_seq2(void) {
    PyObject *d = PyDict_New();
    PyDict_SetItemString(d, "a", Py_None);
    PyObject *ka = S("a"), *kb = S("b");
    PyObject *p1 = PyTuple_Pack(2, ka, Py_True);
    PyObject *p2 = PyList_New(0);
    PyList_Append(p2, kb);
    PyList_Append(p2, Py_False);
    PyObject *seq = PyList_New(0);
    PyList_Append(seq, p1);
    PyList_Append(seq, p2);
    CHECK(PyDict_MergeFromSeq2(d, seq, 0) == 0);
    CHECK(keys_are(d, "a b") && PyDict_GetItemString(d, "a") == Py_None);
    CHECK(PyDict_GetItemString(d, "b") == Py_False);
    CHECK(PyDict_MergeFromSeq2(d, seq, 1) == 0);
    CHECK(PyDict_GetItemString(d, "a") == Py_True);
    /* Pairs may be any iterable of two: a two-item counter gives "c0" -> "c1". */
    PyObject *counter = Counter(2, -1);
    PyObject *seq2 = PyTuple_Pack(1, counter);
    CHECK(PyDict_MergeFromSeq2(d, seq2, 1) == 0);
    CHECK(is_text(PyDict_GetItemString(d, "c0"), "c1"));
    Py_DECREF(seq2);
    Py_DECREF(counter);
    PyObject *triple = PyTuple_Pack(3, ka, kb, ka);
    PyObject *bad_len = PyTuple_Pack(2, p1, triple);
    CHECK(PyDict_MergeFromSeq2(d, bad_len, 1) == -1);
    CHECK_RAISED_MSG(PyExc_ValueError, "dictionary update sequence element #1 has length 3; 2 is required");
    PyObject *k = K(0, 0);
    PyObject *bad_item = PyTuple_Pack(1, k);
    CHECK(PyDict_MergeFromSeq2(d, bad_item, 1) == -1);
    CHECK_RAISED_MSG(PyExc_TypeError, "cannot convert dictionary update sequence element #0 to a sequence");
    CHECK(PyDict_MergeFromSeq2(d, k, 1) == -1);
    CHECK_RAISED(PyExc_TypeError);
    PyObject *l = PyList_New(0);
    PyObject *unhashable = PyTuple_Pack(2, l, Py_None);
    PyObject *bad_key = PyTuple_Pack(1, unhashable);
    CHECK(PyDict_MergeFromSeq2(d, bad_key, 1) == -1);
    CHECK_RAISED(PyExc_TypeError);
    Py_DECREF(bad_key);
    Py_DECREF(unhashable);
    Py_DECREF(l);
    Py_DECREF(bad_item);
    Py_DECREF(k);
    Py_DECREF(bad_len);
    Py_DECREF(triple);
    Py_DECREF(seq);
    Py_DECREF(p1);
    Py_DECREF(p2);
    Py_DECREF(ka);
    Py_DECREF(kb);
    Py_DECREF(d);
    return 0;
}

static int dict_setdefault(void) {
    PyObject *d = PyDict_New(), *k = S("k"), *v = S("v"), *w = S("w"), *r = NULL;
    CHECK(PyDict_SetDefault(d, k, v) == v);
    CHECK(PyDict_SetDefault(d, k, w) == v);
    CHECK(PyDict_Size(d) == 1);
    PyObject *k2 = S("k2");
    CHECK(PyDict_SetDefaultRef(d, k2, w, &r) == 0 && r == w);
    Py_DECREF(r);
    CHECK(PyDict_SetDefaultRef(d, k2, v, &r) == 1 && r == w);
    Py_DECREF(r);
    CHECK(PyDict_SetDefaultRef(d, k, w, NULL) == 1);
    CHECK(PyDict_GetItem(d, k2) == w && PyDict_Size(d) == 2);
    Py_DECREF(k);
    Py_DECREF(k2);
    Py_DECREF(v);
    Py_DECREF(w);
    Py_DECREF(d);
    return 0;
}

static int dict_pop(void) {
    PyObject *d = PyDict_New(), *k = S("k"), *v = S("v"), *l = PyList_New(0), *r = Py_None;
    /* An empty dict answers "absent" without hashing the key. */
    CHECK(PyDict_Pop(d, l, &r) == 0 && r == NULL);
    CHECK_NO_ERROR();
    PyDict_SetItem(d, k, v);
    Py_ssize_t base = Py_REFCNT(v);
    CHECK(PyDict_Pop(d, k, &r) == 1 && r == v && Py_REFCNT(v) == base);
    Py_DECREF(r);
    CHECK(PyDict_Size(d) == 0);
    CHECK(PyDict_Pop(d, k, &r) == 0 && r == NULL);
    PyDict_SetItem(d, k, v);
    CHECK(PyDict_Pop(d, k, NULL) == 1 && Py_REFCNT(v) == base - 1);
    PyDict_SetItem(d, k, v);
    r = Py_None;
    CHECK(PyDict_Pop(d, l, &r) == -1 && r == NULL);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyDict_Pop(d, v, NULL) == 0);
    CHECK_NO_ERROR();
    Py_DECREF(l);
    Py_DECREF(k);
    Py_DECREF(v);
    Py_DECREF(d);
    return 0;
}

static int dict_repr(void) {
    PyObject *d = PyDict_New();
    CHECK_REPR(d, "{}");
    PyDict_SetItem(d, Py_None, Py_Ellipsis);
    CHECK_REPR(d, "{None: Ellipsis}");
    PyObject *t = PyTuple_Pack(1, Py_None);
    PyDict_SetItem(d, t, d); /* contains itself */
    CHECK_REPR(d, "{None: Ellipsis, (None,): {...}}");
    PyObject *a = S("a");
    PyObject *ra = PyObject_Repr(a);
    PyObject *e = PyDict_New();
    PyDict_SetItem(e, a, a);
    char expected[256];
    snprintf(expected, sizeof expected, "{%s: %s}", utf8(ra), utf8(ra));
    CHECK_REPR(e, expected);
    PyDict_Clear(d);
    Py_DECREF(e);
    Py_DECREF(ra);
    Py_DECREF(a);
    Py_DECREF(t);
    Py_DECREF(d);
    return 0;
}

static int dict_richcompare(void) {
    PyObject *a = PyDict_New(), *b = PyDict_New();
    PyObject *k1 = K(1, 0), *k1b = K(1, 1);
    PyDict_SetItemString(a, "x", Py_None);
    PyDict_SetItemString(a, "y", k1);
    PyDict_SetItemString(b, "y", k1b); /* other order, equal values */
    PyDict_SetItemString(b, "x", Py_None);
    CHECK_CMP(a, Py_EQ, b, 1);
    CHECK_CMP(a, Py_NE, b, 0);
    PyDict_SetItemString(b, "x", Py_True);
    CHECK_CMP(a, Py_EQ, b, 0);
    CHECK_CMP(a, Py_NE, b, 1);
    PyDict_SetItemString(b, "x", Py_None);
    PyDict_SetItemString(b, "z", Py_None);
    CHECK_CMP(a, Py_EQ, b, 0);
    CHECK(PyObject_RichCompare(a, b, Py_LT) == NULL);
    CHECK_RAISED_MSG(PyExc_TypeError, "'<' not supported between instances of 'dict' and 'dict'");
    PyObject *l = PyList_New(0);
    CHECK_CMP(a, Py_EQ, l, 0);
    Py_DECREF(l);
    PyDict_DelItemString(b, "z");
    fail_after = compare_count;
    CHECK(PyObject_RichCompareBool(a, b, Py_EQ) == -1);
    CHECK_RAISED(PyExc_ValueError);
    fail_after = -1;
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(k1);
    Py_DECREF(k1b);
    return 0;
}

static int dict_slots(void) {
    PyObject *d = PyDict_New(), *k = S("k"), *v = S("v");
    CHECK(PyObject_Hash(d) == -1);
    CHECK_RAISED_MSG(PyExc_TypeError, "unhashable type: 'dict'");
    CHECK(PyDict_Type.tp_hash == PyObject_HashNotImplemented);
    PyMappingMethods *mp = PyDict_Type.tp_as_mapping;
    CHECK(mp && mp->mp_length && mp->mp_subscript && mp->mp_ass_subscript);
    CHECK(mp->mp_ass_subscript(d, k, v) == 0);
    CHECK(mp->mp_length(d) == 1 && PyObject_Size(d) == 1);
    PyObject *got = mp->mp_subscript(d, k);
    CHECK(got == v);
    Py_DECREF(got);
    CHECK(PyDict_Type.tp_as_sequence->sq_contains(d, k) == 1);
    CHECK(PyDict_Type.tp_as_sequence->sq_contains(d, v) == 0);
    CHECK(PyObject_IsTrue(d) == 1);
    CHECK(mp->mp_ass_subscript(d, k, NULL) == 0);
    CHECK(PyObject_IsTrue(d) == 0);
    PyObject *l = PyList_New(0);
    CHECK(mp->mp_subscript(d, l) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    Py_DECREF(l);
    Py_DECREF(k);
    Py_DECREF(v);
    Py_DECREF(d);
    return 0;
}

static int repr_enter_and_leave(void) {
    PyObject *list = PyList_New(0);
    CHECK(Py_ReprEnter(list) == 0);
    CHECK(Py_ReprEnter(list) == 1);
    Py_ReprLeave(list);
    CHECK(Py_ReprEnter(list) == 0);
    Py_ReprLeave(list);
    CHECK(Py_ReprEnter(NULL) == -1);
    CHECK_RAISED(PyExc_SystemError);
    Py_DECREF(list);
    return 0;
}

static const TestCase cases[] = {
    CASE(repr_enter_and_leave),
    CASE(tuple_new_set_get),
    CASE(tuple_errors),
    CASE(tuple_getslice),
    CASE(tuple_resize),
    CASE(tuple_repr),
    CASE(tuple_hash),
    CASE(tuple_richcompare),
    CASE(tuple_sequence_slots),
    CASE(list_new_set_get),
    CASE(list_errors),
    CASE(list_insert_append),
    CASE(list_extend_clear),
    CASE(list_slices),
    CASE(list_sort_stable),
    CASE(list_sort_errors),
    CASE(list_sort_mutation),
    CASE(list_reverse_astuple),
    CASE(list_repr),
    CASE(deep_nesting),
    CASE(list_richcompare),
    CASE(list_unhashable),
    CASE(list_sequence_slots),
    CASE(dict_basics),
    CASE(dict_errors),
    CASE(dict_key_error),
    CASE(dict_getitemref),
    CASE(dict_string_api),
    CASE(dict_order),
    CASE(dict_many_keys),
    CASE(dict_colliding_keys),
    CASE(dict_mutated_during_lookup),
    CASE(dict_resized_during_lookup),
    CASE(dict_entry_replaced_during_lookup),
    CASE(dict_failed_compare_that_mutated),
    CASE(dict_next_replacing_values),
    KEEPS_OBJECTS(dict_copy_update_merge), /* makes type dicts on first use */
    CASE(dict_merge_from_seq2),
    CASE(dict_setdefault),
    CASE(dict_pop),
    CASE(dict_repr),
    CASE(dict_richcompare),
    CASE(dict_slots),
};

TEST_MAIN(cases)
