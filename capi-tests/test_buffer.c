/* The buffer protocol: bytes as a read-only exporter, a heap type from a spec that
 * exports a 2x3 grid of shorts (strided when asked for strides), the Py_buffer
 * helpers, and the Py_buffer units of PyArg_Parse*. Also runs against CPython 3.13
 * (make reference). */
#include "checks.h"
#include <stddef.h>

/* A Grid holds 12 shorts; its strided view is every other one, as a 2x3 array. */
typedef struct {
    PyObject_HEAD
    short data[12];
    int exports;
    Py_ssize_t shape[2];
    Py_ssize_t strides[2];
} Grid;

static int grid_getbuffer(PyObject *self, Py_buffer *view, int flags) {
    Grid *g = (Grid *)self;
    if ((flags & PyBUF_STRIDES) != PyBUF_STRIDES) {
        /* A plain request: all 24 bytes, contiguous. */
        if (PyBuffer_FillInfo(view, self, g->data, sizeof g->data, 0, flags) < 0) return -1;
        g->exports++;
        return 0;
    }
    g->shape[0] = 2;
    g->shape[1] = 3;
    g->strides[0] = 12;
    g->strides[1] = 4;
    view->buf = g->data;
    view->obj = Py_NewRef(self);
    view->len = 6 * sizeof(short);
    view->itemsize = sizeof(short);
    view->readonly = 0;
    view->ndim = 2;
    view->format = (flags & PyBUF_FORMAT) ? "h" : NULL;
    view->shape = g->shape;
    view->strides = g->strides;
    view->suboffsets = NULL;
    view->internal = NULL;
    g->exports++;
    return 0;
}

static void grid_releasebuffer(PyObject *self, Py_buffer *view) {
    (void)view;
    ((Grid *)self)->exports--;
}

static PyType_Slot grid_slots[] = {
    {Py_bf_getbuffer, grid_getbuffer},
    {Py_bf_releasebuffer, grid_releasebuffer},
    {0, NULL},
};
static PyType_Spec grid_spec = {"test.Grid", sizeof(Grid), 0, Py_TPFLAGS_DEFAULT, grid_slots};

static Grid *new_grid(PyObject **type_out) {
    PyObject *type = PyType_FromSpec(&grid_spec);
    if (type == NULL) return NULL;
    Grid *g = (Grid *)PyObject_CallNoArgs(type);
    *type_out = type;
    if (g == NULL) return NULL;
    for (int i = 0; i < 12; i++) g->data[i] = (short)i;
    return g;
}

static int bytes_export_read_only_views(void) {
    PyObject *b = PyBytes_FromString("hello");
    PyObject *five = PyLong_FromLong(5);
    CHECK(PyObject_CheckBuffer(b) == 1);
    CHECK(PyObject_CheckBuffer(five) == 0);
    Py_buffer view;
    Py_ssize_t refs = Py_REFCNT(b);
    CHECK(PyObject_GetBuffer(b, &view, PyBUF_SIMPLE) == 0);
    CHECK(view.buf == PyBytes_AS_STRING(b) && view.len == 5 && view.obj == b);
    CHECK(view.readonly == 1 && view.itemsize == 1 && view.ndim == 1);
    CHECK(view.format == NULL && view.shape == NULL && view.strides == NULL && view.suboffsets == NULL);
    CHECK(Py_REFCNT(b) == refs + 1);
    PyBuffer_Release(&view);
    CHECK(view.obj == NULL && Py_REFCNT(b) == refs);
    PyBuffer_Release(&view); /* a released view stays released */
    CHECK(Py_REFCNT(b) == refs);

    CHECK(PyObject_GetBuffer(b, &view, PyBUF_FULL_RO) == 0);
    CHECK(view.format != NULL && strcmp(view.format, "B") == 0);
    CHECK(view.shape != NULL && view.shape[0] == 5 && view.strides != NULL && view.strides[0] == 1);
    CHECK(PyBuffer_IsContiguous(&view, 'C') && PyBuffer_IsContiguous(&view, 'F') && PyBuffer_IsContiguous(&view, 'A'));
    Py_ssize_t index = 4;
    CHECK(*(char *)PyBuffer_GetPointer(&view, &index) == 'o');
    PyBuffer_Release(&view);

    CHECK(PyObject_GetBuffer(b, &view, PyBUF_WRITABLE) == -1);
    CHECK_ERROR_TEXT(PyExc_BufferError, "Object is not writable.");
    CHECK(PyObject_GetBuffer(five, &view, PyBUF_SIMPLE) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "a bytes-like object is required, not 'int'");
    Py_DECREF(five); Py_DECREF(b);
    return 0;
}

