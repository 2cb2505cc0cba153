/* shelf: an extension module in the modern style, for isolated interpreters.
 *
 * Multi-phase init (Py_mod_exec), all state in the module (PyModule_GetState),
 * reached from methods through the defining class (METH_METHOD) or
 * PyType_GetModuleByDef, heap types from specs (PyType_FromModuleAndSpec): a Box
 * type holding one object, a Label type that subclasses str, a Tape type whose bytes
 * other code reads and writes through the buffer protocol, and an exception type.
 * Nothing is static but the definitions, so every interpreter that imports it gets
 * its own module, types and state.
 *
 * The same source builds against isle's headers and CPython 3.13's. */
#include <Python.h>
#include <stdatomic.h>

typedef struct {
    PyObject *error;       /* shelf.Error */
    PyTypeObject *box_type;
    PyTypeObject *label_type;
    PyTypeObject *tape_type;
    long boxes_made;       /* by this module object, in this interpreter */
} ShelfState;

/* How many module states have been freed, process-wide: the host checks that
 * m_free ran exactly once per interpreter that imported the module. */
static atomic_long freed_states;

static struct PyModuleDef shelf_module;

static ShelfState *state_of_module(PyObject *module) { return (ShelfState *)PyModule_GetState(module); }

/* ---------------------------------------------------------------- Box */

typedef struct {
    PyObject_HEAD
    PyObject *content; /* never NULL */
} Box;

static int box_traverse(PyObject *self, visitproc visit, void *arg) {
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(((Box *)self)->content);
    return 0;
}

static int box_clear(PyObject *self) {
    Py_CLEAR(((Box *)self)->content);
    return 0;
}

static void box_dealloc(PyObject *self) {
    PyTypeObject *type = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    box_clear(self);
    type->tp_free(self);
    Py_DECREF(type);
}

static PyObject *box_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    static char *kwlist[] = {"content", NULL};
    PyObject *content = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O:Box", kwlist, &content)) return NULL;
    Box *self = (Box *)type->tp_alloc(type, 0);
    if (self == NULL) return NULL;
    self->content = Py_NewRef(content);
    PyObject *module = PyType_GetModuleByDef(type, &shelf_module);
    if (module == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    state_of_module(module)->boxes_made++;
    return (PyObject *)self;
}

static PyObject *box_get(PyObject *self, PyObject *unused) { return Py_NewRef(((Box *)self)->content); }

static PyObject *box_put(PyObject *self, PyObject *content) {
    Py_SETREF(((Box *)self)->content, Py_NewRef(content));
    Py_RETURN_NONE;
}

/* Raises shelf.Error unless the box holds `expected`; the module comes from the
 * class that defines the method, so a subclass defined elsewhere still finds it. */
