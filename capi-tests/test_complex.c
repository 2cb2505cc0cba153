/* complex from C: its layout, the PyComplex_* functions, the number protocol with
 * ints and floats mixed in, repr, hash, comparisons, the constructor and the
 * attributes and methods. Also runs against CPython 3.13 (make reference), so every
 * expectation below is CPython's. */
#include "checks.h"
#include <math.h>

/* repr(a OP b) for two new operands (stolen). */
#define CHECK_BINARY(f, a, b, expected) \
    do { \
        PyObject *_a = (a), *_b = (b); \
        CHECK(_a != NULL && _b != NULL); \
        PyObject *_r = f(_a, _b); \
        Py_DECREF(_a); \
        Py_DECREF(_b); \
        CHECK_NEW_REPR(_r, expected); \
    } while (0)

#define CHECK_BINARY_FAILS(f, a, b, exc, message) \
    do { \
        PyObject *_a = (a), *_b = (b); \
        CHECK(_a != NULL && _b != NULL); \
        PyObject *_r = f(_a, _b); \
        Py_DECREF(_a); \
        Py_DECREF(_b); \
        CHECK(_r == NULL); \
        CHECK_ERROR_TEXT(exc, message); \
    } while (0)

static PyObject *power(PyObject *a, PyObject *b) { return PyNumber_Power(a, b, Py_None); }

#define C(re, im) PyComplex_FromDoubles((re), (im))
#define F(v) PyFloat_FromDouble(v)
#define I(v) PyLong_FromLong(v)

static int layout_and_accessors(void) {
    PyObject *z = C(1.5, -2.0);
    CHECK(z != NULL);
    CHECK(PyComplex_Check(z) && PyComplex_CheckExact(z));
    CHECK(!PyFloat_Check(z));
    CHECK(((PyComplexObject *)z)->cval.real == 1.5 && ((PyComplexObject *)z)->cval.imag == -2.0);
    CHECK(PyComplex_RealAsDouble(z) == 1.5);
    CHECK(PyComplex_ImagAsDouble(z) == -2.0);
    Py_complex v = PyComplex_AsCComplex(z);
    CHECK(v.real == 1.5 && v.imag == -2.0);
    Py_DECREF(z);

    Py_complex w = {3.0, 4.0};
    z = PyComplex_FromCComplex(w);
    CHECK_REPR(z, "(3+4j)");
    Py_DECREF(z);

    /* Other numbers are real numbers with a zero imaginary part. */
    PyObject *f = F(2.5);
    CHECK(PyComplex_RealAsDouble(f) == 2.5);
    CHECK(PyComplex_ImagAsDouble(f) == 0.0);
    v = PyComplex_AsCComplex(f);
    CHECK(v.real == 2.5 && v.imag == 0.0);
    Py_DECREF(f);
    PyObject *i = I(7);
    v = PyComplex_AsCComplex(i);
    CHECK(v.real == 7.0 && v.imag == 0.0);
    Py_DECREF(i);
    PyObject *s = PyUnicode_FromString("1j");
    v = PyComplex_AsCComplex(s);
    CHECK(v.real == -1.0 && v.imag == 0.0);
    CHECK_ERROR_TEXT(PyExc_TypeError, "must be real number, not str");
    CHECK(PyComplex_RealAsDouble(s) == -1.0);
    CHECK_ERROR_TEXT(PyExc_TypeError, "must be real number, not str");
    CHECK(PyComplex_ImagAsDouble(s) == -1.0);
    CHECK_ERROR_TEXT(PyExc_TypeError, "must be real number, not str");
    Py_DECREF(s);
    return 0;
}

