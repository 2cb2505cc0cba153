/* int, float, bool and the number protocol. */
#include "harness.h"
#include <float.h>
#include <math.h>

/* ---- helpers --------------------------------------------------------------- */

/* True when conv(o) (repr or str) is the text `text`; steals `o` (which may be NULL:
 * then false). */
static int text_is(PyObject *(*conv)(PyObject *), PyObject *o, const char *text) {
    if (o == NULL) {
        fprintf(stderr, "  got NULL (expected \"%s\")\n", text);
        return 0;
    }
    PyObject *r = conv(o);
    Py_DECREF(o);
    if (r == NULL) return 0;
    const char *u = PyUnicode_AsUTF8AndSize(r, NULL);
    int same = u != NULL && strcmp(u, text) == 0;
    if (!same) fprintf(stderr, "  got \"%s\", expected \"%s\"\n", u ? u : "(null)", text);
    Py_DECREF(r);
    return same;
}
#define CHECK_REPR(o, text) CHECK(text_is(PyObject_Repr, (o), (text)))
#define CHECK_STR_OF(o, text) CHECK(text_is(PyObject_Str, (o), (text)))

/* True when the pending exception is an `exc` whose str() is `text` (any text when
 * NULL); clears it. */
static int raised(PyObject *exc, const char *text) {
    PyObject *e = PyErr_GetRaisedException();
    if (e == NULL) {
        fprintf(stderr, "  no exception raised (expected %s)\n", ((PyTypeObject *)exc)->tp_name);
        return 0;
    }
    int ok = PyErr_GivenExceptionMatches(e, exc);
    if (!ok) fprintf(stderr, "  raised %s, expected %s\n", Py_TYPE(e)->tp_name, ((PyTypeObject *)exc)->tp_name);
    if (ok && text != NULL) {
        PyObject *s = PyObject_Str(e);
        const char *u = s ? PyUnicode_AsUTF8AndSize(s, NULL) : NULL;
        ok = u != NULL && strcmp(u, text) == 0;
        if (!ok) fprintf(stderr, "  message: got \"%s\", expected \"%s\"\n", u ? u : "(null)", text);
        Py_XDECREF(s);
    }
    Py_DECREF(e);
    return ok;
}
#define CHECK_ERROR(exc, text) CHECK(raised((exc), (text)))

static PyObject *num(const char *text) { return PyLong_FromString(text, NULL, 0); }
static PyObject *str(const char *text) { return PyUnicode_FromStringAndSize(text, (Py_ssize_t)strlen(text)); }

/* Applies a binary API function and checks the repr of the result; steals a and b. */
static int binop_is(PyObject *(*f)(PyObject *, PyObject *), PyObject *a, PyObject *b, const char *text) {
    if (a == NULL || b == NULL) return 0;
    PyObject *r = f(a, b);
    Py_DECREF(a);
    Py_DECREF(b);
    return text_is(PyObject_Repr, r, text);
}
#define CHECK_BINOP(f, a, b, text) CHECK(binop_is((f), (a), (b), (text)))

/* Applies a binary API function expecting `exc` with message `text`; steals a and b. */
static int binop_fails(PyObject *(*f)(PyObject *, PyObject *), PyObject *a, PyObject *b, PyObject *exc,
                       const char *text) {
    if (a == NULL || b == NULL) return 0;
    PyObject *r = f(a, b);
    Py_DECREF(a);
    Py_DECREF(b);
    if (r != NULL) {
        Py_DECREF(r);
        fprintf(stderr, "  operation succeeded, expected an error\n");
        return 0;
    }
    return raised(exc, text);
}
#define CHECK_BINOP_FAILS(f, a, b, exc, text) CHECK(binop_fails((f), (a), (b), (exc), (text)))

/* f(a, b), stealing a and b (either may be NULL: then NULL). */
static PyObject *call2(PyObject *(*f)(PyObject *, PyObject *), PyObject *a, PyObject *b) {
    PyObject *r = (a != NULL && b != NULL) ? f(a, b) : NULL;
    Py_XDECREF(a);
    Py_XDECREF(b);
    return r;
}

/* f(a), stealing a. */
static PyObject *call1(PyObject *(*f)(PyObject *), PyObject *a) {
    PyObject *r = a != NULL ? f(a) : NULL;
    Py_XDECREF(a);
    return r;
}

/* pow(a, b, m) of C longs. */
static PyObject *pow3(long a, long b, long m) {
    PyObject *x = PyLong_FromLong(a), *y = PyLong_FromLong(b), *z = PyLong_FromLong(m);
    PyObject *r = PyNumber_Power(x, y, z);
    Py_DECREF(x);
    Py_DECREF(y);
    Py_DECREF(z);
    return r;
}

static PyObject *pow2(PyObject *a, PyObject *b) { return PyNumber_Power(a, b, Py_None); }
static PyObject *ipow2(PyObject *a, PyObject *b) { return PyNumber_InPlacePower(a, b, Py_None); }

/* 2**n as a new int. */
static PyObject *two_to(long n) { return call2(PyNumber_Lshift, PyLong_FromLong(1), PyLong_FromLong(n)); }

/* rich comparison as 0/1; steals a and b. */
static int cmp(PyObject *a, PyObject *b, int op) {
    int r = PyObject_RichCompareBool(a, b, op);
    Py_DECREF(a);
    Py_DECREF(b);
    return r;
}

/* ---- helper types (static, filled by hand: no PyType_Ready needed) ------------ */

/* A type whose __index__ gives 7. */
static PyObject *seven(PyObject *self) { return PyLong_FromLong(7); }
static PyNumberMethods indexable_number = {.nb_index = seven};
static PyTypeObject IndexableType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0).tp_name = "test.Indexable",
    .tp_basicsize = sizeof(PyObject),
    .tp_as_number = &indexable_number,
};

/* A type whose __float__ gives 2.5. */
static PyObject *two_and_a_half(PyObject *self) { return PyFloat_FromDouble(2.5); }
static PyNumberMethods float_like_number = {.nb_float = two_and_a_half};
static PyTypeObject FloatLikeType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0).tp_name = "test.FloatLike",
    .tp_basicsize = sizeof(PyObject),
    .tp_as_number = &float_like_number,
};

/* A type whose __index__ and __int__ give a float, and __float__ an int. */
static PyObject *a_float(PyObject *self) { return PyFloat_FromDouble(1.5); }
static PyNumberMethods bad_number = {.nb_index = a_float, .nb_int = a_float, .nb_float = seven};
static PyTypeObject BadNumberType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0).tp_name = "test.BadNumber",
    .tp_basicsize = sizeof(PyObject),
    .tp_as_number = &bad_number,
};

static PyObject *new_instance(PyTypeObject *type) {
    PyObject *o = PyObject_Malloc(type->tp_basicsize);
    if (o == NULL) return NULL;
    memset(o, 0, (size_t)type->tp_basicsize);
    o->ob_refcnt = 1;
    o->ob_type = type;
    return o;
}

/* A subclass of int whose + answers 999 (or declines, for the second type). */
static PyObject *answer_999(PyObject *a, PyObject *b) { return PyLong_FromLong(999); }
static PyObject *decline(PyObject *a, PyObject *b) { Py_RETURN_NOTIMPLEMENTED; }
static PyNumberMethods my_int_number = {.nb_add = answer_999};
static PyObject *itself(PyObject *self) { return Py_NewRef(self); }
static PyNumberMethods shy_int_number = {.nb_add = decline, .nb_int = itself, .nb_index = itself};
static PyTypeObject MyIntType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0).tp_name = "test.MyInt",
    .tp_basicsize = sizeof(PyLongObject),
    .tp_as_number = &my_int_number,
    .tp_flags = Py_TPFLAGS_LONG_SUBCLASS,
    .tp_base = &PyLong_Type,
};
static PyTypeObject ShyIntType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0).tp_name = "test.ShyInt",
    .tp_basicsize = sizeof(PyLongObject),
    .tp_as_number = &shy_int_number,
    .tp_flags = Py_TPFLAGS_LONG_SUBCLASS,
    .tp_base = &PyLong_Type,
};

/* An instance holding `value`, a positive int of one digit. */
static PyObject *new_int_subclass(PyTypeObject *type, digit value) {
    PyLongObject *o = (PyLongObject *)new_instance(type);
    if (o == NULL) return NULL;
    o->long_value.lv_tag = 1 << _PyLong_NON_SIZE_BITS;
    o->long_value.ob_digit[0] = value;
    return (PyObject *)o;
}

/* A sequence: concatenation answers "concat", repetition the count. */
static PyObject *concat(PyObject *a, PyObject *b) { return PyUnicode_FromStringAndSize("concat", 6); }
static PyObject *repeat(PyObject *a, Py_ssize_t n) { return PyLong_FromSsize_t(n); }
static PyObject *inplace_repeat(PyObject *a, Py_ssize_t n) { return PyLong_FromSsize_t(-n); }
static PySequenceMethods seq_methods = {.sq_concat = concat, .sq_repeat = repeat, .sq_inplace_repeat = inplace_repeat};
static PyTypeObject SeqType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0).tp_name = "test.Seq",
    .tp_basicsize = sizeof(PyObject),
    .tp_as_sequence = &seq_methods,
};

/* ---- int construction and conversion ---------------------------------------- */

static int long_from_and_as_c_types(void) {
    long values[] = {0, 1, -1, -5, 256, 257, -6, LONG_MAX, LONG_MIN, 123456789};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        PyObject *o = PyLong_FromLong(values[i]);
        CHECK(o != NULL && PyLong_CheckExact(o));
        CHECK(PyLong_AsLong(o) == values[i]);
        CHECK(PyLong_AsLongLong(o) == values[i]);
        CHECK(PyLong_AsSsize_t(o) == values[i]);
        Py_DECREF(o);
    }
    /* Small ints are shared. */
    PyObject *a = PyLong_FromLong(42), *b = PyLong_FromSsize_t(42);
    CHECK(a == b);
    Py_DECREF(a);
    Py_DECREF(b);
    CHECK_REPR(PyLong_FromLongLong(LLONG_MIN), "-9223372036854775808");
    CHECK_REPR(PyLong_FromUnsignedLong(ULONG_MAX), "18446744073709551615");
    CHECK_REPR(PyLong_FromUnsignedLongLong(1ULL << 63), "9223372036854775808");
    CHECK_REPR(PyLong_FromSize_t(SIZE_MAX), "18446744073709551615");
    CHECK_REPR(PyLong_FromSsize_t(PY_SSIZE_T_MIN), "-9223372036854775808");

    PyObject *big = PyLong_FromUnsignedLongLong(ULLONG_MAX);
    CHECK(PyLong_AsUnsignedLongLong(big) == ULLONG_MAX);
    CHECK(PyLong_AsUnsignedLong(big) == ULONG_MAX);
    CHECK(PyLong_AsSize_t(big) == SIZE_MAX);
    CHECK_NO_ERROR();
    CHECK(PyLong_AsLong(big) == -1);
    CHECK_ERROR(PyExc_OverflowError, "Python int too large to convert to C long");
    CHECK(PyLong_AsLongLong(big) == -1);
    CHECK_ERROR(PyExc_OverflowError, "int too big to convert");
    CHECK(PyLong_AsSsize_t(big) == -1);
    CHECK_ERROR(PyExc_OverflowError, "Python int too large to convert to C ssize_t");
    Py_DECREF(big);

    PyObject *m = PyLong_FromLong(-1);
    CHECK(PyLong_AsUnsignedLong(m) == (unsigned long)-1);
    CHECK_ERROR(PyExc_OverflowError, "can't convert negative value to unsigned int");
    CHECK(PyLong_AsUnsignedLongLong(m) == (unsigned long long)-1);
    CHECK_ERROR(PyExc_OverflowError, "can't convert negative int to unsigned");
    CHECK(PyLong_AsSize_t(m) == (size_t)-1);
    CHECK_ERROR(PyExc_OverflowError, "can't convert negative value to size_t");
    Py_DECREF(m);
    return 0;
}

