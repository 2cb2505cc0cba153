/* Exception instances from C: calling the exception types, args, with_traceback,
 * add_note and __notes__, SystemExit.code, StopIteration.value, KeyError's str, and
 * the PyException_* accessors. Also runs against CPython 3.13 (make reference), so
 * every expectation below is CPython's. */
#include "checks.h"

static int calling_the_types(void) {
    PyObject *e = PyObject_CallFunction(PyExc_ValueError, "si", "bad", 3);
    CHECK(e != NULL);
    CHECK(Py_TYPE(e) == (PyTypeObject *)PyExc_ValueError);
    CHECK_REPR(e, "ValueError('bad', 3)");
    CHECK_TEXT(PyObject_Str(e), "('bad', 3)");
    CHECK_NEW_REPR(PyException_GetArgs(e), "('bad', 3)");
    Py_DECREF(e);
    e = PyObject_CallNoArgs(PyExc_RuntimeError);
    CHECK_REPR(e, "RuntimeError()");
    CHECK_TEXT(PyObject_Str(e), "");
    Py_DECREF(e);
    e = PyObject_CallFunction(PyExc_KeyError, "s", "k");
    CHECK_TEXT(PyObject_Str(e), "'k'");
    Py_DECREF(e);

    PyObject *args = PyTuple_New(0);
    PyObject *kwargs = Py_BuildValue("{s:i}", "x", 1);
    CHECK(PyObject_Call(PyExc_ValueError, args, kwargs) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "ValueError() takes no keyword arguments");
    Py_DECREF(kwargs);
    Py_DECREF(args);

    /* A class made by PyErr_NewException is callable too. */
    PyObject *cls = PyErr_NewException("mod.MyError", PyExc_ValueError, NULL);
    CHECK(cls != NULL);
    e = PyObject_CallFunction(cls, "s", "m");
    CHECK(e != NULL && PyErr_GivenExceptionMatches(e, PyExc_ValueError));
    CHECK_REPR(e, "MyError('m')");
    Py_DECREF(e);
    Py_DECREF(cls);
    return 0;
}