static int repr_and_hash(void) {
    CHECK_NEW_REPR(C(0.0, 1.0), "1j");
    CHECK_NEW_REPR(C(1.0, 2.0), "(1+2j)");
    CHECK_NEW_REPR(C(-0.0, 0.0), "(-0+0j)");
    CHECK_NEW_REPR(C(0.0, -0.0), "-0j");
    CHECK_NEW_REPR(C(INFINITY, -INFINITY), "(inf-infj)");
    CHECK_NEW_REPR(C(NAN, NAN), "(nan+nanj)");
    CHECK_NEW_REPR(C(1.0, -NAN), "(1+nanj)");
    CHECK_NEW_REPR(C(1e16, 1.5), "(1e+16+1.5j)");
    CHECK_NEW_REPR(C(0.1, 1e-7), "(0.1+1e-07j)");
    CHECK_NEW_REPR(C(2.0, 0.0), "(2+0j)");
    PyObject *z = C(1.0, 2.0);
    CHECK_TEXT(PyObject_Str(z), "(1+2j)");
    CHECK(PyObject_Hash(z) == 2000007);
    Py_DECREF(z);
    z = C(2.0, 0.0);
    CHECK(PyObject_Hash(z) == 2); /* as hash(2) */
    Py_DECREF(z);
    z = C(-1.0, 0.0);
    CHECK(PyObject_Hash(z) == -2);
    Py_DECREF(z);
    z = C(0.0, -1.0);
    CHECK(PyObject_Hash(z) == -2000006);
    Py_DECREF(z);
    z = C(INFINITY, -INFINITY);
    CHECK(PyObject_Hash(z) == -314159628318);
    Py_DECREF(z);
    return 0;
}

static int arithmetic(void) {
    CHECK_BINARY(PyNumber_Add, C(1, 2), C(3, 4), "(4+6j)");
    CHECK_BINARY(PyNumber_Add, I(1), C(0, 2), "(1+2j)");
    CHECK_BINARY(PyNumber_Add, C(0, 2), F(0.5), "(0.5+2j)");
    CHECK_BINARY(PyNumber_Subtract, F(1.0), C(1, 1), "-1j");
    CHECK_BINARY(PyNumber_Multiply, C(1, 2), C(3, 4), "(-5+10j)");
    CHECK_BINARY(PyNumber_Multiply, F(2.0), C(INFINITY, 1), "(inf+nanj)");
    CHECK_BINARY(PyNumber_TrueDivide, C(2, 3), C(0, 2), "(1.5-1j)");
    CHECK_BINARY(PyNumber_TrueDivide, I(1), C(0, 1), "-1j");
    CHECK_BINARY(PyNumber_TrueDivide, C(INFINITY, NAN), C(1, 0), "(nan+nanj)");
    CHECK_BINARY_FAILS(PyNumber_TrueDivide, C(0, 1), I(0), PyExc_ZeroDivisionError, "complex division by zero");
    CHECK_BINARY_FAILS(PyNumber_TrueDivide, F(1.0), C(0, 0), PyExc_ZeroDivisionError, "complex division by zero");
    CHECK_BINARY_FAILS(PyNumber_FloorDivide, C(0, 1), I(1), PyExc_TypeError,
                       "unsupported operand type(s) for //: 'complex' and 'int'");
    CHECK_BINARY_FAILS(PyNumber_Remainder, C(0, 1), I(1), PyExc_TypeError,
                       "unsupported operand type(s) for %: 'complex' and 'int'");
    CHECK_BINARY_FAILS(PyNumber_Add, C(0, 1), PyUnicode_FromString("a"), PyExc_TypeError,
                       "unsupported operand type(s) for +: 'complex' and 'str'");

    /* Powers: small integral exponents multiply, others go through polar form. */
    CHECK_BINARY(power, C(1, 2), I(3), "(-11-2j)");
    CHECK_BINARY(power, C(1, 2), I(-2), "(-0.12-0.16j)");
    CHECK_BINARY(power, C(1, 2), F(0.5), "(1.272019649514069+0.7861513777574233j)");
    CHECK_BINARY(power, C(0, 1), C(0, 1), "(0.20787957635076193+0j)");
    CHECK_BINARY(power, C(1e200, 1e200), I(2), "(nan+nanj)");
    CHECK_BINARY(power, F(-8.0), F(1.0 / 3.0), "(1.0000000000000002+1.7320508075688772j)");
    CHECK_BINARY(power, I(2), C(0, 0.5), "(0.9405421046832438+0.3396771251026685j)");
    CHECK_BINARY_FAILS(power, C(0, 0), I(-1), PyExc_ZeroDivisionError,
                       "0.0 to a negative or complex power");
    CHECK_BINARY_FAILS(power, C(0, 0), C(0, 1), PyExc_ZeroDivisionError,
                       "0.0 to a negative or complex power");
    CHECK_BINARY_FAILS(power, C(10, 0), F(1000.5), PyExc_OverflowError, "complex exponentiation");
    PyObject *a = C(0, 1), *b = I(2), *m = I(3);
    CHECK(PyNumber_Power(a, b, m) == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "complex modulo");
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(m);

    /* Unary operations and truth. */
    PyObject *z = C(3, -4);
    CHECK_NEW_REPR(PyNumber_Negative(z), "(-3+4j)");
    PyObject *p = PyNumber_Positive(z);
    CHECK(p == z);
    Py_DECREF(p);
    CHECK_NEW_REPR(PyNumber_Absolute(z), "5.0");
    CHECK(PyObject_IsTrue(z) == 1);
    Py_DECREF(z);
    z = C(0.0, -0.0);
    CHECK(PyObject_IsTrue(z) == 0);
    Py_DECREF(z);
    z = C(1e308, 1e308);
    CHECK_NEW_REPR(PyNumber_Absolute(z), "1.4142135623730951e+308");
    Py_DECREF(z);
    z = C(1.7e308, 1.7e308);
    CHECK(PyNumber_Absolute(z) == NULL);
    CHECK_ERROR_TEXT(PyExc_OverflowError, "absolute value too large");
    Py_DECREF(z);
    z = C(INFINITY, NAN);
    CHECK_NEW_REPR(PyNumber_Absolute(z), "inf");
    Py_DECREF(z);
    z = C(0, 1);
    CHECK(PyNumber_Long(z) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "int() argument must be a string, a bytes-like object or a real number, not 'complex'");
    Py_DECREF(z);
    return 0;
}