static int long_as_int(void) {
    PyObject *o = PyLong_FromLong(INT_MAX);
    CHECK(PyLong_AsInt(o) == INT_MAX);
    Py_DECREF(o);
    o = PyLong_FromLong((long)INT_MAX + 1);
    CHECK(PyLong_AsInt(o) == -1);
    CHECK_ERROR(PyExc_OverflowError, "Python int too large to convert to C int");
    Py_DECREF(o);
    o = num("-100000000000000000000");
    CHECK(PyLong_AsInt(o) == -1);
    CHECK_ERROR(PyExc_OverflowError, "Python int too large to convert to C int");
    Py_DECREF(o);
    return 0;
}

static int long_too_big_for_unsigned(void) {
    PyObject *o = num("18446744073709551616"); /* 2**64 */
    CHECK(PyLong_AsUnsignedLong(o) == (unsigned long)-1);
    CHECK_ERROR(PyExc_OverflowError, "Python int too large to convert to C unsigned long");
    CHECK(PyLong_AsUnsignedLongLong(o) == (unsigned long long)-1);
    CHECK_ERROR(PyExc_OverflowError, "int too big to convert");
    CHECK(PyLong_AsSize_t(o) == (size_t)-1);
    CHECK_ERROR(PyExc_OverflowError, "Python int too large to convert to C size_t");
    Py_DECREF(o);
    o = num("-18446744073709551616");
    CHECK(PyLong_AsUnsignedLong(o) == (unsigned long)-1);
    CHECK_ERROR(PyExc_OverflowError, "can't convert negative value to unsigned int");
    Py_DECREF(o);
    return 0;
}

static int long_and_overflow(void) {
    int overflow = 99;
    PyObject *o = num("18446744073709551621"); /* 2**64 + 5 */
    CHECK(PyLong_AsLongAndOverflow(o, &overflow) == -1 && overflow == 1);
    CHECK_NO_ERROR();
    overflow = 99;
    CHECK(PyLong_AsLongLongAndOverflow(o, &overflow) == -1 && overflow == 1);
    Py_DECREF(o);
    o = num("-18446744073709551621");
    CHECK(PyLong_AsLongAndOverflow(o, &overflow) == -1 && overflow == -1);
    Py_DECREF(o);
    o = PyLong_FromLong(LONG_MIN);
    CHECK(PyLong_AsLongAndOverflow(o, &overflow) == LONG_MIN && overflow == 0);
    Py_DECREF(o);
    o = new_instance(&IndexableType);
    CHECK(PyLong_AsLongAndOverflow(o, &overflow) == 7 && overflow == 0);
    Py_DECREF(o);
    o = PyFloat_FromDouble(1.0);
    overflow = 99;
    CHECK(PyLong_AsLongAndOverflow(o, &overflow) == -1 && overflow == 0);
    CHECK_ERROR(PyExc_TypeError, "'float' object cannot be interpreted as an integer");
    Py_DECREF(o);
    return 0;
}

static int long_masks(void) {
    PyObject *o = PyLong_FromLong(-1);
    CHECK(PyLong_AsUnsignedLongMask(o) == ULONG_MAX);
    CHECK(PyLong_AsUnsignedLongLongMask(o) == ULLONG_MAX);
    Py_DECREF(o);
    o = num("18446744073709551621");
    CHECK(PyLong_AsUnsignedLongMask(o) == 5);
    Py_DECREF(o);
    o = num("-18446744073709551621");
    CHECK(PyLong_AsUnsignedLongLongMask(o) == 18446744073709551611ULL);
    Py_DECREF(o);
    CHECK_NO_ERROR();
    o = new_instance(&IndexableType);
    CHECK(PyLong_AsUnsignedLongMask(o) == 7);
    Py_DECREF(o);
    o = str("1");
    CHECK(PyLong_AsUnsignedLongLongMask(o) == (unsigned long long)-1);
    CHECK_ERROR(PyExc_TypeError, "'str' object cannot be interpreted as an integer");
    Py_DECREF(o);
    return 0;
}

static int long_index_rules(void) {
    /* AsLong, AsInt, AsLongLong call __index__ ... */
    PyObject *ix = new_instance(&IndexableType);
    CHECK(PyLong_AsLong(ix) == 7);
    CHECK(PyLong_AsInt(ix) == 7);
    CHECK(PyLong_AsLongLong(ix) == 7);
    /* ... the unsigned, size and double conversions want an int. */
    CHECK(PyLong_AsUnsignedLong(ix) == (unsigned long)-1);
    CHECK_ERROR(PyExc_TypeError, "an integer is required");
    CHECK(PyLong_AsUnsignedLongLong(ix) == (unsigned long long)-1);
    CHECK_ERROR(PyExc_TypeError, "an integer is required");
    CHECK(PyLong_AsSsize_t(ix) == -1);
    CHECK_ERROR(PyExc_TypeError, "an integer is required");
    CHECK(PyLong_AsSize_t(ix) == (size_t)-1);
    CHECK_ERROR(PyExc_TypeError, "an integer is required");
    CHECK(PyLong_AsDouble(ix) == -1.0);
    CHECK_ERROR(PyExc_TypeError, "an integer is required");
    Py_DECREF(ix);

    PyObject *f = PyFloat_FromDouble(3.0);
    CHECK(PyLong_AsLong(f) == -1);
    CHECK_ERROR(PyExc_TypeError, "'float' object cannot be interpreted as an integer");
    Py_DECREF(f);
    PyObject *bad = new_instance(&BadNumberType);
    CHECK(PyLong_AsLong(bad) == -1);
    CHECK_ERROR(PyExc_TypeError, "__index__ returned non-int (type float)");
    Py_DECREF(bad);
    return 0;
}

static int null_arguments(void) {
    CHECK(PyLong_AsLong(NULL) == -1);
    CHECK_ERROR(PyExc_SystemError, "bad argument to internal function");
    CHECK(PyLong_AsUnsignedLongLong(NULL) == (unsigned long long)-1);
    CHECK_ERROR(PyExc_SystemError, NULL);
    CHECK(PyLong_AsDouble(NULL) == -1.0);
    CHECK_ERROR(PyExc_SystemError, NULL);
    CHECK(PyLong_FromString(NULL, NULL, 10) == NULL);
    CHECK_ERROR(PyExc_SystemError, NULL);
    int overflow;
    CHECK(PyLong_AsLongAndOverflow(NULL, &overflow) == -1 && overflow == 0);
    CHECK_ERROR(PyExc_SystemError, NULL);
    /* CPython answers PyErr_BadArgument() here. */
    CHECK(PyFloat_AsDouble(NULL) == -1.0);
    CHECK_ERROR(PyExc_TypeError, "bad argument type for built-in operation");
    CHECK(PyFloat_FromString(NULL) == NULL);
    CHECK_ERROR(PyExc_SystemError, NULL);
    PyObject *one = PyLong_FromLong(1);
    CHECK(PyNumber_Add(one, NULL) == NULL);
    CHECK_ERROR(PyExc_SystemError, NULL);
    CHECK(PyNumber_InPlaceOr(NULL, one) == NULL);
    CHECK_ERROR(PyExc_SystemError, NULL);
    CHECK(PyNumber_Power(NULL, one, Py_None) == NULL);
    CHECK_ERROR(PyExc_SystemError, NULL);
    CHECK(PyNumber_Negative(NULL) == NULL);
    CHECK_ERROR(PyExc_SystemError, NULL);
    CHECK(PyNumber_Index(NULL) == NULL);
    CHECK_ERROR(PyExc_SystemError, NULL);
    CHECK(PyNumber_AsSsize_t(NULL, NULL) == -1);
    CHECK_ERROR(PyExc_SystemError, NULL);
    Py_DECREF(one);
    CHECK(PyNumber_Check(NULL) == 0);
    CHECK(PyIndex_Check(NULL) == 0);
    CHECK_NO_ERROR();
    return 0;
}

/* ---- PyLong_FromString --------------------------------------------------------- */

static int long_from_string(void) {
    const char *text = "123456789012345678901234567890";
    char *end = NULL;
    PyObject *x = PyLong_FromString(text, &end, 10);
    CHECK(x != NULL && end == text + strlen(text));
    PyObject *three = PyLong_FromLong(3);
    CHECK_REPR(PyNumber_Multiply(x, three), "370370367037037036703703703670");
    Py_DECREF(three);
    CHECK_REPR(x, "123456789012345678901234567890");

    CHECK_REPR(PyLong_FromString("0xff", NULL, 16), "255");
    CHECK_REPR(PyLong_FromString("ff", NULL, 16), "255");
    CHECK_REPR(PyLong_FromString("0b101", NULL, 0), "5");
    CHECK_REPR(PyLong_FromString("0o17", NULL, 0), "15");
    CHECK_REPR(PyLong_FromString("0X_1f", NULL, 0), "31");
    CHECK_REPR(PyLong_FromString("1_000", NULL, 0), "1000");
    CHECK_REPR(PyLong_FromString("000", NULL, 0), "0");
    CHECK_REPR(PyLong_FromString("zz", NULL, 36), "1295");
    const char *spaced = "  -42 \n";
    CHECK_REPR(PyLong_FromString(spaced, &end, 10), "-42");
    CHECK(end == spaced + strlen(spaced));
    CHECK_REPR(PyLong_FromString("-9223372036854775809", NULL, 10), "-9223372036854775809");
    return 0;
}