static int args_traceback_and_notes(void) {
    PyObject *e = PyObject_CallFunction(PyExc_ValueError, "s", "a");
    PyObject *list = Py_BuildValue("[ii]", 1, 2);
    CHECK(PyObject_SetAttrString(e, "args", list) == 0);
    Py_DECREF(list);
    CHECK_NEW_REPR(PyObject_GetAttrString(e, "args"), "(1, 2)");
    PyObject *five = PyLong_FromLong(5);
    CHECK(PyObject_SetAttrString(e, "args", five) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'int' object is not iterable");
    CHECK(PyObject_DelAttrString(e, "args") == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "args may not be deleted");

    PyObject *same = PyObject_CallMethod(e, "with_traceback", "O", Py_None);
    CHECK(same == e);
    Py_DECREF(same);
    CHECK(PyObject_CallMethod(e, "with_traceback", "O", five) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "__traceback__ must be a traceback or None");
    CHECK(PyException_SetTraceback(e, Py_None) == 0);
    CHECK(PyException_SetTraceback(e, five) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "__traceback__ must be a traceback or None");
    CHECK_NEW_REPR(PyObject_GetAttrString(e, "__traceback__"), "None");

    CHECK(PyObject_CallMethod(e, "add_note", "O", five) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "note must be a str, not 'int'");
    CHECK_NEW_REPR(PyObject_CallMethod(e, "add_note", "s", "n1"), "None");
    CHECK_NEW_REPR(PyObject_CallMethod(e, "add_note", "s", "n2"), "None");
    CHECK_NEW_REPR(PyObject_GetAttrString(e, "__notes__"), "['n1', 'n2']");
    CHECK(PyObject_SetAttrString(e, "__notes__", five) == 0);
    CHECK(PyObject_CallMethod(e, "add_note", "s", "n3") == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "Cannot add note: __notes__ is not a list");
    Py_DECREF(five);
    Py_DECREF(e);
    return 0;
}

static int cause_and_context(void) {
    PyObject *e = PyObject_CallNoArgs(PyExc_ValueError);
    PyObject *cause = PyObject_CallFunction(PyExc_KeyError, "i", 1);
    PyObject *context = PyObject_CallNoArgs(PyExc_TypeError);
    CHECK_NEW_REPR(PyObject_GetAttrString(e, "__suppress_context__"), "False");
    PyException_SetCause(e, Py_NewRef(cause));
    CHECK_NEW_REPR(PyObject_GetAttrString(e, "__suppress_context__"), "True");
    PyObject *got = PyException_GetCause(e);
    CHECK(got == cause);
    Py_DECREF(got);
    PyException_SetContext(e, Py_NewRef(context));
    got = PyException_GetContext(e);
    CHECK(got == context);
    Py_DECREF(got);
    CHECK_NEW_REPR(PyObject_GetAttrString(e, "__context__"), "TypeError()");
    CHECK(PyObject_SetAttrString(e, "__cause__", Py_None) == 0);
    CHECK(PyException_GetCause(e) == NULL);
    CHECK(PyObject_SetAttrString(e, "__context__", cause) == 0);
    CHECK_NEW_REPR(PyObject_GetAttrString(e, "__context__"), "KeyError(1)");
    PyObject *one = PyLong_FromLong(1);
    CHECK(PyObject_SetAttrString(e, "__cause__", one) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "exception cause must be None or derive from BaseException");
    Py_DECREF(one);
    PyObject *args = Py_BuildValue("(s)", "new");
    PyException_SetArgs(e, args);
    Py_DECREF(args);
    CHECK_REPR(e, "ValueError('new')");
    Py_DECREF(e);
    Py_DECREF(cause);
    Py_DECREF(context);
    return 0;
}

static int system_exit_and_stop_iteration(void) {
    PyObject *e = PyObject_CallNoArgs(PyExc_SystemExit);
    CHECK_NEW_REPR(PyObject_GetAttrString(e, "code"), "None");
    Py_DECREF(e);
    e = PyObject_CallFunction(PyExc_SystemExit, "i", 3);
    CHECK_NEW_REPR(PyObject_GetAttrString(e, "code"), "3");
    PyObject *seven = PyLong_FromLong(7);
    CHECK(PyObject_SetAttrString(e, "code", seven) == 0);
    Py_DECREF(seven);
    CHECK_NEW_REPR(PyObject_GetAttrString(e, "code"), "7");
    CHECK_NEW_REPR(PyObject_GetAttrString(e, "args"), "(3,)");
    Py_DECREF(e);
    e = PyObject_CallFunction(PyExc_SystemExit, "ii", 1, 2);
    CHECK_NEW_REPR(PyObject_GetAttrString(e, "code"), "(1, 2)");
    Py_DECREF(e);

    e = PyObject_CallNoArgs(PyExc_StopIteration);
    CHECK_NEW_REPR(PyObject_GetAttrString(e, "value"), "None");
    Py_DECREF(e);
    e = PyObject_CallFunction(PyExc_StopIteration, "ii", 4, 5);
    CHECK_NEW_REPR(PyObject_GetAttrString(e, "value"), "4");
    Py_DECREF(e);

    /* Raised from C, the value is there too once the exception is normalized. */
    PyObject *v = PyUnicode_FromString("done");
    PyErr_SetObject(PyExc_StopIteration, v);
    Py_DECREF(v);
    e = PyErr_GetRaisedException();
    CHECK(e != NULL);
    CHECK_NEW_REPR(PyObject_GetAttrString(e, "value"), "'done'");
    Py_DECREF(e);
    return 0;
}

static const TestCase cases[] = {
    KEEPS_OBJECTS(calling_the_types),
    KEEPS_OBJECTS(args_traceback_and_notes),
    KEEPS_OBJECTS(cause_and_context),
    KEEPS_OBJECTS(system_exit_and_stop_iteration),
};

TEST_MAIN(cases)
