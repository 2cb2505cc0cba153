/* Iteration: PyObject_GetIter, PyIter_Next, PyIter_Check, PyIter_Send,
 * PyObject_SelfIter, PySeqIter_New, PyObject_LengthHint, the iterators of list,
 * tuple, str, bytes and dict. Also runs against CPython 3.13 (make reference). */
#include "checks.h"

static PyObject *ints(int n) {
    PyObject *l = PyList_New(n);
    for (int i = 0; i < n; i++) PyList_SET_ITEM(l, i, PyLong_FromLong(i * 10));
    return l;
}

static int list_and_tuple_iterators(void) {
    PyObject *l = ints(3);
    PyObject *it = PyObject_GetIter(l);
    CHECK(it != NULL);
    CHECK(strcmp(Py_TYPE(it)->tp_name, "list_iterator") == 0);
    CHECK(PyIter_Check(it) && !PyIter_Check(l));
    CHECK(PyObject_SelfIter(it) == it);
    Py_DECREF(it); /* the reference PyObject_SelfIter returned */
    CHECK(PyObject_LengthHint(it, -5) == 3);
    CHECK_INT(PyIter_Next(it), 0);
    CHECK(PyObject_LengthHint(it, -5) == 2);
    /* Items appended while iterating are seen. */
    PyObject *x = PyLong_FromLong(30);
    PyList_Append(l, x);
    Py_DECREF(x);
    CHECK_INT(PyIter_Next(it), 10);
    CHECK_INT(PyIter_Next(it), 20);
    CHECK_INT(PyIter_Next(it), 30);
    CHECK(PyIter_Next(it) == NULL);
    CHECK_NO_ERROR();
    /* Exhausted for good, even when the list grows again. */
    x = PyLong_FromLong(40);
    PyList_Append(l, x);
    Py_DECREF(x);
    CHECK(PyIter_Next(it) == NULL);
    CHECK_NO_ERROR();
    CHECK(PyObject_LengthHint(it, -5) == 0);
    Py_DECREF(it);

    PyObject *t = PyList_AsTuple(l);
    it = PyObject_GetIter(t);
    CHECK(strcmp(Py_TYPE(it)->tp_name, "tuple_iterator") == 0);
    long sum = 0;
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        sum += PyLong_AsLong(item);
        Py_DECREF(item);
    }
    CHECK_NO_ERROR();
    CHECK(sum == 100);
    Py_DECREF(it);
    Py_DECREF(t);
    Py_DECREF(l);
    return 0;
}

static int str_and_bytes_iterators(void) {
    PyObject *s = PyUnicode_FromString("a\xc3\xa9z");
    PyObject *it = PyObject_GetIter(s);
    CHECK(strcmp(Py_TYPE(it)->tp_name, "str_iterator") == 0);
    CHECK(PyObject_LengthHint(it, 0) == 3);
    CHECK_TEXT(PyIter_Next(it), "a");
    CHECK_TEXT(PyIter_Next(it), "\xc3\xa9");
    CHECK_TEXT(PyIter_Next(it), "z");
    CHECK(PyIter_Next(it) == NULL);
    CHECK_NO_ERROR();
    Py_DECREF(it);
    Py_DECREF(s);

    s = PyUnicode_FromString("ab");
    it = PyObject_GetIter(s);
    CHECK(strcmp(Py_TYPE(it)->tp_name, "str_ascii_iterator") == 0);
    Py_DECREF(it);
    Py_DECREF(s);

    PyObject *b = PyBytes_FromStringAndSize("\x00\xff", 2);
    it = PyObject_GetIter(b);
    CHECK(strcmp(Py_TYPE(it)->tp_name, "bytes_iterator") == 0);
    CHECK_INT(PyIter_Next(it), 0);
    CHECK_INT(PyIter_Next(it), 255);
    CHECK(PyIter_Next(it) == NULL);
    CHECK_NO_ERROR();
    Py_DECREF(it);
    Py_DECREF(b);
    return 0;
}

static PyObject *small_dict(void) {
    PyObject *d = PyDict_New();
    for (int i = 0; i < 3; i++) {
        PyObject *k = PyLong_FromLong(i), *v = PyLong_FromLong(i * 100);
        PyDict_SetItem(d, k, v);
        Py_DECREF(k);
        Py_DECREF(v);
    }
    return d;
}

