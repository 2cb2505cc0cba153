/* Classes made at run time by calling type(name, bases, dict): argument checks, names,
 * instance dicts, and dunders in the dict filling the C slots. A builtin function in a
 * class dict does not bind (it is called without the instance, as in CPython); method
 * descriptors (PyDescr_NewMethod) do. Also runs against CPython 3.13 (make reference). */
#include "checks.h"

static PyObject *type_call3(const char *name, PyObject *bases, PyObject *ns) {
    PyObject *n = PyUnicode_FromString(name);
    PyObject *r = PyObject_CallFunctionObjArgs((PyObject *)&PyType_Type, n, bases, ns, NULL);
    Py_DECREF(n);
    return r;
}

/* A class with no bases whose dict is `ns` (stolen). */
static PyObject *make_class(const char *name, PyObject *ns) {
    PyObject *bases = PyTuple_New(0);
    PyObject *cls = type_call3(name, bases, ns);
    Py_DECREF(bases);
    Py_DECREF(ns);
    return cls;
}

static PyObject *three(PyObject *self, PyObject *args) {
    (void)self; (void)args;
    return PyLong_FromLong(3);
}
static PyObject *a_str(PyObject *self, PyObject *args) {
    (void)self; (void)args;
    return PyUnicode_FromString("three");
}
static PyObject *minus_one(PyObject *self, PyObject *args) {
    (void)self; (void)args;
    return PyLong_FromLong(-1);
}
static PyObject *always_true(PyObject *self, PyObject *other) {
    (void)self; (void)other;
    Py_RETURN_TRUE;
}
static PyObject *args_back(PyObject *self, PyObject *args) {
    (void)self;
    return Py_NewRef(args);
}
static PyObject *forty_two(PyObject *self, PyObject *other) {
    (void)self; (void)other;
    return PyLong_FromLong(42);
}
static PyObject *hash_value(PyObject *self, PyObject *args) {
    (void)self; (void)args;
    return PyLong_FromLong(12345);
}
static int next_count;
static PyObject *count_to_three(PyObject *self, PyObject *args) {
    (void)self; (void)args;
    if (next_count >= 3) {
        PyErr_SetNone(PyExc_StopIteration);
        return NULL;
    }
    return PyLong_FromLong(next_count++);
}
static PyObject *forty_two_varargs(PyObject *self, PyObject *args) {
    (void)self; (void)args;
    return PyLong_FromLong(42);
}
static PyObject *last_setattr;
static PyObject *record_setattr(PyObject *self, PyObject *args) {
    (void)self;
    Py_XSETREF(last_setattr, Py_NewRef(args));
    Py_RETURN_NONE;
}
static PyObject *false_always(PyObject *self, PyObject *args) {
    (void)self; (void)args;
    Py_RETURN_FALSE;
}
/* Method descriptors get the instance. */
static PyObject *self_and_key(PyObject *self, PyObject *key) { return PyTuple_Pack(2, self, key); }
static PyObject *fixed_repr(PyObject *self, PyObject *args) {
    (void)args;
    return PyUnicode_FromFormat("<thing of %s>", Py_TYPE(self)->tp_name);
}
static PyObject *itself(PyObject *self, PyObject *args) {
    (void)args;
    return Py_NewRef(self);
}
static PyObject *init_v(PyObject *self, PyObject *args) {
    if (PyObject_SetAttrString(self, "v", PyTuple_GET_ITEM(args, 0)) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef getattr_def = {"__getattr__", args_back, METH_VARARGS, NULL};
static PyMethodDef get_def = {"__get__", forty_two_varargs, METH_VARARGS, NULL};
static PyMethodDef setattr_def = {"__setattr__", record_setattr, METH_VARARGS, NULL};
static PyMethodDef bool_def = {"__bool__", false_always, METH_NOARGS, NULL};
static PyMethodDef contains_def = {"__contains__", always_true, METH_O, NULL};
static PyMethodDef neg_def = {"__neg__", three, METH_NOARGS, NULL};
static PyMethodDef index_def = {"__index__", three, METH_NOARGS, NULL};
static PyMethodDef iadd_def = {"__iadd__", args_back, METH_VARARGS, NULL};
static PyMethodDef pow_def = {"__pow__", args_back, METH_VARARGS, NULL};
static PyMethodDef radd_def = {"__radd__", forty_two, METH_O, NULL};
static PyMethodDef len3 = {"__len__", three, METH_NOARGS, NULL};
static PyMethodDef len_str = {"__len__", a_str, METH_NOARGS, NULL};
static PyMethodDef len_negative = {"__len__", minus_one, METH_NOARGS, NULL};
static PyMethodDef eq_true = {"__eq__", always_true, METH_O, NULL};
static PyMethodDef call_def = {"__call__", args_back, METH_VARARGS, NULL};
static PyMethodDef add_def = {"__add__", forty_two, METH_O, NULL};
static PyMethodDef hash_def = {"__hash__", hash_value, METH_NOARGS, NULL};
static PyMethodDef next_def = {"__next__", count_to_three, METH_NOARGS, NULL};
static PyMethodDef getitem_def = {"__getitem__", self_and_key, METH_O, NULL};
static PyMethodDef repr_def = {"__repr__", fixed_repr, METH_NOARGS, NULL};
static PyMethodDef iter_def = {"__iter__", itself, METH_NOARGS, NULL};
static PyMethodDef init_def = {"__init__", init_v, METH_VARARGS, NULL};

/* Sets `cls.name` to a method descriptor of `def`. */
static int set_method(PyObject *cls, PyMethodDef *def) {
    PyObject *d = PyDescr_NewMethod((PyTypeObject *)cls, def);
    CHECK(d != NULL);
    int r = PyObject_SetAttrString(cls, def->ml_name, d);
    Py_DECREF(d);
    return r;
}

/* Puts a builtin function of `def` (self NULL) in `ns` under its name. */
static void put_function(PyObject *ns, PyMethodDef *def) {
    PyObject *f = PyCFunction_New(def, NULL);
    PyDict_SetItemString(ns, def->ml_name, f);
    Py_DECREF(f);
}

static int argument_counts_and_types(void) {
    PyObject *t = (PyObject *)&PyType_Type;
    PyObject *five = PyLong_FromLong(5);
    PyObject *r = PyObject_CallOneArg(t, five);
    CHECK(r == (PyObject *)&PyLong_Type);
    Py_DECREF(r);
    CHECK(PyObject_CallNoArgs(t) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "type() takes 1 or 3 arguments");
    CHECK(PyObject_CallFunction(t, "ss", "a", "b") == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "type() takes 1 or 3 arguments");
    PyObject *ns = PyDict_New(), *empty = PyTuple_New(0);
    CHECK(PyObject_CallFunctionObjArgs(t, five, empty, ns, NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "type.__new__() argument 1 must be str, not int");
    CHECK(type_call3("A", five, ns) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "type.__new__() argument 2 must be tuple, not int");
    CHECK(type_call3("A", empty, five) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "type.__new__() argument 3 must be dict, not int");
    Py_DECREF(ns); Py_DECREF(empty); Py_DECREF(five);
    return 0;
}

static int bad_bases(void) {
    PyObject *ns = PyDict_New();
    PyObject *bases = Py_BuildValue("(i)", 1);
    CHECK(type_call3("A", bases, ns) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "metaclass conflict: the metaclass of a derived class must be a "
                                      "(non-strict) subclass of the metaclasses of all its bases");
    Py_DECREF(bases);
    bases = PyTuple_Pack(1, (PyObject *)&PyBool_Type);
    CHECK(type_call3("A", bases, ns) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "type 'bool' is not an acceptable base type");
    Py_DECREF(bases);
    bases = PyTuple_Pack(2, (PyObject *)&PyLong_Type, (PyObject *)&PyLong_Type);
    CHECK(type_call3("A", bases, ns) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "duplicate base class int");
    Py_DECREF(bases);
    bases = PyTuple_Pack(2, (PyObject *)&PyLong_Type, (PyObject *)&PyUnicode_Type);
    CHECK(type_call3("A", bases, ns) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "multiple bases have instance lay-out conflict");
    Py_DECREF(bases);
    Py_DECREF(ns);
    return 0;
}

/* Without a caller's globals no __module__ is set; the dict gives names and doc. */
static int names_module_and_doc(void) {
    PyObject *a = make_class("A", PyDict_New());
    CHECK(a != NULL && PyType_Check(a));
    CHECK_REPR(a, "<class 'A'>");
    CHECK(strcmp(((PyTypeObject *)a)->tp_name, "A") == 0);
    CHECK(PyObject_GetAttrString(a, "__module__") == NULL);
    CHECK_ERROR_TEXT(PyExc_AttributeError, "__module__");
    CHECK_TEXT(PyObject_GetAttrString(a, "__qualname__"), "A");
    PyObject *bases = PyObject_GetAttrString(a, "__bases__");
    CHECK(bases && PyTuple_GET_SIZE(bases) == 1 && PyTuple_GET_ITEM(bases, 0) == (PyObject *)&PyBaseObject_Type);
    Py_DECREF(bases);
    CHECK(PyType_IsSubtype((PyTypeObject *)a, &PyBaseObject_Type));

    PyObject *ns = Py_BuildValue("{s:s,s:s,s:s}", "__qualname__", "Q.B", "__module__", "m", "__doc__", "hello");
    PyObject *base = PyTuple_Pack(1, a);
    PyObject *b = type_call3("B", base, ns);
    Py_DECREF(base); Py_DECREF(ns);
    CHECK(b != NULL);
    CHECK_REPR(b, "<class 'm.Q.B'>");
    CHECK_TEXT(PyObject_GetAttrString(b, "__qualname__"), "Q.B");
    CHECK_TEXT(PyObject_GetAttrString(b, "__name__"), "B");
    CHECK_TEXT(PyObject_GetAttrString(b, "__module__"), "m");
    CHECK_TEXT(PyObject_GetAttrString(b, "__doc__"), "hello");
    CHECK(PyType_IsSubtype((PyTypeObject *)b, (PyTypeObject *)a));
    Py_DECREF(b);

    ns = Py_BuildValue("{s:i}", "__qualname__", 1);
    CHECK(make_class("C", ns) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "type __qualname__ must be a str, not int");
    Py_DECREF(a);
    return 0;
}

static int instances_have_a_dict(void) {
    PyObject *a = make_class("A", PyDict_New());
    PyObject *one = PyLong_FromLong(1);
    CHECK(PyObject_CallOneArg(a, one) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "A() takes no arguments");
    PyObject *x = PyObject_CallNoArgs(a);
    CHECK(x != NULL && Py_TYPE(x) == (PyTypeObject *)a);
    PyObject *value = PyUnicode_FromString("seven");
    CHECK(PyObject_SetAttrString(x, "attr", value) == 0);
    PyObject *got = PyObject_GetAttrString(x, "attr");
    CHECK(got == value);
    Py_DECREF(got);
    CHECK(PyObject_DelAttrString(x, "attr") == 0);
    CHECK(PyObject_GetAttrString(x, "attr") == NULL);
    CHECK_RAISED(PyExc_AttributeError);
    /* The dict, and what it holds, goes with the instance. */
    CHECK(PyObject_SetAttrString(x, "attr", value) == 0);
    Py_ssize_t before = Py_REFCNT(value);
    Py_DECREF(x);
    CHECK(Py_REFCNT(value) == before - 1);
    Py_DECREF(value); Py_DECREF(one); Py_DECREF(a);
    return 0;
}

static int len_from_the_dict(void) {
    PyObject *ns = PyDict_New();
    put_function(ns, &len3);
    PyObject *cls = make_class("Sized", ns);
    PyObject *x = PyObject_CallNoArgs(cls);
    CHECK(x != NULL);
    CHECK(PyObject_Size(x) == 3);
    CHECK(PySequence_Size(x) == 3);
    CHECK(PyMapping_Size(x) == 3);
    CHECK(PyObject_IsTrue(x) == 1);
    CHECK_NO_ERROR();
    Py_DECREF(x); Py_DECREF(cls);

    ns = PyDict_New();
    put_function(ns, &len_str);
    cls = make_class("Bad", ns);
    x = PyObject_CallNoArgs(cls);
    CHECK(PyObject_Size(x) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'str' object cannot be interpreted as an integer");
    Py_DECREF(x); Py_DECREF(cls);

    ns = PyDict_New();
    put_function(ns, &len_negative);
    cls = make_class("Negative", ns);
    x = PyObject_CallNoArgs(cls);
    CHECK(PyObject_Size(x) == -1);
    CHECK_ERROR_TEXT(PyExc_ValueError, "__len__() should return >= 0");
    Py_DECREF(x); Py_DECREF(cls);
    return 0;
}

/* Setting or deleting a dunder on the class updates its slots. */
static int setting_a_dunder_later(void) {
    PyObject *cls = make_class("Late", PyDict_New());
    PyObject *x = PyObject_CallNoArgs(cls);
    CHECK(PyObject_Size(x) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "object of type 'Late' has no len()");
    PyObject *f = PyCFunction_New(&len3, NULL);
    CHECK(PyObject_SetAttrString(cls, "__len__", f) == 0);
    Py_DECREF(f);
    CHECK(PyObject_Size(x) == 3);
    CHECK(PyObject_DelAttrString(cls, "__len__") == 0);
    CHECK(PyObject_Size(x) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "object of type 'Late' has no len()");

    /* Method descriptors bind to the instance. */
    CHECK(set_method(cls, &getitem_def) == 0);
    PyObject *key = PyUnicode_FromString("k");
    PyObject *r = PyObject_GetItem(x, key);
    CHECK(r && PyTuple_GET_SIZE(r) == 2 && PyTuple_GET_ITEM(r, 0) == x && PyTuple_GET_ITEM(r, 1) == key);
    Py_DECREF(r);
    r = PySequence_GetItem(x, 4);
    CHECK(r && PyTuple_GET_ITEM(r, 0) == x && PyLong_AsLong(PyTuple_GET_ITEM(r, 1)) == 4);
    Py_DECREF(r);
    CHECK(set_method(cls, &repr_def) == 0);
    CHECK_REPR(x, "<thing of Late>");
    Py_DECREF(key); Py_DECREF(x); Py_DECREF(cls);
    return 0;
}

static int comparison_hash_call_and_add(void) {
    PyObject *ns = PyDict_New();
    put_function(ns, &eq_true);
    put_function(ns, &call_def);
    put_function(ns, &add_def);
    PyObject *cls = make_class("C", ns);
    PyObject *x = PyObject_CallNoArgs(cls);
    PyObject *one = PyLong_FromLong(1), *two = PyLong_FromLong(2);
    CHECK(PyObject_RichCompareBool(x, one, Py_EQ) == 1);
    /* __eq__ without __hash__: unhashable. */
    CHECK(PyObject_Hash(x) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "unhashable type: 'C'");
    PyObject *r = PyObject_CallFunctionObjArgs(x, one, two, NULL);
    CHECK(r && PyTuple_Check(r) && PyTuple_GET_SIZE(r) == 2 && PyTuple_GET_ITEM(r, 0) == one);
    Py_DECREF(r);
    CHECK_INT(PyNumber_Add(x, one), 42);
    CHECK(PyNumber_Add(one, x) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "unsupported operand type(s) for +: 'int' and 'C'");
    Py_DECREF(x); Py_DECREF(cls);

    ns = PyDict_New();
    put_function(ns, &hash_def);
    cls = make_class("H", ns);
    x = PyObject_CallNoArgs(cls);
    CHECK(PyObject_Hash(x) == 12345);
    CHECK(PyObject_SetAttrString(cls, "__hash__", Py_None) == 0);
    CHECK(PyObject_Hash(x) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "unhashable type: 'H'");
    Py_DECREF(x); Py_DECREF(cls);
    Py_DECREF(one); Py_DECREF(two);
    return 0;
}

static int iteration_and_init(void) {
    PyObject *ns = PyDict_New();
    put_function(ns, &next_def);
    PyObject *cls = make_class("Counter", ns);
    CHECK(set_method(cls, &iter_def) == 0);
    CHECK(set_method(cls, &init_def) == 0);
    PyObject *v = PyUnicode_FromString("v");
    PyObject *x = PyObject_CallOneArg(cls, v);
    CHECK(x != NULL);
    PyObject *got = PyObject_GetAttrString(x, "v");
    CHECK(got == v);
    Py_DECREF(got);
    next_count = 0;
    PyObject *it = PyObject_GetIter(x);
    CHECK(it == x);
    Py_DECREF(it);
    PyObject *list = PySequence_List(x);
    CHECK(list && PyList_GET_SIZE(list) == 3 && PyLong_AsLong(PyList_GET_ITEM(list, 2)) == 2);
    CHECK_NO_ERROR();
    Py_DECREF(list); Py_DECREF(x); Py_DECREF(v); Py_DECREF(cls);
    return 0;
}

static int instance_dict_attribute(void) {
    PyObject *a = make_class("A", PyDict_New());
    PyObject *x = PyObject_CallNoArgs(a);
    PyObject *one = PyLong_FromLong(1);
    CHECK(PyObject_SetAttrString(x, "n", one) == 0);
    PyObject *d = PyObject_GetAttrString(x, "__dict__");
    CHECK(d && PyDict_Check(d) && PyDict_Size(d) == 1 && PyDict_GetItemString(d, "n") == one);
    Py_DECREF(d);
    PyObject *fresh = Py_BuildValue("{s:i}", "m", 2);
    CHECK(PyObject_SetAttrString(x, "__dict__", fresh) == 0);
    CHECK_INT(PyObject_GetAttrString(x, "m"), 2);
    CHECK(PyObject_GetAttrString(x, "n") == NULL);
    CHECK_RAISED(PyExc_AttributeError);
    CHECK(PyObject_SetAttrString(x, "__dict__", one) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "__dict__ must be set to a dictionary, not a 'int'");
    Py_DECREF(fresh); Py_DECREF(one); Py_DECREF(x); Py_DECREF(a);
    return 0;
}

static int attribute_and_descriptor_hooks(void) {
    PyObject *ns = PyDict_New();
    put_function(ns, &getattr_def);
    put_function(ns, &setattr_def);
    PyObject *cls = make_class("Hooked", ns);
    PyObject *x = PyObject_CallNoArgs(cls);
    /* __getattr__ runs only for what normal lookup misses. */
    PyObject *r = PyObject_GetAttrString(x, "missing");
    CHECK(r && PyTuple_Check(r) && PyTuple_GET_SIZE(r) == 1);
    CHECK_TEXT(Py_NewRef(PyTuple_GET_ITEM(r, 0)), "missing");
    Py_DECREF(r);
    r = PyObject_GetAttrString(x, "__dict__");
    CHECK(r && PyDict_Check(r));
    Py_DECREF(r);
    PyObject *one = PyLong_FromLong(1);
    CHECK(PyObject_SetAttrString(x, "k", one) == 0);
    CHECK(last_setattr && PyTuple_GET_SIZE(last_setattr) == 2 && PyTuple_GET_ITEM(last_setattr, 1) == one);
    Py_CLEAR(last_setattr);
    Py_DECREF(x); Py_DECREF(cls);

    ns = PyDict_New();
    put_function(ns, &get_def);
    PyObject *descr_cls = make_class("Descr", ns);
    PyObject *descr = PyObject_CallNoArgs(descr_cls);
    ns = PyDict_New();
    PyDict_SetItemString(ns, "attr", descr);
    PyObject *owner = make_class("Owner", ns);
    x = PyObject_CallNoArgs(owner);
    CHECK_INT(PyObject_GetAttrString(x, "attr"), 42);
    CHECK_INT(PyObject_GetAttrString(owner, "attr"), 42);
    Py_DECREF(x); Py_DECREF(owner); Py_DECREF(descr); Py_DECREF(descr_cls);
    Py_DECREF(one);
    return 0;
}

static int number_and_truth_dunders(void) {
    PyObject *ns = PyDict_New();
    put_function(ns, &bool_def);
    put_function(ns, &contains_def);
    put_function(ns, &neg_def);
    put_function(ns, &index_def);
    put_function(ns, &radd_def);
    PyObject *cls = make_class("N", ns);
    PyObject *x = PyObject_CallNoArgs(cls);
    PyObject *one = PyLong_FromLong(1);
    CHECK(PyObject_IsTrue(x) == 0);
    CHECK(PySequence_Contains(x, one) == 1);
    CHECK_INT(PyNumber_Negative(x), 3);
    CHECK_INT(PyNumber_Index(x), 3);
    CHECK(PyNumber_AsSsize_t(x, NULL) == 3);
    CHECK_INT(PyNumber_Add(one, x), 42);
    CHECK(PyNumber_Add(x, one) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "unsupported operand type(s) for +: 'N' and 'int'");
    CHECK(PyNumber_Subtract(x, one) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "unsupported operand type(s) for -: 'N' and 'int'");
    Py_DECREF(x); Py_DECREF(cls);

    /* In-place and power operators (builtin functions: no instance passed). */
    ns = PyDict_New();
    put_function(ns, &iadd_def);
    put_function(ns, &pow_def);
    cls = make_class("P", ns);
    x = PyObject_CallNoArgs(cls);
    PyObject *two = PyLong_FromLong(2);
    PyObject *r = PyNumber_InPlaceAdd(x, one);
    CHECK(r && PyTuple_Check(r) && PyTuple_GET_SIZE(r) == 1 && PyTuple_GET_ITEM(r, 0) == one);
    Py_DECREF(r);
    r = PyNumber_Power(x, one, Py_None);
    CHECK(r && PyTuple_Check(r) && PyTuple_GET_SIZE(r) == 1 && PyTuple_GET_ITEM(r, 0) == one);
    Py_DECREF(r);
    r = PyNumber_Power(x, one, two);
    CHECK(r && PyTuple_Check(r) && PyTuple_GET_SIZE(r) == 2 && PyTuple_GET_ITEM(r, 1) == two);
    Py_DECREF(r);
    CHECK(PyNumber_Power(one, x, Py_None) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "unsupported operand type(s) for ** or pow(): 'int' and 'P'");
    Py_DECREF(two);
    Py_DECREF(one); Py_DECREF(x); Py_DECREF(cls);
    return 0;
}

/* A subclass made by type() or from a spec inherits the dispatching slots. */
static int subclasses(void) {
    PyObject *ns = PyDict_New();
    put_function(ns, &len3);
    PyObject *base = make_class("Base", ns);
    PyObject *bases = PyTuple_Pack(1, base);
    ns = PyDict_New();
    PyObject *sub = type_call3("Sub", bases, ns);
    Py_DECREF(ns);
    CHECK(sub != NULL);
    PyObject *x = PyObject_CallNoArgs(sub);
    CHECK(PyObject_Size(x) == 3);
    CHECK(PyObject_SetAttrString(x, "a", Py_None) == 0);
    Py_DECREF(x);

    PyType_Slot slots[] = {{0, NULL}};
    PyType_Spec spec = {"test.FromSpec", 0, 0, Py_TPFLAGS_DEFAULT, slots};
    PyObject *from_spec = PyType_FromSpecWithBases(&spec, bases);
    CHECK(from_spec != NULL);
    x = PyObject_CallNoArgs(from_spec);
    CHECK(x != NULL && PyObject_Size(x) == 3);
    CHECK(PyObject_SetAttrString(x, "a", Py_None) == 0);
    Py_DECREF(x);
    Py_DECREF(from_spec); Py_DECREF(bases); Py_DECREF(sub); Py_DECREF(base);
    return 0;
}

/* A dunder set on a class later reaches its subclasses, except those defining it. */
static int later_dunders_reach_subclasses(void) {
    PyObject *base = make_class("Base", PyDict_New());
    PyObject *bases = PyTuple_Pack(1, base);
    PyObject *ns = PyDict_New();
    PyObject *sub = type_call3("Sub", bases, ns);
    Py_DECREF(ns);
    ns = PyDict_New();
    put_function(ns, &len_negative);
    PyObject *own = type_call3("Own", bases, ns);
    Py_DECREF(ns);
    PyType_Slot slots[] = {{0, NULL}};
    PyType_Spec spec = {"test.FromSpec", 0, 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, slots};
    PyObject *from_spec = PyType_FromSpecWithBases(&spec, bases);
    PyObject *spec_bases = PyTuple_Pack(1, from_spec);
    ns = PyDict_New();
    PyObject *grandchild = type_call3("Grandchild", spec_bases, ns);
    Py_DECREF(ns);
    CHECK(sub && own && from_spec && grandchild);
    PyObject *x = PyObject_CallNoArgs(sub), *y = PyObject_CallNoArgs(own), *z = PyObject_CallNoArgs(grandchild);
    CHECK(PyObject_Size(x) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "object of type 'Sub' has no len()");
    PyObject *f = PyCFunction_New(&len3, NULL);
    CHECK(PyObject_SetAttrString(base, "__len__", f) == 0);
    Py_DECREF(f);
    CHECK(PyObject_Size(x) == 3);
    CHECK(PyObject_Size(z) == 3);
    CHECK(PyObject_Size(y) == -1);
    CHECK_ERROR_TEXT(PyExc_ValueError, "__len__() should return >= 0");
    CHECK(PyObject_DelAttrString(base, "__len__") == 0);
    CHECK(PyObject_Size(x) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "object of type 'Sub' has no len()");
    CHECK(PyObject_Size(z) == -1);
    CHECK_RAISED(PyExc_TypeError);
    Py_DECREF(x); Py_DECREF(y); Py_DECREF(z);
    Py_DECREF(grandchild); Py_DECREF(spec_bases); Py_DECREF(from_spec);
    Py_DECREF(own); Py_DECREF(sub); Py_DECREF(bases); Py_DECREF(base);
    return 0;
}

/* The class's metatype is the most derived of type's and its bases' metatypes. */
static int metatype_from_the_bases(void) {
    PyType_Slot slots[] = {{0, NULL}};
    PyType_Spec meta_spec = {"test.Meta", 0, 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, slots};
    PyObject *meta = PyType_FromSpecWithBases(&meta_spec, (PyObject *)&PyType_Type);
    CHECK(meta != NULL);
    PyType_Spec spec = {"test.WithMeta", 0, 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, slots};
    PyObject *with_meta = PyType_FromMetaclass((PyTypeObject *)meta, NULL, &spec, NULL);
    CHECK(with_meta != NULL && Py_TYPE(with_meta) == (PyTypeObject *)meta);
    PyObject *bases = PyTuple_Pack(1, with_meta);
    PyObject *ns = PyDict_New();
    PyObject *cls = type_call3("Derived", bases, ns);
    CHECK(cls != NULL && Py_TYPE(cls) == (PyTypeObject *)meta);
    PyObject *x = PyObject_CallNoArgs(cls);
    CHECK(x != NULL && Py_TYPE(x) == (PyTypeObject *)cls);
    Py_DECREF(x);
    /* Calling the metatype itself makes a class too. */
    PyObject *empty = PyTuple_New(0);
    PyObject *n = PyUnicode_FromString("Direct");
    PyObject *direct = PyObject_CallFunctionObjArgs(meta, n, empty, ns, NULL);
    CHECK(direct != NULL && Py_TYPE(direct) == (PyTypeObject *)meta);
    Py_DECREF(direct); Py_DECREF(n); Py_DECREF(empty);
    /* A base of a less derived metatype (int's is type) keeps the winner. */
    PyObject *two = PyTuple_Pack(2, with_meta, (PyObject *)&PyLong_Type);
    PyObject *ok = type_call3("Mixed", two, ns);
    CHECK(ok != NULL && Py_TYPE(ok) == (PyTypeObject *)meta);
    Py_XDECREF(ok);
    Py_DECREF(two);
    /* Bases of two unrelated metatypes conflict. */
    PyType_Spec other_meta_spec = {"test.OtherMeta", 0, 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, slots};
    PyObject *other_meta = PyType_FromSpecWithBases(&other_meta_spec, (PyObject *)&PyType_Type);
    PyType_Spec other_spec = {"test.WithOtherMeta", 0, 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, slots};
    PyObject *with_other = PyType_FromMetaclass((PyTypeObject *)other_meta, NULL, &other_spec, NULL);
    CHECK(other_meta && with_other);
    two = PyTuple_Pack(2, with_meta, with_other);
    CHECK(type_call3("Conflict", two, ns) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "metaclass conflict: the metaclass of a derived class must be a "
                                      "(non-strict) subclass of the metaclasses of all its bases");
    Py_DECREF(two); Py_DECREF(with_other); Py_DECREF(other_meta);
    Py_DECREF(cls); Py_DECREF(ns); Py_DECREF(bases); Py_DECREF(with_meta); Py_DECREF(meta);
    return 0;
}

/* __class__ reads every object's type; assigning it follows CPython's rules. */
static int class_attribute(void) {
    PyObject *a = make_class("A", PyDict_New());
    PyObject *b = make_class("B", PyDict_New());
    PyObject *x = PyObject_CallNoArgs(a);
    PyObject *five = PyLong_FromLong(5);
    PyObject *got = PyObject_GetAttrString(x, "__class__");
    CHECK(got == a);
    Py_DECREF(got);
    got = PyObject_GetAttrString(a, "__class__");
    CHECK(got == (PyObject *)&PyType_Type);
    Py_DECREF(got);
    got = PyObject_GetAttrString(five, "__class__");
    CHECK(got == (PyObject *)&PyLong_Type);
    Py_DECREF(got);
    /* Two classes with one layout: the instance changes class, and the classes'
     * references follow it. */
    Py_ssize_t a_refs = Py_REFCNT(a), b_refs = Py_REFCNT(b);
    CHECK(PyObject_SetAttrString(x, "__class__", b) == 0);
    CHECK(Py_TYPE(x) == (PyTypeObject *)b);
    CHECK(Py_REFCNT(a) == a_refs - 1 && Py_REFCNT(b) == b_refs + 1);
    CHECK(PyObject_SetAttrString(x, "attr", five) == 0);
    CHECK(PyObject_SetAttrString(x, "__class__", a) == 0);
    CHECK(Py_TYPE(x) == (PyTypeObject *)a);
    CHECK_INT(PyObject_GetAttrString(x, "attr"), 5);

    CHECK(PyObject_SetAttrString(x, "__class__", (PyObject *)&PyLong_Type) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "__class__ assignment only supported for mutable types or ModuleType subclasses");
    CHECK(PyObject_SetAttrString(five, "__class__", a) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "__class__ assignment only supported for mutable types or ModuleType subclasses");
    PyObject *plain = PyObject_CallNoArgs((PyObject *)&PyBaseObject_Type);
    CHECK(PyObject_SetAttrString(plain, "__class__", a) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "__class__ assignment only supported for mutable types or ModuleType subclasses");
    Py_DECREF(plain);
    CHECK(PyObject_SetAttrString(x, "__class__", five) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "__class__ must be set to a class, not 'int' object");
    CHECK(PyObject_DelAttrString(x, "__class__") == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "can't delete __class__ attribute");
    /* A subclass of int has another layout. */
    PyObject *int_base = PyTuple_Pack(1, (PyObject *)&PyLong_Type);
    PyObject *ns = PyDict_New();
    PyObject *i = type_call3("I", int_base, ns);
    CHECK(i != NULL);
    CHECK(PyObject_SetAttrString(x, "__class__", i) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "__class__ assignment: 'I' object layout differs from 'A'");
    CHECK(Py_TYPE(x) == (PyTypeObject *)a);
    Py_DECREF(i); Py_DECREF(ns); Py_DECREF(int_base);
    Py_DECREF(x); Py_DECREF(five); Py_DECREF(b); Py_DECREF(a);
    return 0;
}

static PyObject *last_hook_call;
static PyObject *record_hook(PyObject *self, PyObject *args, PyObject *kwargs) {
    Py_XSETREF(last_hook_call, Py_BuildValue("(OOO)", self, args, kwargs ? kwargs : Py_None));
    Py_RETURN_NONE;
}
static PyObject *refuse_hook(PyObject *self, PyObject *args, PyObject *kwargs) {
    (void)self; (void)args; (void)kwargs;
    PyErr_SetString(PyExc_RuntimeError, "hook refused");
    return NULL;
}
static PyMethodDef init_subclass_def = {"__init_subclass__", (PyCFunction)(void (*)(void))record_hook,
                                        METH_VARARGS | METH_KEYWORDS, NULL};
static PyMethodDef set_name_def = {"__set_name__", (PyCFunction)(void (*)(void))record_hook,
                                   METH_VARARGS | METH_KEYWORDS, NULL};
static PyMethodDef refusing_init_subclass_def = {"__init_subclass__", (PyCFunction)(void (*)(void))refuse_hook,
                                                 METH_VARARGS | METH_KEYWORDS, NULL};
static PyMethodDef refusing_set_name_def = {"__set_name__", (PyCFunction)(void (*)(void))refuse_hook,
                                            METH_VARARGS | METH_KEYWORDS, NULL};

/* type(name, bases, dict, **kwargs) hands the keyword arguments to the bases'
 * __init_subclass__; object's takes none. */
static int init_subclass_gets_the_keywords(void) {
    PyObject *t = (PyObject *)&PyType_Type;
    PyObject *empty = PyTuple_New(0);
    PyObject *kw = Py_BuildValue("{s:i}", "k", 1);
    PyObject *ns = PyDict_New();
    PyObject *args = Py_BuildValue("(sOO)", "A", empty, ns);
    CHECK(PyObject_Call(t, args, kw) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "A.__init_subclass__() takes no keyword arguments");
    Py_DECREF(args);
    PyObject *qns = Py_BuildValue("{s:s}", "__qualname__", "Q.A");
    args = Py_BuildValue("(sOO)", "A", empty, qns);
    CHECK(PyObject_Call(t, args, kw) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "Q.A.__init_subclass__() takes no keyword arguments");
    Py_DECREF(args); Py_DECREF(qns);
    /* Without keywords object's does nothing. */
    PyObject *base = make_class("Base", PyDict_New());
    PyObject *hook = PyDescr_NewClassMethod((PyTypeObject *)base, &init_subclass_def);
    CHECK(hook != NULL);
    CHECK(PyObject_SetAttrString(base, "__init_subclass__", hook) == 0);
    Py_DECREF(hook);
    CHECK(last_hook_call == NULL);
    PyObject *bases = PyTuple_Pack(1, base);
    args = Py_BuildValue("(sOO)", "Sub", bases, ns);
    PyObject *sub = PyObject_Call(t, args, kw);
    CHECK(sub != NULL);
    CHECK(last_hook_call != NULL && PyTuple_GET_ITEM(last_hook_call, 0) == sub);
    CHECK(PyTuple_GET_SIZE(PyTuple_GET_ITEM(last_hook_call, 1)) == 0);
    PyObject *got_kw = PyTuple_GET_ITEM(last_hook_call, 2);
    CHECK(PyDict_Check(got_kw) && PyDict_Size(got_kw) == 1);
    CHECK(PyLong_AsLong(PyDict_GetItemString(got_kw, "k")) == 1);
    Py_CLEAR(last_hook_call);
    /* A grandchild is handed to the same hook, without keywords. */
    PyObject *sub_bases = PyTuple_Pack(1, sub);
    PyObject *grandchild = type_call3("Grandchild", sub_bases, ns);
    CHECK(grandchild != NULL && last_hook_call != NULL && PyTuple_GET_ITEM(last_hook_call, 0) == grandchild);
    CHECK(PyTuple_GET_ITEM(last_hook_call, 2) == Py_None);
    Py_CLEAR(last_hook_call);
    Py_DECREF(grandchild); Py_DECREF(sub_bases); Py_DECREF(sub); Py_DECREF(args);
    /* A hook that raises: no class. */
    hook = PyDescr_NewClassMethod((PyTypeObject *)base, &refusing_init_subclass_def);
    CHECK(PyObject_SetAttrString(base, "__init_subclass__", hook) == 0);
    Py_DECREF(hook);
    CHECK(type_call3("Refused", bases, ns) == NULL);
    CHECK_ERROR_TEXT(PyExc_RuntimeError, "hook refused");
    Py_DECREF(bases); Py_DECREF(base);
    Py_DECREF(ns); Py_DECREF(kw); Py_DECREF(empty);
    return 0;
}

/* Each value of the dict whose type has __set_name__ is told its class and name. */
static int set_name_on_the_values(void) {
    PyObject *descr_cls = make_class("Named", PyDict_New());
    CHECK(set_method(descr_cls, &set_name_def) == 0);
    PyObject *d = PyObject_CallNoArgs(descr_cls);
    PyObject *ns = PyDict_New();
    PyDict_SetItemString(ns, "attr", d);
    PyDict_SetItemString(ns, "plain", Py_None);
    PyObject *owner = make_class("Owner", ns);
    CHECK(owner != NULL && last_hook_call != NULL);
    CHECK(PyTuple_GET_ITEM(last_hook_call, 0) == d);
    PyObject *args = PyTuple_GET_ITEM(last_hook_call, 1);
    CHECK(PyTuple_GET_SIZE(args) == 2 && PyTuple_GET_ITEM(args, 0) == owner);
    CHECK_TEXT(Py_NewRef(PyTuple_GET_ITEM(args, 1)), "attr");
    Py_CLEAR(last_hook_call);
    Py_DECREF(owner);
    CHECK(set_method(descr_cls, &refusing_set_name_def) == 0);
    ns = PyDict_New();
    PyDict_SetItemString(ns, "attr", d);
    CHECK(make_class("Refused", ns) == NULL);
    /* The error says where it came from in a note. */
    PyObject *raised = PyErr_GetRaisedException();
    CHECK(raised != NULL && PyErr_GivenExceptionMatches(raised, PyExc_RuntimeError));
    PyObject *notes = PyObject_GetAttrString(raised, "__notes__");
    CHECK(notes != NULL && PyList_Check(notes) && PyList_GET_SIZE(notes) == 1);
    CHECK_TEXT(Py_NewRef(PyList_GET_ITEM(notes, 0)), "Error calling __set_name__ on 'Named' instance 'attr' in 'Refused'");
    Py_DECREF(notes);
    PyErr_SetRaisedException(raised);
    CHECK_ERROR_TEXT(PyExc_RuntimeError, "hook refused");
    Py_DECREF(d); Py_DECREF(descr_cls);
    return 0;
}

/* Every class has a __doc__ of its own, None when the dict gives none. */
static int doc_defaults_to_none(void) {
    PyObject *a = make_class("A", PyDict_New());
    PyObject *x = PyObject_CallNoArgs(a);
    PyObject *doc = PyObject_GetAttrString(x, "__doc__");
    CHECK(doc == Py_None);
    Py_DECREF(doc);
    PyObject *dict = PyType_GetDict((PyTypeObject *)a);
    CHECK(PyDict_GetItemString(dict, "__doc__") == Py_None);
    Py_DECREF(dict);
    Py_DECREF(x); Py_DECREF(a);
    return 0;
}

/* type(name, bases or (), {'__module__': 'm', '__slots__': slots}) with `slots` built from `fmt`. */
static PyObject *slotted(const char *name, PyObject *bases, const char *fmt, ...) {
    va_list va;
    va_start(va, fmt);
    PyObject *slots = Py_VaBuildValue(fmt, va);
    va_end(va);
    /* A __module__: CPython names the type with it in a missing slot's error. */
    PyObject *ns = Py_BuildValue("{s:s}", "__module__", "m");
    PyDict_SetItemString(ns, "__slots__", slots);
    Py_DECREF(slots);
    PyObject *own_bases = bases ? Py_NewRef(bases) : PyTuple_New(0);
    PyObject *cls = type_call3(name, own_bases, ns);
    Py_DECREF(own_bases);
    Py_DECREF(ns);
    return cls;
}

/* Each slot is a member descriptor over a word of the instance; no instance dict. */
static int slots_are_members(void) {
    PyObject *s = slotted("S", NULL, "(ss)", "x", "y");
    CHECK(s != NULL);
    PyObject *x = PyObject_CallNoArgs(s);
    CHECK(x != NULL);
    CHECK(PyObject_GetAttrString(x, "x") == NULL);
    CHECK_ERROR_TEXT(PyExc_AttributeError, "'m.S' object has no attribute 'x'");
    PyObject *value = PyUnicode_FromString("value");
    Py_ssize_t before = Py_REFCNT(value);
    CHECK(PyObject_SetAttrString(x, "x", value) == 0);
    CHECK(PyObject_SetAttrString(x, "y", value) == 0);
    PyObject *got = PyObject_GetAttrString(x, "x");
    CHECK(got == value);
    Py_DECREF(got);
    CHECK(PyObject_DelAttrString(x, "x") == 0);
    CHECK(PyObject_DelAttrString(x, "x") == -1);
    CHECK_ERROR_TEXT(PyExc_AttributeError, "x");
    CHECK(PyObject_SetAttrString(x, "z", value) == -1);
    CHECK_ERROR_TEXT(PyExc_AttributeError, "'S' object has no attribute 'z' and no __dict__ for setting new attributes");
    CHECK(PyObject_GetAttrString(x, "__dict__") == NULL);
    CHECK_ERROR_TEXT(PyExc_AttributeError, "'S' object has no attribute '__dict__'");
    PyObject *dict = PyType_GetDict((PyTypeObject *)s);
    PyObject *descr = PyDict_GetItemString(dict, "x");
    CHECK(descr != NULL && Py_TYPE(descr) == &PyMemberDescr_Type);
    CHECK_REPR(descr, "<member 'x' of 'S' objects>");
    CHECK(PyDict_GetItemString(dict, "__dict__") == NULL && PyDict_GetItemString(dict, "__weakref__") == NULL);
    Py_DECREF(dict);
    /* The values go with the instance. */
    CHECK(Py_REFCNT(value) == before + 1);
    Py_DECREF(x);
    CHECK(Py_REFCNT(value) == before);

    /* A subclass without __slots__ adds a dict; both are released with it. */
    PyObject *bases = PyTuple_Pack(1, s);
    PyObject *ns = PyDict_New();
    PyObject *d = type_call3("D", bases, ns);
    Py_DECREF(ns); Py_DECREF(bases);
    CHECK(d != NULL);
    x = PyObject_CallNoArgs(d);
    CHECK(PyObject_SetAttrString(x, "y", value) == 0);
    CHECK(PyObject_SetAttrString(x, "z", value) == 0);
    got = PyObject_GetAttrString(x, "__dict__");
    CHECK(got && PyDict_Check(got) && PyDict_Size(got) == 1 && PyDict_GetItemString(got, "z") == value);
    Py_DECREF(got);
    CHECK(Py_REFCNT(value) == before + 2);
    Py_DECREF(x);
    CHECK(Py_REFCNT(value) == before);
    Py_DECREF(d);

    /* A str is one slot name; '__dict__' asks for the dict. */
    PyObject *one = slotted("One", NULL, "s", "abc");
    dict = PyType_GetDict((PyTypeObject *)one);
    CHECK(PyDict_GetItemString(dict, "abc") != NULL);
    Py_DECREF(dict);
    Py_DECREF(one);
    PyObject *with_dict = slotted("WithDict", NULL, "(ss)", "__dict__", "x");
    CHECK(with_dict != NULL);
    x = PyObject_CallNoArgs(with_dict);
    CHECK(PyObject_SetAttrString(x, "x", value) == 0 && PyObject_SetAttrString(x, "other", value) == 0);
    CHECK(Py_REFCNT(value) == before + 2);
    Py_DECREF(x);
    CHECK(Py_REFCNT(value) == before);
    Py_DECREF(with_dict);
    Py_DECREF(value); Py_DECREF(s);
    return 0;
}

/* __weakref__ is None while nothing refers weakly; private names are mangled. */
static int weakref_slot_and_mangling(void) {
    PyObject *w = slotted("W", NULL, "(s)", "__weakref__");
    CHECK(w != NULL);
    PyObject *x = PyObject_CallNoArgs(w);
    PyObject *got = PyObject_GetAttrString(x, "__weakref__");
    CHECK(got == Py_None);
    Py_DECREF(got);
    Py_DECREF(x);
    PyObject *plain = make_class("Plain", PyDict_New());
    x = PyObject_CallNoArgs(plain);
    got = PyObject_GetAttrString(x, "__weakref__");
    CHECK(got == Py_None);
    Py_DECREF(got);
    Py_DECREF(x);
    Py_DECREF(plain);
    Py_DECREF(w);

    PyObject *m = slotted("_X", NULL, "(ss)", "__p", "__q__");
    CHECK(m != NULL);
    PyObject *dict = PyType_GetDict((PyTypeObject *)m);
    CHECK(PyDict_GetItemString(dict, "_X__p") != NULL && PyDict_GetItemString(dict, "__q__") != NULL);
    CHECK(PyDict_GetItemString(dict, "__p") == NULL);
    Py_DECREF(dict);
    Py_DECREF(m);
    m = slotted("__", NULL, "(s)", "__p");
    dict = PyType_GetDict((PyTypeObject *)m);
    CHECK(PyDict_GetItemString(dict, "__p") != NULL);
    Py_DECREF(dict);
    Py_DECREF(m);
    return 0;
}

static int slots_errors(void) {
    CHECK(slotted("X", NULL, "(i)", 1) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "__slots__ items must be strings, not 'int'");
    CHECK(slotted("X", NULL, "i", 3) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'int' object is not iterable");
    CHECK(slotted("X", NULL, "(s)", "1x") == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "__slots__ must be identifiers");
    CHECK(slotted("X", NULL, "(ss)", "__dict__", "__dict__") == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "__dict__ slot disallowed: we already got one");
    CHECK(slotted("X", NULL, "(ss)", "__weakref__", "__weakref__") == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "__weakref__ slot disallowed: we already got one");
    PyObject *plain = make_class("Plain", PyDict_New());
    PyObject *bases = PyTuple_Pack(1, plain);
    CHECK(slotted("X", bases, "(s)", "__dict__") == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "__dict__ slot disallowed: we already got one");
    Py_DECREF(bases);
    PyObject *ints = PyTuple_Pack(1, (PyObject *)&PyLong_Type);
    CHECK(slotted("X", ints, "(s)", "x") == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "nonempty __slots__ not supported for subtype of 'int'");
    PyObject *ok = slotted("X", ints, "()");
    CHECK(ok != NULL);
    Py_DECREF(ok); Py_DECREF(ints);
    PyObject *ns = Py_BuildValue("{s:(s),s:i}", "__slots__", "x", "x", 1);
    CHECK(make_class("X", ns) == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "'x' in __slots__ conflicts with class variable");

    /* Two bases that both add slots cannot be combined; two plain classes can, and a
     * plain class beside a slotted one brings its dict. */
    PyObject *s = slotted("S", NULL, "(s)", "x"), *u = slotted("U", NULL, "(s)", "y");
    PyObject *both = PyTuple_Pack(2, s, u);
    ns = PyDict_New();
    CHECK(type_call3("X", both, ns) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "multiple bases have instance lay-out conflict");
    Py_DECREF(both);
    PyObject *other = make_class("Other", PyDict_New());
    both = PyTuple_Pack(2, plain, other);
    PyObject *x = type_call3("X", both, ns);
    CHECK(x != NULL);
    Py_DECREF(x); Py_DECREF(both);
    both = PyTuple_Pack(2, s, plain);
    x = type_call3("X", both, ns);
    CHECK(x != NULL);
    PyObject *inst = PyObject_CallNoArgs(x);
    CHECK(PyObject_SetAttrString(inst, "x", Py_None) == 0 && PyObject_SetAttrString(inst, "free", Py_None) == 0);
    Py_DECREF(inst); Py_DECREF(x); Py_DECREF(both);
    Py_DECREF(ns); Py_DECREF(other); Py_DECREF(s); Py_DECREF(u); Py_DECREF(plain);
    return 0;
}

/* __class__ may move between classes with the same slots, not between others. */
static int class_assignment_with_slots(void) {
    PyObject *s = slotted("S", NULL, "(s)", "x"), *t = slotted("T", NULL, "(s)", "x");
    PyObject *u = slotted("U", NULL, "(s)", "y");
    PyObject *plain = make_class("Plain", PyDict_New());
    PyObject *x = PyObject_CallNoArgs(s);
    CHECK(PyObject_SetAttrString(x, "__class__", t) == 0);
    CHECK(Py_TYPE(x) == (PyTypeObject *)t);
    CHECK(PyObject_SetAttrString(x, "__class__", u) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "__class__ assignment: 'U' object layout differs from 'T'");
    CHECK(PyObject_SetAttrString(x, "__class__", plain) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "__class__ assignment: 'Plain' object layout differs from 'T'");
    Py_DECREF(x);
    Py_DECREF(plain); Py_DECREF(u); Py_DECREF(t); Py_DECREF(s);
    return 0;
}

/* A class made in an isolated interpreter works there and dies with its objects. */
static int classes_in_isolated_interpreters(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *sub;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
    PyObject *ns = PyDict_New();
    put_function(ns, &len3);
    PyObject *cls = make_class("Sized", ns);
    PyObject *x = PyObject_CallNoArgs(cls);
    CHECK(x && PyObject_Size(x) == 3);
    CHECK(PyObject_SetAttrString(x, "a", Py_None) == 0);
    Py_DECREF(x); Py_DECREF(cls);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    return 0;
}

#ifndef ISLE_ISLE_H
typedef struct IsleMemoryStats {
    size_t live_blocks;
    size_t live_bytes;
    size_t pages;
} IsleMemoryStats;
#endif
/* isle's heap figures (weak: absent when linked against CPython, which skips this). */
extern int Isle_InterpreterMemory(PyInterpreterState *interp, IsleMemoryStats *out) __attribute__((weak));

static size_t live_blocks(void) {
    IsleMemoryStats stats;
    if (!Isle_InterpreterMemory || Isle_InterpreterMemory(PyInterpreterState_Main(), &stats) != 0) return 0;
    return stats.live_blocks;
}

/* The other cases keep objects (interned names, type dicts made on first use); run
 * again, they must leave nothing more: classes, instances and dicts are all freed. */
static int repeating_leaves_nothing(void) {
    int (*const bodies[])(void) = {
        argument_counts_and_types, bad_bases, names_module_and_doc, instances_have_a_dict, len_from_the_dict,
        setting_a_dunder_later, comparison_hash_call_and_add, iteration_and_init, subclasses,
        instance_dict_attribute, attribute_and_descriptor_hooks, number_and_truth_dunders,
        later_dunders_reach_subclasses, metatype_from_the_bases, class_attribute, init_subclass_gets_the_keywords,
        set_name_on_the_values, doc_defaults_to_none, slots_are_members, weakref_slot_and_mangling, slots_errors,
        class_assignment_with_slots,
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        CHECK(bodies[i]() == 0);
        size_t before = live_blocks();
        CHECK(bodies[i]() == 0 && bodies[i]() == 0);
        if (live_blocks() != before) fprintf(stderr, "  body %zu: %zu blocks before, %zu after\n", i, before, live_blocks());
        CHECK(live_blocks() == before);
    }
    return 0;
}

static const TestCase cases[] = {
    KEEPS_OBJECTS(argument_counts_and_types),
    KEEPS_OBJECTS(bad_bases),
    KEEPS_OBJECTS(names_module_and_doc),
    KEEPS_OBJECTS(instances_have_a_dict),
    KEEPS_OBJECTS(len_from_the_dict),
    KEEPS_OBJECTS(setting_a_dunder_later),
    KEEPS_OBJECTS(comparison_hash_call_and_add),
    KEEPS_OBJECTS(iteration_and_init),
    KEEPS_OBJECTS(subclasses),
    KEEPS_OBJECTS(instance_dict_attribute),
    KEEPS_OBJECTS(attribute_and_descriptor_hooks),
    KEEPS_OBJECTS(number_and_truth_dunders),
    KEEPS_OBJECTS(later_dunders_reach_subclasses),
    KEEPS_OBJECTS(metatype_from_the_bases),
    KEEPS_OBJECTS(class_attribute),
    KEEPS_OBJECTS(init_subclass_gets_the_keywords),
    KEEPS_OBJECTS(set_name_on_the_values),
    KEEPS_OBJECTS(doc_defaults_to_none),
    KEEPS_OBJECTS(slots_are_members),
    KEEPS_OBJECTS(weakref_slot_and_mangling),
    KEEPS_OBJECTS(slots_errors),
    KEEPS_OBJECTS(class_assignment_with_slots),
    CASE(classes_in_isolated_interpreters),
    KEEPS_OBJECTS(repeating_leaves_nothing),
};
TEST_MAIN(cases)