static int long_from_string_errors(void) {
    const char *bad = "12a";
    char *end = NULL;
    CHECK(PyLong_FromString(bad, &end, 10) == NULL);
    CHECK_ERROR(PyExc_ValueError, "invalid literal for int() with base 10: '12a'");
    CHECK(end == bad + 2);
    CHECK(PyLong_FromString("010", NULL, 0) == NULL);
    CHECK_ERROR(PyExc_ValueError, "invalid literal for int() with base 0: '010'");
    CHECK(PyLong_FromString("1__0", NULL, 10) == NULL);
    CHECK_ERROR(PyExc_ValueError, "invalid literal for int() with base 10: '1__0'");
    CHECK(PyLong_FromString("", NULL, 10) == NULL);
    CHECK_ERROR(PyExc_ValueError, "invalid literal for int() with base 10: ''");
    CHECK(PyLong_FromString("it's", NULL, 10) == NULL);
    CHECK_ERROR(PyExc_ValueError, "invalid literal for int() with base 10: \"it's\"");
    end = (char *)"untouched";
    CHECK(PyLong_FromString("1", &end, 37) == NULL);
    CHECK_ERROR(PyExc_ValueError, "int() arg 2 must be >= 2 and <= 36");
    CHECK(strcmp(end, "untouched") == 0);
    CHECK(PyLong_FromString("1", NULL, 1) == NULL);
    CHECK_ERROR(PyExc_ValueError, "int() arg 2 must be >= 2 and <= 36");

    /* More than 4300 decimal digits is refused; binary bases have no limit. */
    char *many = malloc(5001);
    memset(many, '1', 5000);
    many[5000] = 0;
    CHECK(PyLong_FromString(many, NULL, 10) == NULL);
    CHECK_ERROR(PyExc_ValueError,
                "Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits; "
                "use sys.set_int_max_str_digits() to increase the limit");
    PyObject *hex = PyLong_FromString(many, NULL, 16);
    CHECK(hex != NULL);
    /* ... and its decimal form is too long to print. */
    CHECK(PyObject_Repr(hex) == NULL);
    CHECK_ERROR(PyExc_ValueError,
                "Exceeds the limit (4300 digits) for integer string conversion; "
                "use sys.set_int_max_str_digits() to increase the limit");
    Py_DECREF(hex);
    free(many);
    return 0;
}

/* ---- int arithmetic ------------------------------------------------------------- */

static int big_arithmetic(void) {
    const char *x = "123456789012345678901234567890";
    CHECK_BINOP(PyNumber_Multiply, num(x), num(x), "15241578753238836750495351562536198787501905199875019052100");
    CHECK_BINOP(PyNumber_Remainder, num(x), PyLong_FromLong(1000003), "671935");
    CHECK_BINOP(PyNumber_FloorDivide, num(x), PyLong_FromLong(-1000003), "-123456418643089749631986");
    CHECK_BINOP(PyNumber_Remainder, num(x), PyLong_FromLong(-1000003), "-328068");
    CHECK_BINOP(PyNumber_Add, num(x), num("-123456789012345678901234567890"), "0");
    CHECK_BINOP(PyNumber_Subtract, PyLong_FromLong(LONG_MIN), PyLong_FromLong(1), "-9223372036854775809");
    CHECK_BINOP(PyNumber_Add, PyLong_FromLong(LONG_MAX), PyLong_FromLong(1), "9223372036854775808");
    CHECK_BINOP(PyNumber_Multiply, PyLong_FromLong(LONG_MAX), PyLong_FromLong(LONG_MAX),
                "85070591730234615847396907784232501249");
    CHECK_BINOP(PyNumber_FloorDivide, PyLong_FromLong(LONG_MIN), PyLong_FromLong(-1), "9223372036854775808");
    CHECK_BINOP(PyNumber_FloorDivide, num("1267650600228229401496703205376"), PyLong_FromLong(3),
                "422550200076076467165567735125");
    CHECK_BINOP(PyNumber_FloorDivide, num("-1267650600228229401496703205376"), PyLong_FromLong(3),
                "-422550200076076467165567735126");
    CHECK_BINOP(PyNumber_Remainder, num("1267650600228229401496703205376"), PyLong_FromLong(-3), "-2");

    /* A result that comes back into the i64 range is a plain (small) int again. */
    PyObject *a = num("18446744073709551616");
    PyObject *b = num("18446744073709551615");
    PyObject *one = PyNumber_Subtract(a, b);
    CHECK(one != NULL && one == PyLong_FromLong(1));
    Py_DECREF(one);
    Py_DECREF(a);
    Py_DECREF(b);

    PyObject *d = call2(PyNumber_Divmod, num("-123456789012345678901234567890"), PyLong_FromLong(97));
    CHECK(d != NULL && PyTuple_Check(d) && PyTuple_GET_SIZE(d) == 2);
    Py_INCREF(PyTuple_GET_ITEM(d, 0));
    Py_INCREF(PyTuple_GET_ITEM(d, 1));
    CHECK_REPR(PyTuple_GET_ITEM(d, 0), "-1272750402189130710322005855");
    CHECK_REPR(PyTuple_GET_ITEM(d, 1), "45");
    Py_DECREF(d);
    return 0;
}

static int small_int_signs(void) {
    CHECK_BINOP(PyNumber_FloorDivide, PyLong_FromLong(-7), PyLong_FromLong(2), "-4");
    CHECK_BINOP(PyNumber_Remainder, PyLong_FromLong(-7), PyLong_FromLong(2), "1");
    CHECK_BINOP(PyNumber_Remainder, PyLong_FromLong(7), PyLong_FromLong(-2), "-1");
    CHECK_BINOP(PyNumber_FloorDivide, PyLong_FromLong(7), PyLong_FromLong(2), "3");
    PyObject *d = call2(PyNumber_Divmod, PyLong_FromLong(-7), PyLong_FromLong(2));
    CHECK(d != NULL);
    CHECK(PyLong_AsLong(PyTuple_GET_ITEM(d, 0)) == -4 && PyLong_AsLong(PyTuple_GET_ITEM(d, 1)) == 1);
    Py_DECREF(d);
    return 0;
}

static int int_zero_division(void) {
    CHECK_BINOP_FAILS(PyNumber_FloorDivide, PyLong_FromLong(1), PyLong_FromLong(0), PyExc_ZeroDivisionError,
                      "integer division or modulo by zero");
    CHECK_BINOP_FAILS(PyNumber_Remainder, PyLong_FromLong(1), PyLong_FromLong(0), PyExc_ZeroDivisionError,
                      "integer modulo by zero");
    CHECK_BINOP_FAILS(PyNumber_Divmod, PyLong_FromLong(1), PyLong_FromLong(0), PyExc_ZeroDivisionError,
                      "integer division or modulo by zero");
    CHECK_BINOP_FAILS(PyNumber_TrueDivide, PyLong_FromLong(1), PyLong_FromLong(0), PyExc_ZeroDivisionError,
                      "division by zero");
    CHECK_BINOP_FAILS(PyNumber_FloorDivide, num("100000000000000000000000"), PyLong_FromLong(0),
                      PyExc_ZeroDivisionError, "integer division or modulo by zero");
    CHECK_BINOP_FAILS(PyNumber_InPlaceRemainder, num("100000000000000000000000"), PyLong_FromLong(0),
                      PyExc_ZeroDivisionError, "integer modulo by zero");
    return 0;
}

static int int_true_division(void) {
    CHECK_BINOP(PyNumber_TrueDivide, PyLong_FromLong(1), PyLong_FromLong(3), "0.3333333333333333");
    CHECK_BINOP(PyNumber_TrueDivide, PyLong_FromLong(0), PyLong_FromLong(-5), "-0.0");
    CHECK_BINOP(PyNumber_TrueDivide, num("1000000000000000000000000000000"), num("1000000000000000"),
                "1000000000000000.0");
    /* Correctly rounded even when neither operand converts exactly: (2**53 + 1) / 1. */
    CHECK_BINOP(PyNumber_TrueDivide, num("9007199254740993"), PyLong_FromLong(1), "9007199254740992.0");
    PyObject *big = two_to(1100);
    PyObject *half = two_to(1099);
    CHECK(big != NULL && half != NULL);
    Py_INCREF(big);
    CHECK_BINOP(PyNumber_TrueDivide, big, half, "2.0");
    CHECK_BINOP_FAILS(PyNumber_TrueDivide, big, PyLong_FromLong(3), PyExc_OverflowError,
                      "integer division result too large for a float");
    return 0;
}


static int int_power(void) {
    CHECK_BINOP(pow2, PyLong_FromLong(2), PyLong_FromLong(10), "1024");
    CHECK_BINOP(pow2, PyLong_FromLong(2), PyLong_FromLong(100), "1267650600228229401496703205376");
    CHECK_BINOP(pow2, PyLong_FromLong(2), PyLong_FromLong(63), "9223372036854775808");
    CHECK_BINOP(pow2, PyLong_FromLong(-2), PyLong_FromLong(63), "-9223372036854775808");
    CHECK_BINOP(pow2, PyLong_FromLong(-3), PyLong_FromLong(3), "-27");
    CHECK_BINOP(pow2, PyLong_FromLong(0), PyLong_FromLong(0), "1");
    CHECK_BINOP(pow2, PyLong_FromLong(-1), num("100000000000000000000001"), "-1");
    /* A negative exponent gives a float. */
    CHECK_BINOP(pow2, PyLong_FromLong(2), PyLong_FromLong(-1), "0.5");
    CHECK_BINOP(pow2, PyLong_FromLong(-2), PyLong_FromLong(-2), "0.25");
    CHECK_BINOP_FAILS(pow2, PyLong_FromLong(0), PyLong_FromLong(-1), PyExc_ZeroDivisionError,
                      "0.0 cannot be raised to a negative power");
    /* Results far too large to hold are refused rather than attempted. */
    CHECK_BINOP_FAILS(pow2, PyLong_FromLong(2), two_to(40), PyExc_MemoryError, NULL);
    return 0;
}

static int int_power_modulo(void) {
    CHECK_REPR(pow3(7, 1000000, 1000000007), "880007888");
    CHECK_REPR(pow3(3, -1, 7), "5");
    CHECK_REPR(pow3(2, 3, -5), "-2");
    CHECK_REPR(pow3(-2, 3, 5), "2");
    CHECK_REPR(pow3(-3, -1, -7), "-5");
    CHECK_REPR(pow3(5, -1, 1), "0");
    CHECK_REPR(pow3(123456789, 0, 1000), "1");
    CHECK(pow3(2, -1, 4) == NULL);
    CHECK_ERROR(PyExc_ValueError, "base is not invertible for the given modulus");
    CHECK(pow3(2, 3, 0) == NULL);
    CHECK_ERROR(PyExc_ValueError, "pow() 3rd argument cannot be 0");
    PyObject *f = PyFloat_FromDouble(2.0), *five_f = PyFloat_FromDouble(5.0);
    CHECK(PyNumber_Power(f, PyLong_FromLong(3), PyLong_FromLong(5)) == NULL);
    CHECK_ERROR(PyExc_TypeError, "pow() 3rd argument not allowed unless all arguments are integers");
    CHECK(PyNumber_Power(PyLong_FromLong(2), PyLong_FromLong(3), five_f) == NULL);
    CHECK_ERROR(PyExc_TypeError, "pow() 3rd argument not allowed unless all arguments are integers");
    Py_DECREF(f);
    Py_DECREF(five_f);
    PyObject *s = str("x");
    CHECK(PyNumber_Power(PyLong_FromLong(2), s, Py_None) == NULL);
    CHECK_ERROR(PyExc_TypeError, "unsupported operand type(s) for ** or pow(): 'int' and 'str'");
    CHECK(PyNumber_Power(PyLong_FromLong(2), PyLong_FromLong(3), s) == NULL);
    CHECK_ERROR(PyExc_TypeError, "unsupported operand type(s) for ** or pow(): 'int', 'int', 'str'");
    CHECK(PyNumber_InPlacePower(PyLong_FromLong(2), s, Py_None) == NULL);
    CHECK_ERROR(PyExc_TypeError, "unsupported operand type(s) for **=: 'int' and 'str'");
    Py_DECREF(s);
    return 0;
}