static int dict_iterates_its_keys_in_order(void) {
    PyObject *d = small_dict();
    PyObject *it = PyObject_GetIter(d);
    CHECK(strcmp(Py_TYPE(it)->tp_name, "dict_keyiterator") == 0);
    CHECK(PyObject_LengthHint(it, 0) == 3);
    CHECK_INT(PyIter_Next(it), 0);
    CHECK_INT(PyIter_Next(it), 1);
    CHECK(PyObject_LengthHint(it, 0) == 1);
    CHECK_INT(PyIter_Next(it), 2);
    CHECK(PyIter_Next(it) == NULL);
    CHECK_NO_ERROR();
    Py_DECREF(it);
    /* Changing a value is no change of size. */
    it = PyObject_GetIter(d);
    CHECK_INT(PyIter_Next(it), 0);
    PyObject *k = PyLong_FromLong(1), *v = PyLong_FromLong(7);
    CHECK(PyDict_SetItem(d, k, v) == 0);
    Py_DECREF(k);
    Py_DECREF(v);
    CHECK_INT(PyIter_Next(it), 1);
    Py_DECREF(it);
    Py_DECREF(d);
    return 0;
}

static int dict_changed_size_during_iteration(void) {
    PyObject *d = small_dict();
    PyObject *it = PyObject_GetIter(d);
    CHECK_INT(PyIter_Next(it), 0);
    PyObject *k = PyLong_FromLong(99);
    CHECK(PyDict_SetItem(d, k, k) == 0);
    CHECK(PyIter_Next(it) == NULL);
    CHECK_ERROR_TEXT(PyExc_RuntimeError, "dictionary changed size during iteration");
    /* The failure sticks, even once the size is back. */
    CHECK(PyDict_DelItem(d, k) == 0);
    CHECK(PyIter_Next(it) == NULL);
    CHECK_ERROR_TEXT(PyExc_RuntimeError, "dictionary changed size during iteration");
    Py_DECREF(k);
    Py_DECREF(it);

    /* Same size, different keys. */
    it = PyObject_GetIter(d);
    CHECK_INT(PyIter_Next(it), 0);
    k = PyLong_FromLong(0);
    CHECK(PyDict_DelItem(d, k) == 0);
    Py_DECREF(k);
    k = PyLong_FromLong(5);
    CHECK(PyDict_SetItem(d, k, k) == 0);
    Py_DECREF(k);
    CHECK_INT(PyIter_Next(it), 1);
    CHECK_INT(PyIter_Next(it), 2);
    CHECK(PyIter_Next(it) == NULL);
    CHECK_ERROR_TEXT(PyExc_RuntimeError, "dictionary keys changed during iteration");
    CHECK(PyIter_Next(it) == NULL);
    CHECK_NO_ERROR();
    Py_DECREF(it);
    Py_DECREF(d);
    return 0;
}

/* ---------- a type with only sq_item: iterated by index until IndexError ---------- */

typedef struct {
    PyObject_HEAD
    long n;
} CountdownObject;

static PyObject *countdown_item(PyObject *o, Py_ssize_t i) {
    if (i >= ((CountdownObject *)o)->n) {
        PyErr_SetString(PyExc_IndexError, "done");
        return NULL;
    }
    return PyLong_FromSsize_t(((CountdownObject *)o)->n - i);
}

static void countdown_dealloc(PyObject *o) { PyObject_Free(o); }

static PySequenceMethods countdown_as_sequence = {.sq_item = countdown_item};

static PyTypeObject CountdownType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "test.Countdown",
    .tp_basicsize = sizeof(CountdownObject),
    .tp_dealloc = countdown_dealloc,
    .tp_as_sequence = &countdown_as_sequence,
};

static PyObject *countdown(long n) {
    CountdownObject *c = PyObject_Malloc(sizeof *c);
    c->ob_base.ob_refcnt = 1;
    c->ob_base.ob_type = &CountdownType;
    c->n = n;
    return (PyObject *)c;
}