static PyObject *box_expect(PyObject *self, PyTypeObject *defining_class, PyObject *const *args, size_t nargsf,
                            PyObject *kwnames) {
    if (PyVectorcall_NARGS(nargsf) != 1 || kwnames != NULL) {
        PyErr_SetString(PyExc_TypeError, "expect() takes exactly one positional argument");
        return NULL;
    }
    ShelfState *state = PyType_GetModuleState(defining_class);
    if (state == NULL) return NULL;
    int same = PyObject_RichCompareBool(((Box *)self)->content, args[0], Py_EQ);
    if (same < 0) return NULL;
    if (!same) {
        PyErr_SetString(state->error, "the box holds something else");
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef box_methods[] = {
    {"get", box_get, METH_NOARGS, PyDoc_STR("get() -> the content")},
    {"put", box_put, METH_O, PyDoc_STR("put(content) -> None")},
    {"expect", _PyCFunction_CAST(box_expect), METH_METHOD | METH_FASTCALL | METH_KEYWORDS,
     PyDoc_STR("expect(value): raise shelf.Error unless the box holds value")},
    {NULL},
};

static PyType_Slot box_slots[] = {
    {Py_tp_doc, "Box(content=None): holds one object"},
    {Py_tp_new, box_new},
    {Py_tp_dealloc, box_dealloc},
    {Py_tp_traverse, box_traverse},
    {Py_tp_clear, box_clear},
    {Py_tp_methods, box_methods},
    {0, NULL},
};

static PyType_Spec box_spec = {
    .name = "shelf.Box",
    .basicsize = sizeof(Box),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = box_slots,
};

/* ---------------------------------------------------------------- Label (a str) */

static PyObject *label_shout(PyObject *self, PyObject *unused) {
    return PyUnicode_FromFormat("%U!", self);
}

static PyMethodDef label_methods[] = {
    {"shout", label_shout, METH_NOARGS, PyDoc_STR("the label followed by '!'")},
    {NULL},
};

static PyType_Slot label_slots[] = {
    {Py_tp_doc, "Label(text): a str with one more method"},
    {Py_tp_methods, label_methods},
    {0, NULL},
};

static PyType_Spec label_spec = {
    .name = "shelf.Label",
    .basicsize = 0, /* no fields of its own: str's layout */
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = label_slots,
};

/* ---------------------------------------------------------------- Tape (a buffer) */

/* Tape(n): n zero bytes that other code reads and writes in place through the
 * buffer protocol. While a view is out, the tape refuses to be wiped. */
typedef struct {
    PyObject_HEAD
    char *bytes;
    Py_ssize_t size;
    Py_ssize_t exports; /* views not released yet */
} Tape;

static PyObject *tape_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    static char *kwlist[] = {"size", NULL};
    Py_ssize_t size;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "n:Tape", kwlist, &size)) return NULL;
    if (size < 0) {
        PyErr_SetString(PyExc_ValueError, "a tape cannot be shorter than nothing");
        return NULL;
    }
    Tape *self = (Tape *)type->tp_alloc(type, 0);
    if (self == NULL) return NULL;
    self->bytes = PyMem_Calloc(size ? (size_t)size : 1, 1);
    if (self->bytes == NULL) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    self->size = size;
    return (PyObject *)self;
}

static void tape_dealloc(PyObject *self) {
    PyTypeObject *type = Py_TYPE(self);
    PyMem_Free(((Tape *)self)->bytes);
    type->tp_free(self);
    Py_DECREF(type);
}

static int tape_getbuffer(PyObject *self, Py_buffer *view, int flags) {
    Tape *t = (Tape *)self;
    if (PyBuffer_FillInfo(view, self, t->bytes, t->size, 0, flags) < 0) return -1;
    t->exports++;
    return 0;
}

static void tape_releasebuffer(PyObject *self, Py_buffer *view) { ((Tape *)self)->exports--; }

static PyObject *tape_exports(PyObject *self, PyObject *unused) { return PyLong_FromSsize_t(((Tape *)self)->exports); }

/* wipe(): zeroes the tape, unless someone holds a view of it. */
static PyObject *tape_wipe(PyObject *self, PyObject *unused) {
    Tape *t = (Tape *)self;
    if (t->exports > 0) {
        PyErr_SetString(PyExc_BufferError, "the tape is being read or written");
        return NULL;
    }
    memset(t->bytes, 0, (size_t)t->size);
    Py_RETURN_NONE;
}

/* copy_from(bytes_like): copies the start of any buffer onto the tape. */
static PyObject *tape_copy_from(PyObject *self, PyObject *args) {
    Tape *t = (Tape *)self;
    Py_buffer source;
    if (!PyArg_ParseTuple(args, "y*:copy_from", &source)) return NULL;
    Py_ssize_t n = source.len < t->size ? source.len : t->size;
    memcpy(t->bytes, source.buf, (size_t)n);
    PyBuffer_Release(&source);
    return PyLong_FromSsize_t(n);
}

static PyMethodDef tape_methods[] = {
    {"exports", tape_exports, METH_NOARGS, PyDoc_STR("exports() -> views not released yet")},
    {"wipe", tape_wipe, METH_NOARGS, PyDoc_STR("wipe(): zero every byte")},
    {"copy_from", tape_copy_from, METH_VARARGS, PyDoc_STR("copy_from(bytes_like) -> bytes copied")},
    {NULL},
};