static int comparisons(void) {
    PyObject *z = C(2, 0), *two = I(2), *twof = F(2.0), *other = C(2, 1);
    CHECK(PyObject_RichCompareBool(z, two, Py_EQ) == 1);
    CHECK(PyObject_RichCompareBool(two, z, Py_EQ) == 1);
    CHECK(PyObject_RichCompareBool(z, twof, Py_EQ) == 1);
    CHECK(PyObject_RichCompareBool(twof, z, Py_NE) == 0);
    CHECK(PyObject_RichCompareBool(z, other, Py_NE) == 1);
    CHECK(PyObject_RichCompareBool(other, two, Py_EQ) == 0);
    CHECK(PyObject_RichCompareBool(z, other, Py_LT) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'<' not supported between instances of 'complex' and 'complex'");
    CHECK(PyObject_RichCompareBool(z, two, Py_GE) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'>=' not supported between instances of 'complex' and 'int'");
    /* Exact against big ints: 2**53 + 1 is no double. */
    PyObject *big = PyLong_FromLongLong(9007199254740993LL);
    PyObject *near = C(9007199254740992.0, 0);
    CHECK(PyObject_RichCompareBool(near, big, Py_EQ) == 0);
    Py_DECREF(big);
    Py_DECREF(near);
    Py_DECREF(z);
    Py_DECREF(two);
    Py_DECREF(twof);
    Py_DECREF(other);
    return 0;
}

static int constructor(void) {
    PyObject *type = (PyObject *)&PyComplex_Type;
    CHECK_NEW_REPR(PyObject_CallNoArgs(type), "0j");
    CHECK_NEW_REPR(PyObject_CallFunction(type, "dd", 1.0, 2.0), "(1+2j)");
    CHECK_NEW_REPR(PyObject_CallFunction(type, "i", 5), "(5+0j)");
    CHECK_NEW_REPR(PyObject_CallFunction(type, "s", " ( 1+2j ) "), "(1+2j)");
    CHECK_NEW_REPR(PyObject_CallFunction(type, "s", "1e3-2.5J"), "(1000-2.5j)");
    CHECK_NEW_REPR(PyObject_CallFunction(type, "s", "-j"), "-1j");
    CHECK_NEW_REPR(PyObject_CallFunction(type, "s", "inf+nanj"), "(inf+nanj)");
    CHECK_NEW_REPR(PyObject_CallFunction(type, "s", "1_000+2j"), "(1000+2j)");
    CHECK_NEW_REPR(PyObject_CallFunction(type, "s", "(1)"), "(1+0j)");
    const char *malformed[] = {"x", "1+2j)", "", "j1", "1+", "()", "1+2", "1j+2"};
    for (size_t k = 0; k < sizeof malformed / sizeof *malformed; k++) {
        CHECK(PyObject_CallFunction(type, "s", malformed[k]) == NULL);
        CHECK_ERROR_TEXT(PyExc_ValueError, "complex() arg is a malformed string");
    }
    CHECK(PyObject_CallFunction(type, "s", "1__0") == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "could not convert string to complex: '1__0'");
    CHECK(PyObject_CallFunction(type, "si", "1+2j", 1) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "complex() can't take second arg if first is a string");
    CHECK(PyObject_CallFunction(type, "is", 1, "2") == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "complex() second arg can't be a string");
    CHECK(PyObject_CallFunction(type, "(())") == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "complex() first argument must be a string or a number, not 'tuple'");
    CHECK(PyObject_CallFunction(type, "i[]", 1) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "complex() second argument must be a number, not 'list'");
    CHECK(PyObject_CallFunction(type, "y", "1") == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "complex() first argument must be a string or a number, not 'bytes'");

    /* real + imag*1j, each part's imaginary part counting. */
    PyObject *a = C(1, 2), *b = C(3, 4);
    CHECK_NEW_REPR(PyObject_CallFunctionObjArgs(type, a, b, NULL), "(-3+5j)");
    PyObject *same = PyObject_CallOneArg(type, a);
    CHECK(same == a);
    Py_DECREF(same);
    Py_DECREF(a);
    Py_DECREF(b);
    PyObject *args = PyTuple_New(0);
    PyObject *kwargs = Py_BuildValue("{s:i,s:i}", "real", 1, "imag", 2);
    CHECK_NEW_REPR(PyObject_Call(type, args, kwargs), "(1+2j)");
    Py_DECREF(kwargs);
    kwargs = Py_BuildValue("{s:i}", "imag", 2);
    CHECK_NEW_REPR(PyObject_Call(type, args, kwargs), "2j");
    Py_DECREF(kwargs);
    kwargs = Py_BuildValue("{s:i}", "x", 1);
    CHECK(PyObject_Call(type, args, kwargs) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "complex() got an unexpected keyword argument 'x'");
    Py_DECREF(kwargs);
    Py_DECREF(args);
    return 0;
}

static int attributes_and_methods(void) {
    PyObject *z = C(1, 1.5);
    CHECK_NEW_REPR(PyObject_GetAttrString(z, "real"), "1.0");
    CHECK_NEW_REPR(PyObject_GetAttrString(z, "imag"), "1.5");
    CHECK(PyObject_SetAttrString(z, "real", Py_None) == -1);
    CHECK_RAISED(PyExc_AttributeError);
    CHECK_NEW_REPR(PyObject_CallMethod(z, "conjugate", NULL), "(1-1.5j)");
    CHECK_NEW_REPR(PyObject_CallMethod(z, "__getnewargs__", NULL), "(1.0, 1.5)");
    PyObject *same = PyObject_CallMethod(z, "__complex__", NULL);
    CHECK(same == z);
    Py_DECREF(same);
    Py_DECREF(z);
    return 0;
}

static const TestCase cases[] = {
    KEEPS_OBJECTS(layout_and_accessors),
    CASE(repr_and_hash),
    CASE(arithmetic),
    CASE(comparisons),
    KEEPS_OBJECTS(constructor),
    KEEPS_OBJECTS(attributes_and_methods),
};

TEST_MAIN(cases)