static int sequences_iterate_by_index(void) {
    CHECK(ready(&CountdownType) == 0);
    PyObject *c = countdown(2);
    PyObject *it = PyObject_GetIter(c);
    CHECK(it != NULL);
    CHECK(strcmp(Py_TYPE(it)->tp_name, "iterator") == 0);
    CHECK_INT(PyIter_Next(it), 2);
    CHECK_INT(PyIter_Next(it), 1);
    CHECK(PyIter_Next(it) == NULL);
    CHECK_NO_ERROR();
    CHECK(PyIter_Next(it) == NULL);
    CHECK_NO_ERROR();
    Py_DECREF(it);
    it = PySeqIter_New(c);
    CHECK(Py_TYPE(it) == &PySeqIter_Type);
    CHECK_INT(PyIter_Next(it), 2);
    Py_DECREF(it);
    Py_DECREF(c);
    return 0;
}

/* ---------- a type whose tp_iter returns something that is no iterator ---------- */

static PyObject *bad_iter(PyObject *o) { return PyList_New(0); }

static PyTypeObject BadIterableType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "test.BadIterable",
    .tp_basicsize = sizeof(PyObject),
    .tp_dealloc = countdown_dealloc,
    .tp_iter = bad_iter,
};

static int iter_must_return_an_iterator(void) {
    CHECK(ready(&BadIterableType) == 0);
    PyObject *o = PyObject_Malloc(sizeof(PyObject));
    o->ob_refcnt = 1;
    o->ob_type = &BadIterableType;
    CHECK(PyObject_GetIter(o) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "iter() returned non-iterator of type 'list'");
    /* Collecting its items fails the same way. */
    CHECK(PySequence_List(o) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "iter() returned non-iterator of type 'list'");
    Py_DECREF(o);
    return 0;
}

/* ---------- a callable counting up, for PyCallIter_New ---------- */

typedef struct {
    PyObject_HEAD
    long next;
    long stop_at; /* raises StopIteration there */
} TickerObject;

static PyObject *ticker_call(PyObject *o, PyObject *args, PyObject *kwargs) {
    TickerObject *t = (TickerObject *)o;
    if (t->next == t->stop_at) {
        PyErr_SetNone(PyExc_StopIteration);
        return NULL;
    }
    return PyLong_FromLong(t->next++);
}

static PyTypeObject TickerType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "test.Ticker",
    .tp_basicsize = sizeof(TickerObject),
    .tp_dealloc = countdown_dealloc,
    .tp_call = ticker_call,
};

static PyObject *ticker(long stop_at) {
    TickerObject *t = PyObject_Malloc(sizeof *t);
    t->ob_base.ob_refcnt = 1;
    t->ob_base.ob_type = &TickerType;
    t->next = 0;
    t->stop_at = stop_at;
    return (PyObject *)t;
}

static int calling_until_a_sentinel(void) {
    CHECK(ready(&TickerType) == 0);
    PyObject *t = ticker(-1), *three = PyLong_FromLong(3);
    PyObject *it = PyCallIter_New(t, three);
    CHECK(it != NULL && Py_TYPE(it) == &PyCallIter_Type && PyIter_Check(it));
    CHECK(strcmp(Py_TYPE(it)->tp_name, "callable_iterator") == 0);
    CHECK_INT(PyIter_Next(it), 0);
    CHECK_INT(PyIter_Next(it), 1);
    CHECK_INT(PyIter_Next(it), 2);
    CHECK(PyIter_Next(it) == NULL);
    CHECK_NO_ERROR();
    CHECK(PyIter_Next(it) == NULL); /* exhausted: the callable is not called again */
    CHECK(((TickerObject *)t)->next == 4);
    Py_DECREF(it);
    Py_DECREF(t);
    /* StopIteration from the callable ends it too. */
    t = ticker(1);
    it = PyCallIter_New(t, three);
    CHECK_INT(PyIter_Next(it), 0);
    CHECK(PyIter_Next(it) == NULL);
    CHECK_NO_ERROR();
    Py_DECREF(it);
    Py_DECREF(t);
    Py_DECREF(three);
    return 0;
}

/* ---------- async iterables ---------- */

static PyObject *self_aiter(PyObject *o) { return Py_NewRef(o); }
static PyObject *list_aiter(PyObject *o) { return PyList_New(0); }
static PyObject *no_anext(PyObject *o) { Py_RETURN_NONE; }