static PyType_Slot tape_slots[] = {
    {Py_tp_doc, "Tape(size): writable bytes shared through the buffer protocol"},
    {Py_tp_new, tape_new},
    {Py_tp_dealloc, tape_dealloc},
    {Py_tp_methods, tape_methods},
    {Py_bf_getbuffer, tape_getbuffer},
    {Py_bf_releasebuffer, tape_releasebuffer},
    {0, NULL},
};

static PyType_Spec tape_spec = {
    .name = "shelf.Tape",
    .basicsize = sizeof(Tape),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = tape_slots,
};

/* ---------------------------------------------------------------- module functions */

static PyObject *shelf_boxes_made(PyObject *module, PyObject *unused) {
    return PyLong_FromLong(state_of_module(module)->boxes_made);
}

static PyObject *shelf_freed_states(PyObject *module, PyObject *unused) {
    return PyLong_FromLong(atomic_load(&freed_states));
}

static PyObject *shelf_fail(PyObject *module, PyObject *args) {
    const char *message;
    if (!PyArg_ParseTuple(args, "s:fail", &message)) return NULL;
    PyErr_SetString(state_of_module(module)->error, message);
    return NULL;
}

static PyMethodDef shelf_functions[] = {
    {"boxes_made", shelf_boxes_made, METH_NOARGS, PyDoc_STR("Boxes made by this interpreter's module")},
    {"freed_states", shelf_freed_states, METH_NOARGS, PyDoc_STR("Module states freed in this process")},
    {"fail", shelf_fail, METH_VARARGS, PyDoc_STR("fail(message): raise shelf.Error")},
    {NULL},
};

static int shelf_exec(PyObject *module) {
    ShelfState *state = state_of_module(module);
    state->error = PyErr_NewException("shelf.Error", NULL, NULL);
    if (state->error == NULL || PyModule_AddObjectRef(module, "Error", state->error) < 0) return -1;
    state->box_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &box_spec, NULL);
    if (state->box_type == NULL || PyModule_AddType(module, state->box_type) < 0) return -1;
    PyObject *bases = PyTuple_Pack(1, (PyObject *)&PyUnicode_Type);
    if (bases == NULL) return -1;
    state->label_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &label_spec, bases);
    Py_DECREF(bases);
    if (state->label_type == NULL || PyModule_AddType(module, state->label_type) < 0) return -1;
    state->tape_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &tape_spec, NULL);
    if (state->tape_type == NULL || PyModule_AddType(module, state->tape_type) < 0) return -1;
    return PyModule_AddIntConstant(module, "VERSION", 1);
}

static int shelf_traverse(PyObject *module, visitproc visit, void *arg) {
    ShelfState *state = state_of_module(module);
    Py_VISIT(state->error);
    Py_VISIT(state->box_type);
    Py_VISIT(state->label_type);
    Py_VISIT(state->tape_type);
    return 0;
}

static int shelf_clear(PyObject *module) {
    ShelfState *state = state_of_module(module);
    Py_CLEAR(state->error);
    Py_CLEAR(state->box_type);
    Py_CLEAR(state->label_type);
    Py_CLEAR(state->tape_type);
    return 0;
}

static void shelf_free(void *module) {
    shelf_clear((PyObject *)module);
    atomic_fetch_add(&freed_states, 1);
}

static PyModuleDef_Slot shelf_slots[] = {
    {Py_mod_exec, shelf_exec},
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
    {0, NULL},
};

static struct PyModuleDef shelf_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "shelf",
    .m_doc = "Boxes, labels, tapes and an error, per interpreter.",
    .m_size = sizeof(ShelfState),
    .m_methods = shelf_functions,
    .m_slots = shelf_slots,
    .m_traverse = shelf_traverse,
    .m_clear = shelf_clear,
    .m_free = shelf_free,
};

PyMODINIT_FUNC PyInit_shelf(void) { return PyModuleDef_Init(&shelf_module); }