static int shifts(void) {
    CHECK_REPR(two_to(100), "1267650600228229401496703205376");
    CHECK_BINOP(PyNumber_Lshift, PyLong_FromLong(-3), PyLong_FromLong(62), "-13835058055282163712");
    CHECK_BINOP(PyNumber_Lshift, PyLong_FromLong(0), num("100000000000000000000000"), "0");
    CHECK_BINOP(PyNumber_Rshift, PyLong_FromLong(-1), PyLong_FromLong(1000), "-1");
    CHECK_BINOP(PyNumber_Rshift, PyLong_FromLong(5), PyLong_FromLong(100), "0");
    CHECK_BINOP(PyNumber_Rshift, PyLong_FromLong(-5), PyLong_FromLong(1), "-3");
    CHECK_BINOP(PyNumber_Rshift, two_to(100), PyLong_FromLong(99), "2");
    CHECK_BINOP(PyNumber_Rshift, num("-1267650600228229401496703205377"), PyLong_FromLong(99), "-3");
    CHECK_BINOP(PyNumber_Rshift, PyLong_FromLong(-5), two_to(70), "-1");
    CHECK_BINOP_FAILS(PyNumber_Lshift, PyLong_FromLong(1), PyLong_FromLong(-1), PyExc_ValueError,
                      "negative shift count");
    CHECK_BINOP_FAILS(PyNumber_Rshift, PyLong_FromLong(1), PyLong_FromLong(-1), PyExc_ValueError,
                      "negative shift count");
    CHECK_BINOP_FAILS(PyNumber_Lshift, PyLong_FromLong(1), two_to(70), PyExc_OverflowError,
                      "too many digits in integer");
    return 0;
}

static int bitwise(void) {
    CHECK_BINOP(PyNumber_And, num("1267650600228229401496703205375"), num("-18446744073709551616"),
                "1267650600209782657422993653760");
    CHECK_BINOP(PyNumber_Or, PyLong_FromLong(-1), two_to(70), "-1");
    CHECK_BINOP(PyNumber_Xor, PyLong_FromLong(6), PyLong_FromLong(3), "5");
    CHECK_BINOP(PyNumber_And, PyLong_FromLong(6), PyLong_FromLong(3), "2");
    CHECK_BINOP(PyNumber_Or, PyLong_FromLong(6), PyLong_FromLong(3), "7");
    CHECK_BINOP(PyNumber_Xor, two_to(64), two_to(64), "0");
    CHECK_BINOP_FAILS(PyNumber_And, PyLong_FromLong(1), PyFloat_FromDouble(1.0), PyExc_TypeError,
                      "unsupported operand type(s) for &: 'int' and 'float'");
    return 0;
}

static int unary_operations(void) {
    CHECK_REPR(PyNumber_Invert(PyLong_FromLong(5)), "-6");
    PyObject *big = two_to(100);
    CHECK_REPR(PyNumber_Invert(big), "-1267650600228229401496703205377");
    CHECK_REPR(PyNumber_Negative(big), "-1267650600228229401496703205376");
    PyObject *neg = PyNumber_Negative(big);
    CHECK_REPR(PyNumber_Absolute(neg), "1267650600228229401496703205376");
    Py_DECREF(neg);
    /* +int gives the very same int. */
    Py_ssize_t before = Py_REFCNT(big);
    PyObject *pos = PyNumber_Positive(big);
    CHECK(pos == big && Py_REFCNT(big) == before + 1);
    Py_DECREF(pos);
    Py_DECREF(big);
    PyObject *min = PyLong_FromLongLong(LLONG_MIN);
    CHECK_REPR(PyNumber_Negative(min), "9223372036854775808");
    CHECK_REPR(PyNumber_Absolute(min), "9223372036854775808");
    Py_DECREF(min);

    PyObject *s = str("x");
    CHECK(PyNumber_Negative(s) == NULL);
    CHECK_ERROR(PyExc_TypeError, "bad operand type for unary -: 'str'");
    CHECK(PyNumber_Absolute(s) == NULL);
    CHECK_ERROR(PyExc_TypeError, "bad operand type for abs(): 'str'");
    CHECK(PyNumber_Positive(Py_None) == NULL);
    CHECK_ERROR(PyExc_TypeError, "bad operand type for unary +: 'NoneType'");
    Py_DECREF(s);
    PyObject *f = PyFloat_FromDouble(1.5);
    CHECK(PyNumber_Invert(f) == NULL);
    CHECK_ERROR(PyExc_TypeError, "bad operand type for unary ~: 'float'");
    CHECK_REPR(PyNumber_Negative(f), "-1.5");
    CHECK_REPR(call1(PyNumber_Absolute, PyNumber_Negative(f)), "1.5");
    PyObject *same = PyNumber_Positive(f);
    CHECK(same == f);
    Py_DECREF(same);
    Py_DECREF(f);
    return 0;
}

static int comparisons(void) {
    /* 2**53 + 1 is not a double: the comparison is exact, not through a conversion. */
    CHECK(cmp(num("9007199254740993"), PyFloat_FromDouble(9007199254740992.0), Py_GT) == 1);
    CHECK(cmp(num("9007199254740993"), PyFloat_FromDouble(9007199254740992.0), Py_EQ) == 0);
    CHECK(cmp(PyFloat_FromDouble(9007199254740992.0), num("9007199254740993"), Py_LT) == 1);
    CHECK(cmp(num("100000000000000000000"), PyFloat_FromDouble(1e20), Py_EQ) == 1);
    CHECK(cmp(num("100000000000000000001"), PyFloat_FromDouble(1e20), Py_GT) == 1);
    CHECK(cmp(PyFloat_FromDouble(nextafter(1e20, INFINITY)), num("100000000000000000001"), Py_GT) == 1);
    CHECK(cmp(call2(pow2, PyLong_FromLong(10), PyLong_FromLong(400)), PyFloat_FromDouble(1e308), Py_GT) == 1);
    CHECK(cmp(PyFloat_FromDouble(INFINITY), call2(pow2, PyLong_FromLong(10), PyLong_FromLong(400)), Py_GT) == 1);
    CHECK(cmp(PyFloat_FromDouble(-1e300), call2(pow2, PyLong_FromLong(-10), PyLong_FromLong(401)), Py_GT) == 1);
    CHECK(cmp(PyFloat_FromDouble(2.5), PyLong_FromLong(2), Py_GE) == 1);
    CHECK(cmp(PyFloat_FromDouble(2.5), PyLong_FromLong(3), Py_LE) == 1);
    CHECK(cmp(PyFloat_FromDouble(-2.5), num("-10000000000000000000000"), Py_GT) == 1);
    CHECK(cmp(PyLong_FromLong(1), PyFloat_FromDouble(1.0), Py_EQ) == 1);
    CHECK(cmp(PyFloat_FromDouble(-0.0), PyLong_FromLong(0), Py_EQ) == 1);
    CHECK(cmp(PyFloat_FromDouble(NAN), PyLong_FromLong(1), Py_NE) == 1);
    CHECK(cmp(PyFloat_FromDouble(NAN), PyLong_FromLong(1), Py_LT) == 0);
    CHECK(cmp(PyFloat_FromDouble(NAN), PyFloat_FromDouble(NAN), Py_EQ) == 0);
    CHECK(cmp(num("-100000000000000000000000"), num("-99999999999999999999999"), Py_LT) == 1);
    CHECK(cmp(num("100000000000000000000000"), PyLong_FromLong(LONG_MAX), Py_GT) == 1);
    CHECK(cmp(PyLong_FromLong(3), PyLong_FromLong(3), Py_LE) == 1);
    CHECK(cmp(PyLong_FromLong(1), str("1"), Py_EQ) == 0);
    CHECK(cmp(PyLong_FromLong(1), str("x"), Py_LT) == -1);
    CHECK_ERROR(PyExc_TypeError, "'<' not supported between instances of 'int' and 'str'");
    CHECK(cmp(Py_NewRef(Py_True), PyLong_FromLong(1), Py_EQ) == 1);
    return 0;
}