static int fill_info_gives_what_is_asked(void) {
    char data[8] = "abcdefg";
    Py_buffer view;
    CHECK(PyBuffer_FillInfo(&view, NULL, data, 8, 0, PyBUF_CONTIG) == 0);
    CHECK(view.obj == NULL && view.buf == data && view.len == 8 && view.readonly == 0);
    CHECK(view.shape == &view.len && view.strides == NULL && view.format == NULL);
    PyBuffer_Release(&view);
    CHECK(PyBuffer_FillInfo(&view, NULL, data, 8, 1, PyBUF_WRITABLE) == -1);
    CHECK_ERROR_TEXT(PyExc_BufferError, "Object is not writable.");
    return 0;
}

/* A strided 2x3 view: contiguity, pointers, and copies in C and Fortran order. */
static int strided_views(void) {
    PyObject *type;
    Grid *g = new_grid(&type);
    CHECK(g != NULL);
    PyObject *o = (PyObject *)g;
    CHECK(PyObject_CheckBuffer(o) == 1);
    Py_buffer view;
    CHECK(PyObject_GetBuffer(o, &view, PyBUF_FULL) == 0);
    CHECK(g->exports == 1 && view.ndim == 2 && strcmp(view.format, "h") == 0);
    CHECK(!PyBuffer_IsContiguous(&view, 'C') && !PyBuffer_IsContiguous(&view, 'F') && !PyBuffer_IsContiguous(&view, 'A'));
    Py_ssize_t at[2] = {1, 2};
    CHECK(*(short *)PyBuffer_GetPointer(&view, at) == 10);
    short c_order[6], f_order[6];
    CHECK(PyBuffer_ToContiguous(c_order, &view, view.len, 'C') == 0);
    CHECK(c_order[0] == 0 && c_order[1] == 2 && c_order[2] == 4 && c_order[3] == 6 && c_order[5] == 10);
    CHECK(PyBuffer_ToContiguous(f_order, &view, view.len, 'F') == 0);
    CHECK(f_order[0] == 0 && f_order[1] == 6 && f_order[2] == 2 && f_order[3] == 8 && f_order[5] == 10);
    CHECK(PyBuffer_ToContiguous(c_order, &view, 4, 'C') == -1);
    CHECK_ERROR_TEXT(PyExc_ValueError, "PyBuffer_ToContiguous: len != view->len");
    short fresh[6] = {100, 101, 102, 103, 104, 105};
    CHECK(PyBuffer_FromContiguous(&view, fresh, sizeof fresh, 'C') == 0);
    CHECK(g->data[0] == 100 && g->data[1] == 1 && g->data[2] == 101 && g->data[6] == 103 && g->data[10] == 105);
    CHECK(PyBuffer_FromContiguous(&view, fresh, sizeof fresh, 'F') == 0);
    CHECK(g->data[2] == 102 && g->data[6] == 101);
    PyBuffer_Release(&view);
    CHECK(g->exports == 0);

    /* Hand-made contiguous layouts. */
    short grid[6];
    Py_ssize_t shape[2] = {2, 3}, strides[2];
    Py_buffer v = {.buf = grid, .len = sizeof grid, .itemsize = 2, .ndim = 2, .shape = shape, .strides = strides};
    PyBuffer_FillContiguousStrides(2, shape, strides, 2, 'C');
    CHECK(strides[0] == 6 && strides[1] == 2);
    CHECK(PyBuffer_IsContiguous(&v, 'C') && !PyBuffer_IsContiguous(&v, 'F') && PyBuffer_IsContiguous(&v, 'A'));
    PyBuffer_FillContiguousStrides(2, shape, strides, 2, 'F');
    CHECK(strides[0] == 2 && strides[1] == 4);
    CHECK(!PyBuffer_IsContiguous(&v, 'C') && PyBuffer_IsContiguous(&v, 'F') && PyBuffer_IsContiguous(&v, 'A'));
    Py_DECREF(o); Py_DECREF(type);
    return 0;
}

static int copy_data_between_exporters(void) {
    PyObject *type;
    Grid *a = new_grid(&type);
    Grid *b = (Grid *)PyObject_CallNoArgs(type);
    CHECK(a && b);
    for (int i = 0; i < 12; i++) b->data[i] = (short)(50 + i);
    CHECK(PyObject_CopyData((PyObject *)a, (PyObject *)b) == 0);
    /* The strided items are copied, the others left alone. */
    CHECK(a->data[0] == 50 && a->data[1] == 1 && a->data[2] == 52 && a->data[10] == 60 && a->data[11] == 11);
    CHECK(a->exports == 0 && b->exports == 0);
    PyObject *bytes = PyBytes_FromString("abc");
    CHECK(PyObject_CopyData(bytes, (PyObject *)a) == -1);
    CHECK_ERROR_TEXT(PyExc_BufferError, "Object is not writable.");
    CHECK(PyObject_CopyData((PyObject *)a, Py_None) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "both destination and source must be bytes-like objects");
    CHECK(a->exports == 0);
    Py_DECREF(bytes); Py_DECREF(b); Py_DECREF(a); Py_DECREF(type);
    return 0;
}