static PyAsyncMethods good_async = {.am_aiter = self_aiter, .am_anext = no_anext};
static PyAsyncMethods bad_async = {.am_aiter = list_aiter};

static PyTypeObject GoodAsyncType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "test.GoodAsync",
    .tp_basicsize = sizeof(PyObject),
    .tp_dealloc = countdown_dealloc,
    .tp_as_async = &good_async,
};

static PyTypeObject BadAsyncType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "test.BadAsync",
    .tp_basicsize = sizeof(PyObject),
    .tp_dealloc = countdown_dealloc,
    .tp_as_async = &bad_async,
};

static PyObject *plain_object(PyTypeObject *type) {
    PyObject *o = PyObject_Malloc(sizeof(PyObject));
    o->ob_refcnt = 1;
    o->ob_type = type;
    return o;
}

static int async_iterators(void) {
    CHECK(ready(&GoodAsyncType) == 0 && ready(&BadAsyncType) == 0);
    PyObject *good = plain_object(&GoodAsyncType), *bad = plain_object(&BadAsyncType);
    CHECK(PyAIter_Check(good) && !PyAIter_Check(bad));
    PyObject *it = PyObject_GetAIter(good);
    CHECK(it == good);
    Py_DECREF(it);
    CHECK(PyObject_GetAIter(bad) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "aiter() returned not an async iterator of type 'list'");
    PyObject *l = PyList_New(0);
    CHECK(!PyAIter_Check(l));
    CHECK(PyObject_GetAIter(l) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'list' object is not an async iterable");
    Py_DECREF(l);
    Py_DECREF(bad);
    Py_DECREF(good);
    return 0;
}

static int not_iterable(void) {
    PyObject *i = PyLong_FromLong(5);
    CHECK(PyObject_GetIter(i) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'int' object is not iterable");
    CHECK(!PyIter_Check(i));
    /* No len, no hint: the default. */
    CHECK(PyObject_LengthHint(i, 7) == 7);
    CHECK_NO_ERROR();
    Py_DECREF(i);
    PyObject *d = PyDict_New();
    CHECK(PyObject_LengthHint(d, 7) == 0);
    Py_DECREF(d);
    if (ISLE_ONLY) {
        CHECK(PyObject_GetIter(NULL) == NULL);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(PyIter_Next(NULL) == NULL);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(PyObject_LengthHint(NULL, 0) == -1);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(!PyIter_Check(NULL));
        /* A list is no iterator: next() on it is refused, not called. */
        PyObject *l = PyList_New(0);
        CHECK(PyIter_Next(l) == NULL);
        CHECK_ERROR_TEXT(PyExc_TypeError, "'list' object is not an iterator");
        Py_DECREF(l);
    }
    return 0;
}

static int send_into_an_iterator(void) {
    PyObject *l = ints(1);
    PyObject *it = PyObject_GetIter(l);
    PyObject *r = NULL;
    CHECK(PyIter_Send(it, Py_None, &r) == PYGEN_NEXT);
    CHECK_INT(r, 0);
    r = NULL;
    CHECK(PyIter_Send(it, Py_None, &r) == PYGEN_RETURN);
    CHECK(r == Py_None);
    CHECK_NO_ERROR();
    Py_DECREF(r);
    /* A list iterator has no send(). */
    PyObject *one = PyLong_FromLong(1);
    CHECK(PyIter_Send(it, one, &r) == PYGEN_ERROR);
    CHECK(r == NULL);
    CHECK_RAISED(PyExc_AttributeError);
    Py_DECREF(one);
    Py_DECREF(it);
    Py_DECREF(l);
    return 0;
}

static const TestCase cases[] = {
    CASE(list_and_tuple_iterators),
    CASE(str_and_bytes_iterators),
    CASE(dict_iterates_its_keys_in_order),
    CASE(dict_changed_size_during_iteration),
    CASE(sequences_iterate_by_index),
    CASE(iter_must_return_an_iterator),
    CASE(calling_until_a_sentinel),
    CASE(async_iterators),
    CASE(not_iterable),
    KEEPS_OBJECTS(send_into_an_iterator), /* makes type dicts on first use */
};

TEST_MAIN(cases)