static int hashes(void) {
    PyObject *one = PyLong_FromLong(1), *one_f = PyFloat_FromDouble(1.0);
    CHECK(PyObject_Hash(one) == 1 && PyObject_Hash(one_f) == 1 && PyObject_Hash(Py_True) == 1);
    CHECK(PyObject_Hash(Py_False) == 0);
    Py_DECREF(one);
    Py_DECREF(one_f);
    PyObject *m = PyLong_FromLong(-1);
    CHECK(PyObject_Hash(m) == -2);
    Py_DECREF(m);
    struct { const char *text; Py_hash_t hash; } cases[] = {
        {"2305843009213693951", 0},           /* 2**61 - 1 */
        {"2305843009213693952", 1},           /* 2**61 */
        {"-2305843009213693952", -2},         /* -(2**61): -1 is reserved */
        {"-18446744073709551616", -8},        /* -(2**64) */
        {"1267650600228229401496703205376", 549755813888}, /* 2**100 */
        {"1000000000000000000000000000000", 465258685558744706},
        {"-9223372036854775808", -4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        PyObject *o = num(cases[i].text);
        Py_hash_t h = PyObject_Hash(o);
        if (h != cases[i].hash) fprintf(stderr, "  hash(%s) = %ld\n", cases[i].text, (long)h);
        CHECK(h == cases[i].hash);
        Py_DECREF(o);
    }
    /* Equal int and float hash alike. */
    PyObject *big = two_to(100), *big_f = PyFloat_FromDouble(ldexp(1.0, 100));
    CHECK(PyObject_Hash(big) == PyObject_Hash(big_f));
    Py_DECREF(big);
    Py_DECREF(big_f);
    PyObject *neg = num("-1180591620717411303424"), *neg_f = PyFloat_FromDouble(-ldexp(1.0, 70));
    CHECK(PyObject_Hash(neg) == PyObject_Hash(neg_f));
    Py_DECREF(neg);
    Py_DECREF(neg_f);
    return 0;
}

/* ---- float ---------------------------------------------------------------------- */

static int float_repr(void) {
    struct { double v; const char *text; } cases[] = {
        {1.0, "1.0"}, {0.1, "0.1"}, {1e16, "1e+16"}, {1e15, "1000000000000000.0"}, {1e-5, "1e-05"},
        {1e-4, "0.0001"}, {1e22, "1e+22"}, {123.456, "123.456"}, {1e-7, "1e-07"}, {-1.5e-10, "-1.5e-10"},
        {-0.0, "-0.0"}, {0.0, "0.0"}, {DBL_MAX, "1.7976931348623157e+308"}, {5e-324, "5e-324"},
        {0.30000000000000004, "0.30000000000000004"}, {2.5, "2.5"}, {-100.0, "-100.0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) CHECK_REPR(PyFloat_FromDouble(cases[i].v), cases[i].text);
    CHECK_REPR(PyFloat_FromDouble(INFINITY), "inf");
    CHECK_REPR(PyFloat_FromDouble(-INFINITY), "-inf");
    CHECK_REPR(PyFloat_FromDouble(NAN), "nan");
    /* str() of a float is its repr. */
    PyObject *f = PyFloat_FromDouble(0.1);
    CHECK_STR_OF(f, "0.1");
    return 0;
}

static int float_arithmetic(void) {
    CHECK_BINOP(PyNumber_FloorDivide, PyFloat_FromDouble(7.5), PyLong_FromLong(2), "3.0");
    CHECK_BINOP(PyNumber_Remainder, PyFloat_FromDouble(-7.5), PyLong_FromLong(2), "0.5");
    CHECK_BINOP(PyNumber_Remainder, PyFloat_FromDouble(7.5), PyLong_FromLong(-2), "-0.5");
    CHECK_BINOP(PyNumber_Remainder, PyFloat_FromDouble(4.0), PyFloat_FromDouble(-2.0), "-0.0");
    CHECK_BINOP(PyNumber_FloorDivide, PyFloat_FromDouble(1.0), PyFloat_FromDouble(0.1), "9.0");
    CHECK_BINOP(PyNumber_Add, PyFloat_FromDouble(1.5), PyLong_FromLong(2), "3.5");
    CHECK_BINOP(PyNumber_Subtract, PyLong_FromLong(2), PyFloat_FromDouble(0.5), "1.5");
    CHECK_BINOP(PyNumber_Multiply, PyLong_FromLong(3), PyFloat_FromDouble(0.5), "1.5");
    CHECK_BINOP(PyNumber_TrueDivide, PyLong_FromLong(1), PyFloat_FromDouble(2.0), "0.5");
    CHECK_BINOP(PyNumber_Add, PyFloat_FromDouble(0.1), PyFloat_FromDouble(0.2), "0.30000000000000004");
    CHECK_BINOP(PyNumber_Multiply, PyFloat_FromDouble(1e308), PyLong_FromLong(10), "inf");
    PyObject *d = call2(PyNumber_Divmod, PyFloat_FromDouble(-7.5), PyLong_FromLong(2));
    CHECK(d != NULL && PyTuple_GET_SIZE(d) == 2);
    CHECK(PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(d, 0)) == -4.0 && PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(d, 1)) == 0.5);
    Py_DECREF(d);
    return 0;
}

static int float_errors(void) {
    CHECK_BINOP_FAILS(PyNumber_TrueDivide, PyFloat_FromDouble(1.0), PyLong_FromLong(0), PyExc_ZeroDivisionError,
                      "float division by zero");
    CHECK_BINOP_FAILS(PyNumber_TrueDivide, PyLong_FromLong(1), PyFloat_FromDouble(0.0), PyExc_ZeroDivisionError,
                      "float division by zero");
    CHECK_BINOP_FAILS(PyNumber_FloorDivide, PyFloat_FromDouble(1.0), PyFloat_FromDouble(-0.0),
                      PyExc_ZeroDivisionError, "float floor division by zero");
    CHECK_BINOP_FAILS(PyNumber_Remainder, PyFloat_FromDouble(1.0), PyLong_FromLong(0), PyExc_ZeroDivisionError,
                      "float modulo by zero");
    CHECK_BINOP_FAILS(PyNumber_Divmod, PyFloat_FromDouble(1.0), PyLong_FromLong(0), PyExc_ZeroDivisionError,
                      "float divmod()");
    CHECK_BINOP_FAILS(PyNumber_Add, call2(pow2, PyLong_FromLong(10), PyLong_FromLong(400)),
                      PyFloat_FromDouble(1.0), PyExc_OverflowError, "int too large to convert to float");
    CHECK_BINOP_FAILS(PyNumber_Add, PyFloat_FromDouble(1.5), str("x"), PyExc_TypeError,
                      "unsupported operand type(s) for +: 'float' and 'str'");
    return 0;
}

static int float_power(void) {
    CHECK_BINOP(pow2, PyFloat_FromDouble(2.0), PyFloat_FromDouble(0.5), "1.4142135623730951");
    CHECK_BINOP(pow2, PyLong_FromLong(2), PyFloat_FromDouble(0.5), "1.4142135623730951");
    CHECK_BINOP(pow2, PyFloat_FromDouble(4.0), PyLong_FromLong(-1), "0.25");
    CHECK_BINOP(pow2, PyFloat_FromDouble(-2.0), PyLong_FromLong(3), "-8.0");
    CHECK_BINOP(pow2, PyFloat_FromDouble(-2.0), PyFloat_FromDouble(2.0), "4.0");
    CHECK_BINOP(pow2, PyFloat_FromDouble(0.0), PyLong_FromLong(0), "1.0");
    CHECK_BINOP(pow2, PyFloat_FromDouble(NAN), PyLong_FromLong(0), "1.0");
    CHECK_BINOP(pow2, PyFloat_FromDouble(1.0), PyFloat_FromDouble(NAN), "1.0");
    CHECK_BINOP(pow2, PyFloat_FromDouble(-1.0), PyFloat_FromDouble(INFINITY), "1.0");
    CHECK_BINOP(pow2, PyFloat_FromDouble(0.5), PyFloat_FromDouble(-INFINITY), "inf");
    CHECK_BINOP(pow2, PyFloat_FromDouble(-INFINITY), PyLong_FromLong(3), "-inf");
    CHECK_BINOP(pow2, PyFloat_FromDouble(-INFINITY), PyLong_FromLong(-3), "-0.0");
    CHECK_BINOP(pow2, PyFloat_FromDouble(-0.0), PyLong_FromLong(3), "-0.0");
    CHECK_BINOP(pow2, PyFloat_FromDouble(-1.0), num("9007199254740991"), "-1.0");
    /* The exponent is converted to a double first: 10**20 + 1 becomes even. */
    CHECK_BINOP(pow2, PyFloat_FromDouble(-1.0), num("100000000000000000001"), "1.0");
    CHECK_BINOP_FAILS(pow2, PyFloat_FromDouble(0.0), PyFloat_FromDouble(-1.0), PyExc_ZeroDivisionError,
                      "0.0 cannot be raised to a negative power");
    CHECK(call2(pow2, PyFloat_FromDouble(10.0), PyLong_FromLong(400)) == NULL);
    /* Raised as C's pow reports a range error: OverflowError(34, '...'). */
    PyObject *e = PyErr_GetRaisedException();
    CHECK(e != NULL && PyErr_GivenExceptionMatches(e, PyExc_OverflowError));
    PyObject *args = PyException_GetArgs(e);
    CHECK(args != NULL && PyTuple_GET_SIZE(args) == 2 && PyLong_AsLong(PyTuple_GET_ITEM(args, 0)) == 34);
    CHECK_STR_OF(Py_NewRef(PyTuple_GET_ITEM(args, 1)), "Numerical result out of range");
    Py_DECREF(args);
    Py_DECREF(e);
    return 0;
}

static int float_conversions(void) {
    PyObject *three = PyLong_FromLong(3);
    CHECK(PyFloat_AsDouble(three) == 3.0);
    Py_DECREF(three);
    PyObject *big = two_to(1100);
    CHECK(PyFloat_AsDouble(big) == -1.0);
    CHECK_ERROR(PyExc_OverflowError, "int too large to convert to float");
    Py_DECREF(big);
    PyObject *s = str("1.5");
    CHECK(PyFloat_AsDouble(s) == -1.0);
    CHECK_ERROR(PyExc_TypeError, "must be real number, not str");
    Py_DECREF(s);
    PyObject *ix = new_instance(&IndexableType);
    CHECK(PyFloat_AsDouble(ix) == 7.0);
    Py_DECREF(ix);
    PyObject *fl = new_instance(&FloatLikeType);
    CHECK(PyFloat_AsDouble(fl) == 2.5);
    Py_DECREF(fl);
    PyObject *bad = new_instance(&BadNumberType);
    CHECK(PyFloat_AsDouble(bad) == -1.0);
    CHECK_ERROR(PyExc_TypeError, "test.BadNumber.__float__ returned non-float (type int)");
    Py_DECREF(bad);
    CHECK(PyFloat_GetMax() == DBL_MAX);
    CHECK(PyFloat_GetMin() == DBL_MIN);
    PyObject *f = PyFloat_FromDouble(-2.25);
    CHECK(PyFloat_Check(f) && PyFloat_CheckExact(f) && PyFloat_AS_DOUBLE(f) == -2.25 && PyFloat_AsDouble(f) == -2.25);
    CHECK(!PyLong_Check(f));
    Py_DECREF(f);
    return 0;
}

static PyObject *minus_inf(void) { Py_RETURN_INF(-2.0); }
static PyObject *plus_inf(void) { Py_RETURN_INF(0.0); }
static PyObject *a_nan(void) { Py_RETURN_NAN; }

static int float_macros(void) {
    CHECK_REPR(minus_inf(), "-inf");
    CHECK_REPR(plus_inf(), "inf");
    PyObject *n = a_nan();
    CHECK(n != NULL && Py_IS_NAN(PyFloat_AS_DOUBLE(n)) && !Py_IS_FINITE(PyFloat_AS_DOUBLE(n)));
    Py_DECREF(n);
    CHECK(Py_IS_INFINITY(Py_HUGE_VAL) && Py_IS_INFINITY(-Py_INFINITY) && Py_IS_NAN(Py_NAN));
    PyObject *i = PyLong_FromPid(1234);
    CHECK(PyLong_AS_LONG(i) == 1234 && PyLong_AsPid(i) == 1234);
    Py_DECREF(i);
    return 0;
}

static PyObject *float_of_text(const char *text) {
    PyObject *s = str(text);
    PyObject *f = s ? PyFloat_FromString(s) : NULL;
    Py_XDECREF(s);
    return f;
}

static int float_from_string(void) {
    CHECK_REPR(float_of_text("  1.5  "), "1.5");
    CHECK_REPR(float_of_text("1_000.5"), "1000.5");
    CHECK_REPR(float_of_text("-inf"), "-inf");
    CHECK_REPR(float_of_text("+Infinity"), "inf");
    CHECK_REPR(float_of_text("nan"), "nan");
    CHECK_REPR(float_of_text("1e500"), "inf");
    CHECK_REPR(float_of_text(".5e-3"), "0.0005");
    CHECK(float_of_text("abc") == NULL);
    CHECK_ERROR(PyExc_ValueError, "could not convert string to float: 'abc'");
    CHECK(float_of_text("") == NULL);
    CHECK_ERROR(PyExc_ValueError, "could not convert string to float: ''");
    CHECK(float_of_text("1__0") == NULL);
    CHECK_ERROR(PyExc_ValueError, "could not convert string to float: '1__0'");
    PyObject *i = PyLong_FromLong(1);
    CHECK(PyFloat_FromString(i) == NULL);
    CHECK_ERROR(PyExc_TypeError, "float() argument must be a string or a real number, not 'int'");
    Py_DECREF(i);
    return 0;
}

static int long_from_double(void) {
    CHECK_REPR(PyLong_FromDouble(1e20), "100000000000000000000");
    CHECK_REPR(PyLong_FromDouble(-2.5), "-2");
    CHECK_REPR(PyLong_FromDouble(0.9), "0");
    CHECK_REPR(PyLong_FromDouble(-9223372036854775808.0), "-9223372036854775808");
    CHECK_REPR(PyLong_FromDouble(9223372036854775808.0), "9223372036854775808");
    CHECK(PyLong_FromDouble(INFINITY) == NULL);
    CHECK_ERROR(PyExc_OverflowError, "cannot convert float infinity to integer");
    CHECK(PyLong_FromDouble(NAN) == NULL);
    CHECK_ERROR(PyExc_ValueError, "cannot convert float NaN to integer");
    PyObject *o = PyLong_FromDouble(1e300);
    CHECK(o != NULL && PyLong_AsDouble(o) == 1e300);
    Py_DECREF(o);
    return 0;
}

static int long_as_double(void) {
    PyObject *o = num("9007199254740993");
    CHECK(PyLong_AsDouble(o) == 9007199254740992.0);
    Py_DECREF(o);
    o = num("9007199254740995");
    CHECK(PyLong_AsDouble(o) == 9007199254740996.0);
    Py_DECREF(o);
    o = two_to(1023);
    CHECK(PyLong_AsDouble(o) == ldexp(1.0, 1023));
    Py_DECREF(o);
    o = two_to(1024);
    CHECK(PyLong_AsDouble(o) == -1.0);
    CHECK_ERROR(PyExc_OverflowError, "int too large to convert to float");
    Py_DECREF(o);
    o = num("-123456789012345678901234567890");
    CHECK(PyLong_AsDouble(o) == -1.2345678901234568e+29);
    Py_DECREF(o);
    return 0;
}

static int void_pointers(void) {
    int x;
    PyObject *p = PyLong_FromVoidPtr(&x);
    CHECK(PyLong_AsVoidPtr(p) == (void *)&x);
    Py_DECREF(p);
    CHECK_REPR(PyLong_FromVoidPtr((void *)UINTPTR_MAX), "18446744073709551615");
    CHECK_REPR(PyLong_FromVoidPtr(NULL), "0");
    PyObject *m = PyLong_FromLong(-1);
    CHECK(PyLong_AsVoidPtr(m) == (void *)UINTPTR_MAX);
    CHECK_NO_ERROR();
    Py_DECREF(m);
    PyObject *f = PyFloat_FromDouble(1.0);
    CHECK(PyLong_AsVoidPtr(f) == NULL);
    CHECK_ERROR(PyExc_TypeError, "an integer is required");
    Py_DECREF(f);
    PyObject *big = two_to(64);
    CHECK(PyLong_AsVoidPtr(big) == NULL);
    CHECK_ERROR(PyExc_OverflowError, "int too big to convert");
    Py_DECREF(big);
    return 0;
}

/* ---- bool --------------------------------------------------------------------- */

static int bools(void) {
    CHECK(PyBool_FromLong(5) == Py_True && PyBool_FromLong(0) == Py_False && PyBool_FromLong(-1) == Py_True);
    CHECK(PyBool_Check(Py_True) && PyLong_Check(Py_True) && !PyLong_CheckExact(Py_True));
    CHECK_REPR(Py_NewRef(Py_True), "True");
    CHECK_REPR(Py_NewRef(Py_False), "False");
    CHECK_STR_OF(Py_NewRef(Py_False), "False");
    CHECK(PyLong_AsLong(Py_True) == 1 && PyLong_AsLong(Py_False) == 0);
    CHECK(PyNumber_And(Py_True, Py_True) == Py_True);
    CHECK(PyNumber_Or(Py_True, Py_False) == Py_True);
    CHECK(PyNumber_Xor(Py_True, Py_True) == Py_False);
    CHECK(PyNumber_InPlaceAnd(Py_False, Py_True) == Py_False);
    PyObject *one = PyLong_FromLong(1);
    PyObject *r = PyNumber_And(Py_True, one);
    CHECK(r != NULL && PyLong_CheckExact(r) && PyLong_AsLong(r) == 1);
    Py_DECREF(r);
    r = PyNumber_Xor(one, Py_True);
    CHECK(r != NULL && PyLong_CheckExact(r) && PyLong_AsLong(r) == 0);
    Py_DECREF(r);
    Py_DECREF(one);
    CHECK_REPR(PyNumber_Add(Py_True, Py_True), "2");
    CHECK_REPR(PyNumber_Negative(Py_True), "-1");
    CHECK_REPR(PyNumber_Invert(Py_True), "-2");
    CHECK_REPR(PyNumber_TrueDivide(Py_True, Py_True), "1.0");
    CHECK(PyObject_IsTrue(Py_True) == 1 && PyObject_IsTrue(Py_False) == 0);
    r = PyNumber_Index(Py_True);
    CHECK(r != NULL && PyLong_CheckExact(r) && PyLong_AsLong(r) == 1);
    Py_DECREF(r);
    return 0;
}

static int truth_of_numbers(void) {
    PyObject *zero = PyLong_FromLong(0), *big = two_to(70), *fz = PyFloat_FromDouble(-0.0), *fn = PyFloat_FromDouble(NAN);
    CHECK(PyObject_IsTrue(zero) == 0 && PyObject_IsTrue(big) == 1);
    CHECK(PyObject_IsTrue(fz) == 0 && PyObject_IsTrue(fn) == 1);
    Py_DECREF(zero);
    Py_DECREF(big);
    Py_DECREF(fz);
    Py_DECREF(fn);
    return 0;
}

/* ---- the number protocol --------------------------------------------------------- */

static int number_index(void) {
    PyObject *big = two_to(80);
    PyObject *r = PyNumber_Index(big);
    CHECK(r == big);
    Py_DECREF(r);
    Py_DECREF(big);
    PyObject *f = PyFloat_FromDouble(1.5);
    CHECK(PyNumber_Index(f) == NULL);
    CHECK_ERROR(PyExc_TypeError, "'float' object cannot be interpreted as an integer");
    Py_DECREF(f);
    PyObject *ix = new_instance(&IndexableType);
    CHECK_REPR(PyNumber_Index(ix), "7");
    Py_DECREF(ix);
    PyObject *bad = new_instance(&BadNumberType);
    CHECK(PyNumber_Index(bad) == NULL);
    CHECK_ERROR(PyExc_TypeError, "__index__ returned non-int (type float)");
    Py_DECREF(bad);
    PyObject *sub = new_int_subclass(&ShyIntType, 5);
    r = PyNumber_Index(sub);
    CHECK(r != NULL && PyLong_CheckExact(r) && PyLong_AsLong(r) == 5);
    Py_DECREF(r);
    Py_DECREF(sub);
    return 0;
}

static PyObject *int_of_text(const char *text) {
    PyObject *s = str(text);
    PyObject *i = s ? PyNumber_Long(s) : NULL;
    Py_XDECREF(s);
    return i;
}

static int number_long(void) {
    CHECK_REPR(call1(PyNumber_Long, PyFloat_FromDouble(3.9)), "3");
    CHECK_REPR(call1(PyNumber_Long, PyFloat_FromDouble(-3.9)), "-3");
    CHECK_REPR(call1(PyNumber_Long, PyFloat_FromDouble(1e20)), "100000000000000000000");
    CHECK_REPR(int_of_text("  42 "), "42");
    CHECK_REPR(int_of_text("-1_000_000_000_000_000_000_000"), "-1000000000000000000000");
    CHECK(int_of_text("4x") == NULL);
    CHECK_ERROR(PyExc_ValueError, "invalid literal for int() with base 10: '4x'");
    PyObject *hex = str(" 0x_ff ");
    CHECK_REPR(PyLong_FromUnicodeObject(hex, 0), "255");
    CHECK_REPR(PyLong_FromUnicodeObject(hex, 16), "255");
    CHECK(PyLong_FromUnicodeObject(hex, 10) == NULL);
    CHECK_ERROR(PyExc_ValueError, "invalid literal for int() with base 10: ' 0x_ff '");
    CHECK(PyLong_FromUnicodeObject(hex, 99) == NULL);
    CHECK_ERROR(PyExc_ValueError, "int() arg 2 must be >= 2 and <= 36");
    Py_DECREF(hex);
    CHECK(int_of_text("0x10") == NULL);
    CHECK_ERROR(PyExc_ValueError, "invalid literal for int() with base 10: '0x10'");
    CHECK(PyNumber_Long(Py_None) == NULL);
    CHECK_ERROR(PyExc_TypeError, "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'");
    PyObject *f = PyFloat_FromDouble(INFINITY);
    CHECK(PyNumber_Long(f) == NULL);
    CHECK_ERROR(PyExc_OverflowError, "cannot convert float infinity to integer");
    Py_DECREF(f);
    f = PyFloat_FromDouble(NAN);
    CHECK(PyNumber_Long(f) == NULL);
    CHECK_ERROR(PyExc_ValueError, "cannot convert float NaN to integer");
    Py_DECREF(f);
    PyObject *ix = new_instance(&IndexableType);
    CHECK_REPR(PyNumber_Long(ix), "7");
    Py_DECREF(ix);
    PyObject *bad = new_instance(&BadNumberType);
    CHECK(PyNumber_Long(bad) == NULL);
    CHECK_ERROR(PyExc_TypeError, "__int__ returned non-int (type float)");
    Py_DECREF(bad);
    PyObject *sub = new_int_subclass(&ShyIntType, 5);
    PyObject *r = PyNumber_Long(sub);
    CHECK(r != NULL && PyLong_CheckExact(r) && PyLong_AsLong(r) == 5);
    Py_DECREF(r);
    Py_DECREF(sub);
    PyObject *b = two_to(90);
    r = PyNumber_Long(b);
    CHECK(r == b);
    Py_DECREF(r);
    Py_DECREF(b);
    return 0;
}

static int number_float(void) {
    CHECK_REPR(call1(PyNumber_Float, PyLong_FromLong(5)), "5.0");
    CHECK_REPR(call1(PyNumber_Float, str("1e3")), "1000.0");
    CHECK_REPR(call1(PyNumber_Float, num("-100000000000000000000")), "-1e+20");
    PyObject *ix = new_instance(&IndexableType);
    CHECK_REPR(PyNumber_Float(ix), "7.0");
    Py_DECREF(ix);
    PyObject *fl = new_instance(&FloatLikeType);
    CHECK_REPR(PyNumber_Float(fl), "2.5");
    Py_DECREF(fl);
    PyObject *bad = new_instance(&BadNumberType);
    CHECK(PyNumber_Float(bad) == NULL);
    CHECK_ERROR(PyExc_TypeError, "test.BadNumber.__float__ returned non-float (type int)");
    Py_DECREF(bad);
    CHECK(PyNumber_Float(Py_None) == NULL);
    CHECK_ERROR(PyExc_TypeError, "float() argument must be a string or a real number, not 'NoneType'");
    PyObject *big = two_to(1100);
    CHECK(PyNumber_Float(big) == NULL);
    CHECK_ERROR(PyExc_OverflowError, "int too large to convert to float");
    Py_DECREF(big);
    PyObject *f = PyFloat_FromDouble(0.25);
    PyObject *same = PyNumber_Float(f);
    CHECK(same == f);
    Py_DECREF(same);
    Py_DECREF(f);
    return 0;
}

static int number_checks(void) {
    PyObject *i = PyLong_FromLong(1), *f = PyFloat_FromDouble(1.0), *s = str("1");
    PyObject *ix = new_instance(&IndexableType), *fl = new_instance(&FloatLikeType);
    CHECK(PyNumber_Check(i) && PyNumber_Check(f) && !PyNumber_Check(s) && PyNumber_Check(ix) && PyNumber_Check(fl));
    CHECK(PyIndex_Check(i) && !PyIndex_Check(f) && !PyIndex_Check(s) && PyIndex_Check(ix) && !PyIndex_Check(fl));
    CHECK(PyIndex_Check(Py_True) && PyNumber_Check(Py_False) && !PyNumber_Check(Py_None));
    Py_DECREF(i);
    Py_DECREF(f);
    Py_DECREF(s);
    Py_DECREF(ix);
    Py_DECREF(fl);
    return 0;
}

static int number_as_ssize_t(void) {
    PyObject *big = two_to(100);
    CHECK(PyNumber_AsSsize_t(big, NULL) == PY_SSIZE_T_MAX);
    CHECK_NO_ERROR();
    CHECK(PyNumber_AsSsize_t(big, PyExc_OverflowError) == -1);
    CHECK_ERROR(PyExc_OverflowError, "cannot fit 'int' into an index-sized integer");
    CHECK(PyNumber_AsSsize_t(big, PyExc_IndexError) == -1);
    CHECK_ERROR(PyExc_IndexError, "cannot fit 'int' into an index-sized integer");
    PyObject *neg = PyNumber_Negative(big);
    CHECK(PyNumber_AsSsize_t(neg, NULL) == PY_SSIZE_T_MIN);
    Py_DECREF(neg);
    Py_DECREF(big);
    PyObject *five = PyLong_FromLong(-5);
    CHECK(PyNumber_AsSsize_t(five, PyExc_OverflowError) == -5);
    Py_DECREF(five);
    PyObject *ix = new_instance(&IndexableType);
    CHECK(PyNumber_AsSsize_t(ix, NULL) == 7);
    Py_DECREF(ix);
    PyObject *f = PyFloat_FromDouble(1.0);
    CHECK(PyNumber_AsSsize_t(f, NULL) == -1);
    CHECK_ERROR(PyExc_TypeError, "'float' object cannot be interpreted as an integer");
    Py_DECREF(f);
    return 0;
}

static int operand_type_errors(void) {
    CHECK_BINOP_FAILS(PyNumber_Add, PyLong_FromLong(1), str("x"), PyExc_TypeError,
                      "unsupported operand type(s) for +: 'int' and 'str'");
    CHECK_BINOP_FAILS(PyNumber_InPlaceAdd, PyLong_FromLong(1), str("x"), PyExc_TypeError,
                      "unsupported operand type(s) for +=: 'int' and 'str'");
    CHECK_BINOP_FAILS(PyNumber_MatrixMultiply, PyLong_FromLong(1), PyLong_FromLong(2), PyExc_TypeError,
                      "unsupported operand type(s) for @: 'int' and 'int'");
    CHECK_BINOP_FAILS(PyNumber_InPlaceMatrixMultiply, PyLong_FromLong(1), PyLong_FromLong(2), PyExc_TypeError,
                      "unsupported operand type(s) for @=: 'int' and 'int'");
    CHECK_BINOP_FAILS(PyNumber_Divmod, Py_NewRef(Py_None), PyLong_FromLong(1), PyExc_TypeError,
                      "unsupported operand type(s) for divmod(): 'NoneType' and 'int'");
    CHECK_BINOP_FAILS(PyNumber_Subtract, PyLong_FromLong(1), Py_NewRef(Py_None), PyExc_TypeError,
                      "unsupported operand type(s) for -: 'int' and 'NoneType'");
    CHECK_BINOP_FAILS(PyNumber_Lshift, PyFloat_FromDouble(1.0), PyLong_FromLong(1), PyExc_TypeError,
                      "unsupported operand type(s) for <<: 'float' and 'int'");
    CHECK_BINOP_FAILS(PyNumber_InPlaceRshift, PyFloat_FromDouble(1.0), PyLong_FromLong(1), PyExc_TypeError,
                      "unsupported operand type(s) for >>=: 'float' and 'int'");
    CHECK_BINOP_FAILS(PyNumber_Or, PyFloat_FromDouble(1.0), PyLong_FromLong(1), PyExc_TypeError,
                      "unsupported operand type(s) for |: 'float' and 'int'");
    CHECK_BINOP_FAILS(PyNumber_Xor, PyFloat_FromDouble(1.0), PyLong_FromLong(1), PyExc_TypeError,
                      "unsupported operand type(s) for ^: 'float' and 'int'");
    CHECK_BINOP_FAILS(PyNumber_TrueDivide, Py_NewRef(Py_None), PyLong_FromLong(1), PyExc_TypeError,
                      "unsupported operand type(s) for /: 'NoneType' and 'int'");
    CHECK_BINOP_FAILS(PyNumber_InPlaceFloorDivide, Py_NewRef(Py_None), PyLong_FromLong(1), PyExc_TypeError,
                      "unsupported operand type(s) for //=: 'NoneType' and 'int'");
    CHECK_BINOP_FAILS(PyNumber_Remainder, Py_NewRef(Py_None), PyLong_FromLong(1), PyExc_TypeError,
                      "unsupported operand type(s) for %: 'NoneType' and 'int'");
    CHECK_BINOP_FAILS(PyNumber_Multiply, Py_NewRef(Py_None), PyLong_FromLong(1), PyExc_TypeError,
                      "unsupported operand type(s) for *: 'NoneType' and 'int'");
    CHECK_BINOP_FAILS(ipow2, Py_NewRef(Py_None), PyLong_FromLong(1), PyExc_TypeError,
                      "unsupported operand type(s) for **=: 'NoneType' and 'int'");
    return 0;
}

static int inplace_numbers(void) {
    CHECK_BINOP(PyNumber_InPlaceAdd, PyLong_FromLong(1), PyLong_FromLong(2), "3");
    CHECK_BINOP(PyNumber_InPlaceSubtract, PyLong_FromLong(1), PyLong_FromLong(2), "-1");
    CHECK_BINOP(PyNumber_InPlaceMultiply, PyLong_FromLong(3), PyLong_FromLong(4), "12");
    CHECK_BINOP(PyNumber_InPlaceTrueDivide, PyLong_FromLong(1), PyLong_FromLong(2), "0.5");
    CHECK_BINOP(PyNumber_InPlaceFloorDivide, PyLong_FromLong(7), PyLong_FromLong(2), "3");
    CHECK_BINOP(PyNumber_InPlaceRemainder, PyLong_FromLong(7), PyLong_FromLong(2), "1");
    CHECK_BINOP(PyNumber_InPlaceLshift, PyLong_FromLong(1), PyLong_FromLong(3), "8");
    CHECK_BINOP(PyNumber_InPlaceRshift, PyLong_FromLong(8), PyLong_FromLong(3), "1");
    CHECK_BINOP(PyNumber_InPlaceAnd, PyLong_FromLong(6), PyLong_FromLong(3), "2");
    CHECK_BINOP(PyNumber_InPlaceOr, PyLong_FromLong(6), PyLong_FromLong(3), "7");
    CHECK_BINOP(PyNumber_InPlaceXor, PyLong_FromLong(6), PyLong_FromLong(3), "5");
    CHECK_BINOP(ipow2, PyLong_FromLong(2), PyLong_FromLong(5), "32");
    CHECK_REPR(PyNumber_InPlacePower(PyLong_FromLong(2), PyLong_FromLong(5), PyLong_FromLong(3)), "2");
    CHECK_BINOP(PyNumber_InPlaceAdd, PyFloat_FromDouble(0.5), PyLong_FromLong(2), "2.5");
    return 0;
}

static int subclass_dispatch(void) {
    /* A subclass of the left operand's type on the right is asked first. */
    CHECK_BINOP(PyNumber_Add, PyLong_FromLong(1), new_int_subclass(&MyIntType, 5), "999");
    CHECK_BINOP(PyNumber_Add, new_int_subclass(&MyIntType, 5), PyLong_FromLong(1), "999");
    CHECK_BINOP(PyNumber_InPlaceAdd, PyLong_FromLong(1), new_int_subclass(&MyIntType, 5), "999");
    /* When it declines, int's own slot answers. */
    CHECK_BINOP(PyNumber_Add, PyLong_FromLong(1), new_int_subclass(&ShyIntType, 5), "6");
    CHECK_BINOP(PyNumber_Add, new_int_subclass(&ShyIntType, 5), PyLong_FromLong(1), "6");
    /* A slot the subclass leaves empty is int's. */
    CHECK_BINOP(PyNumber_Subtract, new_int_subclass(&MyIntType, 5), PyLong_FromLong(1), "4");
    CHECK_BINOP_FAILS(PyNumber_Add, new_int_subclass(&ShyIntType, 5), str("x"), PyExc_TypeError,
                      "unsupported operand type(s) for +: 'test.ShyInt' and 'str'");
    return 0;
}

static int sequence_fallback(void) {
    PyObject *seq = new_instance(&SeqType);
    CHECK_STR_OF(PyNumber_Add(seq, Py_None), "concat");
    CHECK_STR_OF(PyNumber_InPlaceAdd(seq, Py_None), "concat");
    PyObject *three = PyLong_FromLong(3);
    CHECK_REPR(PyNumber_Multiply(seq, three), "3");
    CHECK_REPR(PyNumber_Multiply(three, seq), "3");
    CHECK_REPR(PyNumber_InPlaceMultiply(seq, three), "-3");
    CHECK_REPR(PyNumber_InPlaceMultiply(three, seq), "3");
    Py_DECREF(three);
    PyObject *ix = new_instance(&IndexableType);
    CHECK_REPR(PyNumber_Multiply(seq, ix), "7");
    Py_DECREF(ix);
    PyObject *big = two_to(100);
    CHECK(PyNumber_Multiply(seq, big) == NULL);
    CHECK_ERROR(PyExc_OverflowError, "cannot fit 'int' into an index-sized integer");
    Py_DECREF(big);
    PyObject *f = PyFloat_FromDouble(1.5);
    CHECK(PyNumber_Multiply(seq, f) == NULL);
    CHECK_ERROR(PyExc_TypeError, "can't multiply sequence by non-int of type 'float'");
    Py_DECREF(f);
    PyObject *one = PyLong_FromLong(1);
    CHECK(PyNumber_Add(one, seq) == NULL);
    CHECK_ERROR(PyExc_TypeError, "unsupported operand type(s) for +: 'int' and 'test.Seq'");
    Py_DECREF(one);
    Py_DECREF(seq);
    return 0;
}

/* ---- native bytes ------------------------------------------------------------ */

/* PyLong_AsNativeBytes of the int written `value` into `n` bytes (pre-filled with
 * 0xAA): true when it returns `want` and the buffer holds `hex`, first byte first. */
static int native_bytes_are(const char *value, Py_ssize_t n, int flags, Py_ssize_t want, const char *hex) {
    unsigned char buf[32];
    char got[65] = "";
    memset(buf, 0xAA, sizeof buf);
    PyObject *o = num(value);
    if (o == NULL) return 0;
    Py_ssize_t r = PyLong_AsNativeBytes(o, n ? buf : NULL, n, flags);
    Py_DECREF(o);
    for (Py_ssize_t i = 0; i < n; i++) snprintf(got + 2 * i, 3, "%02x", buf[i]);
    int ok = r == want && strcmp(got, hex) == 0 && buf[n] == 0xAA;
    if (!ok) fprintf(stderr, "  %s in %zd bytes (flags %d): %zd \"%s\", expected %zd \"%s\"\n", value, n, flags, r, got, want, hex);
    return ok;
}
#define CHECK_NATIVE(value, n, flags, want, hex) CHECK(native_bytes_are((value), (n), (flags), (want), (hex)))

static int long_as_native_bytes(void) {
    const int le = Py_ASNATIVEBYTES_LITTLE_ENDIAN, be = Py_ASNATIVEBYTES_BIG_ENDIAN;
    const int ule = le | Py_ASNATIVEBYTES_UNSIGNED_BUFFER;
    /* Compact values report a Py_ssize_t unless a shorter buffer holds them. */
    CHECK_NATIVE("0", 0, -1, 8, "");
    CHECK_NATIVE("-1", 4, -1, 4, "ffffffff");
    CHECK_NATIVE("-1", 16, le, 8, "ffffffffffffffffffffffffffffffff");
    CHECK_NATIVE("1", 16, be, 8, "00000000000000000000000000000001");
    CHECK_NATIVE("0x1234", 2, be, 2, "1234");
    CHECK_NATIVE("0x1234", 2, le, 2, "3412");
    CHECK_NATIVE("0x1234", 2, Py_ASNATIVEBYTES_NATIVE_ENDIAN, 2, "3412");
    /* 255 fills a byte: enough for an unsigned buffer (and for -1), not a signed one. */
    CHECK_NATIVE("255", 1, -1, 1, "ff");
    CHECK_NATIVE("255", 1, le, 2, "ff");
    CHECK_NATIVE("255", 1, ule, 1, "ff");
    CHECK_NATIVE("-128", 1, le, 1, "80");
    CHECK_NATIVE("-129", 1, le, 8, "7f");
    CHECK_NATIVE("256", 1, -1, 8, "00");
    CHECK_NATIVE("0x3fffffff", 2, -1, 8, "ffff");
    /* Wider values: one byte per 8 bits plus a sign bit, truncated C-style. */
    CHECK_NATIVE("0x40000000", 4, -1, 4, "00000040");
    CHECK_NATIVE("0x80000000", 4, -1, 4, "00000080");
    CHECK_NATIVE("0x80000000", 4, le, 5, "00000080");
    CHECK_NATIVE("-0x80000000", 4, -1, 4, "00000080");
    CHECK_NATIVE("-0x80000001", 4, -1, 5, "ffffff7f");
    CHECK_NATIVE("0xffffffffffffffff", 8, -1, 8, "ffffffffffffffff");
    CHECK_NATIVE("0xffffffffffffffff", 8, be, 9, "ffffffffffffffff");
    CHECK_NATIVE("-0x8000000000000000", 8, -1, 8, "0000000000000080");
    CHECK_NATIVE("-0x8000000000000001", 8, -1, 9, "ffffffffffffff7f");
    CHECK_NATIVE("0x10000000000000000000000005", 0, -1, 13, "");
    CHECK_NATIVE("0x10000000000000000000000005", 16, le, 13, "05000000000000000000000010000000");
    CHECK_NATIVE("0x10000000000000000000000005", 4, be, 13, "00000005");
    CHECK_NATIVE("-0x10000000000000000000000005", 16, be, 13, "ffffffeffffffffffffffffffffffffb");
    return 0;
}

static int long_as_native_bytes_errors(void) {
    unsigned char buf[8];
    PyObject *s = str("x"), *minus = PyLong_FromLong(-1), *seven = new_instance(&IndexableType);
    CHECK(PyLong_AsNativeBytes(s, buf, 8, -1) == -1);
    CHECK_ERROR(PyExc_TypeError, "expect int, got str");
    /* __index__ only when asked for (and never with -1). */
    CHECK(PyLong_AsNativeBytes(seven, buf, 8, -1) == -1);
    CHECK_ERROR(PyExc_TypeError, NULL);
    CHECK(PyLong_AsNativeBytes(seven, buf, 1, Py_ASNATIVEBYTES_ALLOW_INDEX) == 1 && buf[0] == 7);
    CHECK(PyLong_AsNativeBytes(s, buf, 1, Py_ASNATIVEBYTES_ALLOW_INDEX) == -1);
    CHECK_ERROR(PyExc_TypeError, NULL);
    CHECK(PyLong_AsNativeBytes(minus, buf, 8, Py_ASNATIVEBYTES_REJECT_NEGATIVE) == -1);
    CHECK_ERROR(PyExc_ValueError, "Cannot convert negative int");
    CHECK(PyLong_AsNativeBytes(minus, buf, -1, -1) == -1);
    CHECK_ERROR(PyExc_SystemError, NULL);
    CHECK(PyLong_AsNativeBytes(NULL, buf, 8, -1) == -1);
    CHECK_ERROR(PyExc_SystemError, NULL);
    Py_DECREF(s);
    Py_DECREF(minus);
    Py_DECREF(seven);
    return 0;
}

static int long_from_native_bytes(void) {
    const unsigned char ffff[] = {0xff, 0xff}, one_two[] = {0x01, 0x02};
    unsigned char top[16] = {0x80};
    CHECK_REPR(PyLong_FromNativeBytes(ffff, 2, -1), "-1");
    CHECK_REPR(PyLong_FromNativeBytes(ffff, 2, Py_ASNATIVEBYTES_UNSIGNED_BUFFER), "65535");
    CHECK_REPR(PyLong_FromUnsignedNativeBytes(ffff, 2, -1), "65535");
    CHECK_REPR(PyLong_FromNativeBytes(one_two, 2, Py_ASNATIVEBYTES_BIG_ENDIAN), "258");
    CHECK_REPR(PyLong_FromNativeBytes(one_two, 2, Py_ASNATIVEBYTES_LITTLE_ENDIAN), "513");
    CHECK_REPR(PyLong_FromNativeBytes(one_two, 0, -1), "0");
    CHECK_REPR(PyLong_FromNativeBytes(top, 16, Py_ASNATIVEBYTES_BIG_ENDIAN), "-170141183460469231731687303715884105728");
    CHECK_REPR(PyLong_FromUnsignedNativeBytes(top, 16, Py_ASNATIVEBYTES_BIG_ENDIAN), "170141183460469231731687303715884105728");
    CHECK_REPR(PyLong_FromNativeBytes(top, 9, Py_ASNATIVEBYTES_LITTLE_ENDIAN), "128");
    /* Round trips through AsNativeBytes, 8 and 17 bytes wide. */
    const char *values[] = {"0", "-1", "-9223372036854775808", "12345678901234567890", "-0x123456789abcdef0123456789abcdef"};
    for (size_t i = 0; i < Py_ARRAY_LENGTH(values); i++) {
        unsigned char buf[17];
        PyObject *o = num(values[i]);
        CHECK(PyLong_AsNativeBytes(o, buf, 17, -1) > 0);
        PyObject *back = PyLong_FromNativeBytes(buf, 17, -1);
        CHECK(back != NULL && PyObject_RichCompareBool(o, back, Py_EQ) == 1);
        Py_DECREF(o);
        Py_DECREF(back);
    }
    CHECK(PyLong_FromNativeBytes(NULL, 1, -1) == NULL);
    CHECK_ERROR(PyExc_SystemError, NULL);
    return 0;
}

static int long_sign_and_bits(void) {
    const char *values[] = {"0", "1", "-1", "3", "-3", "255", "-256", "0x40000000", "-0x10000000000000000000000005"};
    const int signs[] = {0, 1, -1, 1, -1, 1, -1, 1, -1};
    const size_t bits[] = {0, 1, 1, 2, 2, 8, 9, 31, 101};
    for (size_t i = 0; i < Py_ARRAY_LENGTH(values); i++) {
        PyObject *o = num(values[i]);
        CHECK(o != NULL && _PyLong_Sign(o) == signs[i] && _PyLong_NumBits(o) == bits[i]);
        Py_DECREF(o);
    }
    CHECK(_PyLong_Sign(Py_True) == 1 && _PyLong_Sign(Py_False) == 0);
    return 0;
}

/* The exported functions behind the inline PyUnstable_Long_* of longintrepr.h. */
#undef PyUnstable_Long_IsCompact
#undef PyUnstable_Long_CompactValue
static int compact_functions(void) {
    PyObject *small = PyLong_FromLong(-1000), *wide = num("0x40000000");
    CHECK(PyUnstable_Long_IsCompact((PyLongObject *)small) == 1);
    CHECK(PyUnstable_Long_CompactValue((PyLongObject *)small) == -1000);
    CHECK(PyUnstable_Long_IsCompact((PyLongObject *)wide) == 0);
    CHECK(PyUnstable_Long_IsCompact((PyLongObject *)Py_False) == 1);
    CHECK(PyUnstable_Long_CompactValue((PyLongObject *)Py_False) == 0);
    Py_DECREF(small);
    Py_DECREF(wide);
    return 0;
}

static const TestCase cases[] = {
    CASE(long_from_and_as_c_types),
    CASE(long_as_int),
    CASE(long_too_big_for_unsigned),
    CASE(long_and_overflow),
    CASE(long_masks),
    CASE(long_index_rules),
    CASE(null_arguments),
    CASE(long_from_string),
    CASE(long_from_string_errors),
    CASE(big_arithmetic),
    CASE(small_int_signs),
    CASE(int_zero_division),
    CASE(int_true_division),
    CASE(int_power),
    CASE(int_power_modulo),
    CASE(shifts),
    CASE(bitwise),
    CASE(unary_operations),
    CASE(comparisons),
    CASE(hashes),
    CASE(float_repr),
    CASE(float_arithmetic),
    CASE(float_errors),
    CASE(float_power),
    CASE(float_conversions),
    CASE(float_macros),
    CASE(float_from_string),
    CASE(long_from_double),
    CASE(long_as_double),
    CASE(void_pointers),
    CASE(bools),
    CASE(truth_of_numbers),
    CASE(number_index),
    CASE(number_long),
    CASE(number_float),
    CASE(number_checks),
    CASE(number_as_ssize_t),
    CASE(operand_type_errors),
    CASE(inplace_numbers),
    CASE(subclass_dispatch),
    CASE(sequence_fallback),
    CASE(long_as_native_bytes),
    CASE(long_as_native_bytes_errors),
    CASE(long_from_native_bytes),
    CASE(long_sign_and_bits),
    CASE(compact_functions),
};

TEST_MAIN(cases)