static int parse_buffer_units(void) {
    PyObject *type;
    Grid *g = new_grid(&type);
    PyObject *b = PyBytes_FromString("xyz");
    PyObject *s = PyUnicode_FromString("h\xc3\xa9");
    Py_buffer view;

    PyObject *args = PyTuple_Pack(1, b);
    CHECK(PyArg_ParseTuple(args, "y*", &view));
    CHECK(view.buf == PyBytes_AS_STRING(b) && view.len == 3 && view.obj == b && view.readonly == 1);
    PyBuffer_Release(&view);
    CHECK(PyArg_ParseTuple(args, "s*", &view));
    CHECK(view.buf == PyBytes_AS_STRING(b) && view.len == 3);
    PyBuffer_Release(&view);
    CHECK(!PyArg_ParseTuple(args, "w*:f", &view));
    CHECK_ERROR_TEXT(PyExc_TypeError, "f() argument 1 must be read-write bytes-like object, not bytes");
    Py_DECREF(args);

    args = PyTuple_Pack(1, s);
    CHECK(PyArg_ParseTuple(args, "s*", &view));
    CHECK(view.len == 3 && memcmp(view.buf, "h\xc3\xa9", 3) == 0 && view.obj == s && view.readonly == 1);
    PyBuffer_Release(&view);
    /* An object without a buffer: the exporter's error stands. */
    CHECK(!PyArg_ParseTuple(args, "y*:f", &view));
    CHECK_ERROR_TEXT(PyExc_TypeError, "a bytes-like object is required, not 'str'");
    Py_DECREF(args);

    args = PyTuple_Pack(1, Py_None);
    CHECK(PyArg_ParseTuple(args, "z*", &view));
    CHECK(view.buf == NULL && view.obj == NULL && view.len == 0);
    PyBuffer_Release(&view);
    CHECK(!PyArg_ParseTuple(args, "s*:f", &view));
    CHECK_ERROR_TEXT(PyExc_TypeError, "a bytes-like object is required, not 'NoneType'");
    Py_DECREF(args);

    /* w* takes a writable exporter; a failure later releases the view again. */
    args = PyTuple_Pack(1, (PyObject *)g);
    CHECK(PyArg_ParseTuple(args, "w*", &view));
    CHECK(view.buf == g->data && view.len == 24 && view.readonly == 0 && g->exports == 1);
    ((char *)view.buf)[0] = 9;
    PyBuffer_Release(&view);
    CHECK(g->exports == 0 && g->data[0] == 9);
    Py_DECREF(args);
    args = PyTuple_Pack(2, (PyObject *)g, s);
    int n;
    CHECK(!PyArg_ParseTuple(args, "w*i:f", &view, &n));
    CHECK_ERROR_TEXT(PyExc_TypeError, "'str' object cannot be interpreted as an integer");
    CHECK(g->exports == 0);
    Py_DECREF(args);
    Py_DECREF(s); Py_DECREF(b); Py_DECREF(g); Py_DECREF(type);
    return 0;
}

/* The item size of a struct format, with native alignment unless a prefix says
 * standard sizes. */
static int size_from_format(void) {
    CHECK(PyBuffer_SizeFromFormat("i") == 4);
    CHECK(PyBuffer_SizeFromFormat("B") == 1);
    CHECK(PyBuffer_SizeFromFormat("bi") == 8);
    CHECK(PyBuffer_SizeFromFormat("<bi") == 5);
    CHECK(PyBuffer_SizeFromFormat("3s2h") == 8);
    CHECK(PyBuffer_SizeFromFormat("qd") == 16);
    CHECK(PyBuffer_SizeFromFormat("P") == (Py_ssize_t)sizeof(void *));
    CHECK(PyBuffer_SizeFromFormat("") == 0);
    return 0;
}

static const TestCase cases[] = {
    CASE(size_from_format),
    CASE(bytes_export_read_only_views),
    CASE(fill_info_gives_what_is_asked),
    KEEPS_OBJECTS(strided_views),
    KEEPS_OBJECTS(copy_data_between_exporters),
    KEEPS_OBJECTS(parse_buffer_units),
};
TEST_MAIN(cases)
