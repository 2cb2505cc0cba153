/* Layouts, constants and symbol identity: what compiled extensions and hosts read
 * directly must match CPython 3.13 (64-bit, default build) byte for byte. Expected
 * values are those of /work/shared/capi/ABI-FACTS.md, measured against CPython's own
 * headers. This program is a PIE executable that names the library's data symbols, so
 * the dynamic linker gives it copy relocations of them: the identity cases check that
 * the library and the host agree on one address for each. */
#define _GNU_SOURCE
#include "harness.h"
#include <dlfcn.h>
#include <link.h>

/* Fails the case, printing both sides, when two integers differ. */
#define EXPECT_EQ(actual, expected) \
    do { \
        long long _a = (long long)(actual), _e = (long long)(expected); \
        if (_a != _e) { \
            fprintf(stderr, "  %s:%d: %s is %lld, expected %lld\n", __FILE__, __LINE__, #actual, _a, _e); \
            return 1; \
        } \
    } while (0)
#define OFFSET(type, field, expected) EXPECT_EQ(offsetof(type, field), expected)
#define SIZE(type, expected) EXPECT_EQ(sizeof(type), expected)

static int object_headers(void) {
    SIZE(PyObject, 16);
    OFFSET(PyObject, ob_refcnt, 0);
    OFFSET(PyObject, ob_type, 8);
    SIZE(PyVarObject, 24);
    OFFSET(PyVarObject, ob_base, 0);
    OFFSET(PyVarObject, ob_size, 16);
    SIZE(Py_ssize_t, 8);
    SIZE(Py_hash_t, 8);
    SIZE(Py_UCS4, 4);
    return 0;
}

static int type_object(void) {
    SIZE(PyTypeObject, 416);
    OFFSET(PyTypeObject, ob_base, 0);
    OFFSET(PyTypeObject, tp_name, 24);
    OFFSET(PyTypeObject, tp_basicsize, 32);
    OFFSET(PyTypeObject, tp_itemsize, 40);
    OFFSET(PyTypeObject, tp_dealloc, 48);
    OFFSET(PyTypeObject, tp_vectorcall_offset, 56);
    OFFSET(PyTypeObject, tp_getattr, 64);
    OFFSET(PyTypeObject, tp_setattr, 72);
    OFFSET(PyTypeObject, tp_as_async, 80);
    OFFSET(PyTypeObject, tp_repr, 88);
    OFFSET(PyTypeObject, tp_as_number, 96);
    OFFSET(PyTypeObject, tp_as_sequence, 104);
    OFFSET(PyTypeObject, tp_as_mapping, 112);
    OFFSET(PyTypeObject, tp_hash, 120);
    OFFSET(PyTypeObject, tp_call, 128);
    OFFSET(PyTypeObject, tp_str, 136);
    OFFSET(PyTypeObject, tp_getattro, 144);
    OFFSET(PyTypeObject, tp_setattro, 152);
    OFFSET(PyTypeObject, tp_as_buffer, 160);
    OFFSET(PyTypeObject, tp_flags, 168);
    OFFSET(PyTypeObject, tp_doc, 176);
    OFFSET(PyTypeObject, tp_traverse, 184);
    OFFSET(PyTypeObject, tp_clear, 192);
    OFFSET(PyTypeObject, tp_richcompare, 200);
    OFFSET(PyTypeObject, tp_weaklistoffset, 208);
    OFFSET(PyTypeObject, tp_iter, 216);
    OFFSET(PyTypeObject, tp_iternext, 224);
    OFFSET(PyTypeObject, tp_methods, 232);
    OFFSET(PyTypeObject, tp_members, 240);
    OFFSET(PyTypeObject, tp_getset, 248);
    OFFSET(PyTypeObject, tp_base, 256);
    OFFSET(PyTypeObject, tp_dict, 264);
    OFFSET(PyTypeObject, tp_descr_get, 272);
    OFFSET(PyTypeObject, tp_descr_set, 280);
    OFFSET(PyTypeObject, tp_dictoffset, 288);
    OFFSET(PyTypeObject, tp_init, 296);
    OFFSET(PyTypeObject, tp_alloc, 304);
    OFFSET(PyTypeObject, tp_new, 312);
    OFFSET(PyTypeObject, tp_free, 320);
    OFFSET(PyTypeObject, tp_is_gc, 328);
    OFFSET(PyTypeObject, tp_bases, 336);
    OFFSET(PyTypeObject, tp_mro, 344);
    OFFSET(PyTypeObject, tp_cache, 352);
    OFFSET(PyTypeObject, tp_subclasses, 360);
    OFFSET(PyTypeObject, tp_weaklist, 368);
    OFFSET(PyTypeObject, tp_del, 376);
    OFFSET(PyTypeObject, tp_version_tag, 384);
    OFFSET(PyTypeObject, tp_finalize, 392);
    OFFSET(PyTypeObject, tp_vectorcall, 400);
    OFFSET(PyTypeObject, tp_watched, 408);
    OFFSET(PyTypeObject, tp_versions_used, 410);
    SIZE(((PyTypeObject *)0)->tp_flags, 8);
    SIZE(((PyTypeObject *)0)->tp_version_tag, 4);
    SIZE(((PyTypeObject *)0)->tp_watched, 1);
    SIZE(((PyTypeObject *)0)->tp_versions_used, 2);
    return 0;
}

static int number_methods(void) {
    SIZE(PyNumberMethods, 288);
    OFFSET(PyNumberMethods, nb_add, 0);
    OFFSET(PyNumberMethods, nb_subtract, 8);
    OFFSET(PyNumberMethods, nb_multiply, 16);
    OFFSET(PyNumberMethods, nb_remainder, 24);
    OFFSET(PyNumberMethods, nb_divmod, 32);
    OFFSET(PyNumberMethods, nb_power, 40);
    OFFSET(PyNumberMethods, nb_negative, 48);
    OFFSET(PyNumberMethods, nb_positive, 56);
    OFFSET(PyNumberMethods, nb_absolute, 64);
    OFFSET(PyNumberMethods, nb_bool, 72);
    OFFSET(PyNumberMethods, nb_invert, 80);
    OFFSET(PyNumberMethods, nb_lshift, 88);
    OFFSET(PyNumberMethods, nb_rshift, 96);
    OFFSET(PyNumberMethods, nb_and, 104);
    OFFSET(PyNumberMethods, nb_xor, 112);
    OFFSET(PyNumberMethods, nb_or, 120);
    OFFSET(PyNumberMethods, nb_int, 128);
    OFFSET(PyNumberMethods, nb_reserved, 136);
    OFFSET(PyNumberMethods, nb_float, 144);
    OFFSET(PyNumberMethods, nb_inplace_add, 152);
    OFFSET(PyNumberMethods, nb_inplace_subtract, 160);
    OFFSET(PyNumberMethods, nb_inplace_multiply, 168);
    OFFSET(PyNumberMethods, nb_inplace_remainder, 176);
    OFFSET(PyNumberMethods, nb_inplace_power, 184);
    OFFSET(PyNumberMethods, nb_inplace_lshift, 192);
    OFFSET(PyNumberMethods, nb_inplace_rshift, 200);
    OFFSET(PyNumberMethods, nb_inplace_and, 208);
    OFFSET(PyNumberMethods, nb_inplace_xor, 216);
    OFFSET(PyNumberMethods, nb_inplace_or, 224);
    OFFSET(PyNumberMethods, nb_floor_divide, 232);
    OFFSET(PyNumberMethods, nb_true_divide, 240);
    OFFSET(PyNumberMethods, nb_inplace_floor_divide, 248);
    OFFSET(PyNumberMethods, nb_inplace_true_divide, 256);
    OFFSET(PyNumberMethods, nb_index, 264);
    OFFSET(PyNumberMethods, nb_matrix_multiply, 272);
    OFFSET(PyNumberMethods, nb_inplace_matrix_multiply, 280);
    return 0;
}

static int other_method_suites(void) {
    SIZE(PySequenceMethods, 80);
    OFFSET(PySequenceMethods, sq_length, 0);
    OFFSET(PySequenceMethods, sq_concat, 8);
    OFFSET(PySequenceMethods, sq_repeat, 16);
    OFFSET(PySequenceMethods, sq_item, 24);
    OFFSET(PySequenceMethods, was_sq_slice, 32);
    OFFSET(PySequenceMethods, sq_ass_item, 40);
    OFFSET(PySequenceMethods, was_sq_ass_slice, 48);
    OFFSET(PySequenceMethods, sq_contains, 56);
    OFFSET(PySequenceMethods, sq_inplace_concat, 64);
    OFFSET(PySequenceMethods, sq_inplace_repeat, 72);

    SIZE(PyMappingMethods, 24);
    OFFSET(PyMappingMethods, mp_length, 0);
    OFFSET(PyMappingMethods, mp_subscript, 8);
    OFFSET(PyMappingMethods, mp_ass_subscript, 16);

    SIZE(PyAsyncMethods, 32);
    OFFSET(PyAsyncMethods, am_await, 0);
    OFFSET(PyAsyncMethods, am_aiter, 8);
    OFFSET(PyAsyncMethods, am_anext, 16);
    OFFSET(PyAsyncMethods, am_send, 24);

    SIZE(PyBufferProcs, 16);
    OFFSET(PyBufferProcs, bf_getbuffer, 0);
    OFFSET(PyBufferProcs, bf_releasebuffer, 8);
    return 0;
}

static int definition_structs(void) {
    SIZE(PyMethodDef, 32);
    OFFSET(PyMethodDef, ml_name, 0);
    OFFSET(PyMethodDef, ml_meth, 8);
    OFFSET(PyMethodDef, ml_flags, 16);
    OFFSET(PyMethodDef, ml_doc, 24);

    SIZE(PyMemberDef, 40);
    OFFSET(PyMemberDef, name, 0);
    OFFSET(PyMemberDef, type, 8);
    OFFSET(PyMemberDef, offset, 16);
    OFFSET(PyMemberDef, flags, 24);
    OFFSET(PyMemberDef, doc, 32);

    SIZE(PyGetSetDef, 40);
    OFFSET(PyGetSetDef, name, 0);
    OFFSET(PyGetSetDef, get, 8);
    OFFSET(PyGetSetDef, set, 16);
    OFFSET(PyGetSetDef, doc, 24);
    OFFSET(PyGetSetDef, closure, 32);

    /* The designated initialisers extension code writes must compile. */
    static PyMemberDef members[] = {{.name = "x", .type = 1, .offset = 16, .flags = 1, .doc = NULL}, {NULL}};
    EXPECT_EQ(members[0].type, 1);
    return 0;
}

static int buffer_struct(void) {
    SIZE(Py_buffer, 80);
    OFFSET(Py_buffer, buf, 0);
    OFFSET(Py_buffer, obj, 8);
    OFFSET(Py_buffer, len, 16);
    OFFSET(Py_buffer, itemsize, 24);
    OFFSET(Py_buffer, readonly, 32);
    OFFSET(Py_buffer, ndim, 36);
    OFFSET(Py_buffer, format, 40);
    OFFSET(Py_buffer, shape, 48);
    OFFSET(Py_buffer, strides, 56);
    OFFSET(Py_buffer, suboffsets, 64);
    OFFSET(Py_buffer, internal, 72);
    return 0;
}

static int config_struct(void) {
    SIZE(PyConfig, 448);
    SIZE(PyWideStringList, 16);
    OFFSET(PyWideStringList, length, 0);
    OFFSET(PyWideStringList, items, 8);
    OFFSET(PyConfig, _config_init, 0);
    OFFSET(PyConfig, isolated, 4);
    OFFSET(PyConfig, use_environment, 8);
    OFFSET(PyConfig, dev_mode, 12);
    OFFSET(PyConfig, install_signal_handlers, 16);
    OFFSET(PyConfig, use_hash_seed, 20);
    OFFSET(PyConfig, hash_seed, 24);
    OFFSET(PyConfig, faulthandler, 32);
    OFFSET(PyConfig, tracemalloc, 36);
    OFFSET(PyConfig, perf_profiling, 40);
    OFFSET(PyConfig, import_time, 44);
    OFFSET(PyConfig, code_debug_ranges, 48);
    OFFSET(PyConfig, show_ref_count, 52);
    OFFSET(PyConfig, dump_refs, 56);
    OFFSET(PyConfig, dump_refs_file, 64);
    OFFSET(PyConfig, malloc_stats, 72);
    OFFSET(PyConfig, filesystem_encoding, 80);
    OFFSET(PyConfig, filesystem_errors, 88);
    OFFSET(PyConfig, pycache_prefix, 96);
    OFFSET(PyConfig, parse_argv, 104);
    OFFSET(PyConfig, orig_argv, 112);
    OFFSET(PyConfig, argv, 128);
    OFFSET(PyConfig, xoptions, 144);
    OFFSET(PyConfig, warnoptions, 160);
    OFFSET(PyConfig, site_import, 176);
    OFFSET(PyConfig, bytes_warning, 180);
    OFFSET(PyConfig, warn_default_encoding, 184);
    OFFSET(PyConfig, inspect, 188);
    OFFSET(PyConfig, interactive, 192);
    OFFSET(PyConfig, optimization_level, 196);
    OFFSET(PyConfig, parser_debug, 200);
    OFFSET(PyConfig, write_bytecode, 204);
    OFFSET(PyConfig, verbose, 208);
    OFFSET(PyConfig, quiet, 212);
    OFFSET(PyConfig, user_site_directory, 216);
    OFFSET(PyConfig, configure_c_stdio, 220);
    OFFSET(PyConfig, buffered_stdio, 224);
    OFFSET(PyConfig, stdio_encoding, 232);
    OFFSET(PyConfig, stdio_errors, 240);
    OFFSET(PyConfig, check_hash_pycs_mode, 248);
    OFFSET(PyConfig, use_frozen_modules, 256);
    OFFSET(PyConfig, safe_path, 260);
    OFFSET(PyConfig, int_max_str_digits, 264);
    OFFSET(PyConfig, cpu_count, 268);
    OFFSET(PyConfig, pathconfig_warnings, 272);
    OFFSET(PyConfig, program_name, 280);
    OFFSET(PyConfig, pythonpath_env, 288);
    OFFSET(PyConfig, home, 296);
    OFFSET(PyConfig, platlibdir, 304);
    OFFSET(PyConfig, module_search_paths_set, 312);
    OFFSET(PyConfig, module_search_paths, 320);
    OFFSET(PyConfig, stdlib_dir, 336);
    OFFSET(PyConfig, executable, 344);
    OFFSET(PyConfig, base_executable, 352);
    OFFSET(PyConfig, prefix, 360);
    OFFSET(PyConfig, base_prefix, 368);
    OFFSET(PyConfig, exec_prefix, 376);
    OFFSET(PyConfig, base_exec_prefix, 384);
    OFFSET(PyConfig, skip_source_first_line, 392);
    OFFSET(PyConfig, run_command, 400);
    OFFSET(PyConfig, run_module, 408);
    OFFSET(PyConfig, run_filename, 416);
    OFFSET(PyConfig, sys_path_0, 424);
    OFFSET(PyConfig, _install_importlib, 432);
    OFFSET(PyConfig, _init_main, 436);
    OFFSET(PyConfig, _is_python_build, 440);
    return 0;
}

static int interpreter_structs(void) {
    SIZE(PyPreConfig, 40);
    SIZE(PyInterpreterConfig, 28);
    OFFSET(PyInterpreterConfig, use_main_obmalloc, 0);
    OFFSET(PyInterpreterConfig, allow_fork, 4);
    OFFSET(PyInterpreterConfig, allow_exec, 8);
    OFFSET(PyInterpreterConfig, allow_threads, 12);
    OFFSET(PyInterpreterConfig, allow_daemon_threads, 16);
    OFFSET(PyInterpreterConfig, check_multi_interp_extensions, 20);
    OFFSET(PyInterpreterConfig, gil, 24);
    SIZE(PyStatus, 32);
    OFFSET(PyStatus, _type, 0);
    OFFSET(PyStatus, func, 8);
    OFFSET(PyStatus, err_msg, 16);
    OFFSET(PyStatus, exitcode, 24);
    OFFSET(PyThreadState, prev, 0);
    OFFSET(PyThreadState, next, 8);
    OFFSET(PyThreadState, interp, 16);
    return 0;
}

static int builtin_object_layouts(void) {
    OFFSET(PyTupleObject, ob_item, 24);
    SIZE(PyListObject, 40);
    OFFSET(PyListObject, ob_item, 24);
    OFFSET(PyListObject, allocated, 32);
    SIZE(PyFloatObject, 24);
    OFFSET(PyFloatObject, ob_fval, 16);
    SIZE(PyDictObject, 48);
    OFFSET(PyDictObject, ma_used, 16);
    SIZE(PyLongObject, 32);
    OFFSET(PyLongObject, long_value.lv_tag, 16);
    OFFSET(PyLongObject, long_value.ob_digit, 24);
    OFFSET(PyBytesObject, ob_shash, 24);
    OFFSET(PyBytesObject, ob_sval, 32);
    SIZE(PyASCIIObject, 40);
    OFFSET(PyASCIIObject, length, 16);
    OFFSET(PyASCIIObject, hash, 24);
    OFFSET(PyASCIIObject, state, 32);
    SIZE(PyCompactUnicodeObject, 56);
    OFFSET(PyCompactUnicodeObject, utf8_length, 40);
    OFFSET(PyCompactUnicodeObject, utf8, 48);
    SIZE(PyBaseExceptionObject, 72);
    OFFSET(PyBaseExceptionObject, dict, 16);
    OFFSET(PyBaseExceptionObject, args, 24);
    OFFSET(PyBaseExceptionObject, notes, 32);
    OFFSET(PyBaseExceptionObject, traceback, 40);
    OFFSET(PyBaseExceptionObject, context, 48);
    OFFSET(PyBaseExceptionObject, cause, 56);
    OFFSET(PyBaseExceptionObject, suppress_context, 64);
    SIZE(_Py_TrueStruct, 32);
    SIZE(_Py_FalseStruct, 32);
    return 0;
}

/* The size the dynamic symbol table records for a data symbol: what a host's copy
 * relocation copies. */
static long long symbol_size(const void *addr) {
    Dl_info info;
    const ElfW(Sym) *sym = NULL;
    if (!dladdr1(addr, &info, (void **)&sym, RTLD_DL_SYMENT) || sym == NULL) return -1;
    return (long long)sym->st_size;
}

static int data_symbol_sizes(void) {
    EXPECT_EQ(symbol_size(&_Py_TrueStruct), 32);
    EXPECT_EQ(symbol_size(&_Py_FalseStruct), 32);
    EXPECT_EQ(symbol_size(&_Py_NoneStruct), 16);
    EXPECT_EQ(symbol_size(&_Py_NotImplementedStruct), 16);
    EXPECT_EQ(symbol_size(&_Py_EllipsisObject), 16);
    EXPECT_EQ(symbol_size(&PyExc_TypeError), 8);
    EXPECT_EQ(symbol_size(&PyLong_Type), 416);
    EXPECT_EQ(symbol_size(&PyBaseObject_Type), 416);
    return 0;
}

static int type_flag_constants(void) {
    EXPECT_EQ(Py_TPFLAGS_HAVE_FINALIZE, 0x1);
    EXPECT_EQ(Py_TPFLAGS_MANAGED_WEAKREF, 0x8);
    EXPECT_EQ(Py_TPFLAGS_MANAGED_DICT, 0x10);
    EXPECT_EQ(Py_TPFLAGS_SEQUENCE, 0x20);
    EXPECT_EQ(Py_TPFLAGS_MAPPING, 0x40);
    EXPECT_EQ(Py_TPFLAGS_DISALLOW_INSTANTIATION, 0x80);
    EXPECT_EQ(Py_TPFLAGS_IMMUTABLETYPE, 0x100);
    EXPECT_EQ(Py_TPFLAGS_HEAPTYPE, 0x200);
    EXPECT_EQ(Py_TPFLAGS_BASETYPE, 0x400);
    EXPECT_EQ(Py_TPFLAGS_HAVE_VECTORCALL, 0x800);
    EXPECT_EQ(Py_TPFLAGS_READY, 0x1000);
    EXPECT_EQ(Py_TPFLAGS_READYING, 0x2000);
    EXPECT_EQ(Py_TPFLAGS_HAVE_GC, 0x4000);
    EXPECT_EQ(Py_TPFLAGS_HAVE_STACKLESS_EXTENSION, 0);
    EXPECT_EQ(Py_TPFLAGS_METHOD_DESCRIPTOR, 0x20000);
    EXPECT_EQ(Py_TPFLAGS_HAVE_VERSION_TAG, 0x40000);
    EXPECT_EQ(Py_TPFLAGS_VALID_VERSION_TAG, 0x80000);
    EXPECT_EQ(Py_TPFLAGS_IS_ABSTRACT, 0x100000);
    EXPECT_EQ(Py_TPFLAGS_ITEMS_AT_END, 0x800000);
    EXPECT_EQ(Py_TPFLAGS_LONG_SUBCLASS, 0x1000000);
    EXPECT_EQ(Py_TPFLAGS_LIST_SUBCLASS, 0x2000000);
    EXPECT_EQ(Py_TPFLAGS_TUPLE_SUBCLASS, 0x4000000);
    EXPECT_EQ(Py_TPFLAGS_BYTES_SUBCLASS, 0x8000000);
    EXPECT_EQ(Py_TPFLAGS_UNICODE_SUBCLASS, 0x10000000);
    EXPECT_EQ(Py_TPFLAGS_DICT_SUBCLASS, 0x20000000);
    EXPECT_EQ(Py_TPFLAGS_BASE_EXC_SUBCLASS, 0x40000000);
    /* Bit 31 must be usable in an unsigned long without sign extension. */
    EXPECT_EQ((unsigned long)Py_TPFLAGS_TYPE_SUBCLASS, 0x80000000UL);
    EXPECT_EQ(Py_TPFLAGS_DEFAULT, 0);
    return 0;
}

static int other_constants(void) {
    EXPECT_EQ(METH_VARARGS, 0x1);
    EXPECT_EQ(METH_KEYWORDS, 0x2);
    EXPECT_EQ(METH_NOARGS, 0x4);
    EXPECT_EQ(METH_O, 0x8);
    EXPECT_EQ(METH_CLASS, 0x10);
    EXPECT_EQ(METH_STATIC, 0x20);
    EXPECT_EQ(METH_COEXIST, 0x40);
    EXPECT_EQ(METH_FASTCALL, 0x80);
    EXPECT_EQ(METH_METHOD, 0x200);
    EXPECT_EQ(Py_LT, 0);
    EXPECT_EQ(Py_LE, 1);
    EXPECT_EQ(Py_EQ, 2);
    EXPECT_EQ(Py_NE, 3);
    EXPECT_EQ(Py_GT, 4);
    EXPECT_EQ(Py_GE, 5);
    EXPECT_EQ(Py_CONSTANT_NONE, 0);
    EXPECT_EQ(Py_CONSTANT_FALSE, 1);
    EXPECT_EQ(Py_CONSTANT_TRUE, 2);
    EXPECT_EQ(Py_CONSTANT_ELLIPSIS, 3);
    EXPECT_EQ(Py_CONSTANT_NOT_IMPLEMENTED, 4);
    EXPECT_EQ(Py_CONSTANT_ZERO, 5);
    EXPECT_EQ(Py_CONSTANT_ONE, 6);
    EXPECT_EQ(Py_CONSTANT_EMPTY_STR, 7);
    EXPECT_EQ(Py_CONSTANT_EMPTY_BYTES, 8);
    EXPECT_EQ(Py_CONSTANT_EMPTY_TUPLE, 9);
    EXPECT_EQ(PY_MAJOR_VERSION, 3);
    EXPECT_EQ(PY_MINOR_VERSION, 13);
    EXPECT_EQ(PY_VERSION_HEX >> 16, 0x030d);
    EXPECT_EQ(PY_VERSION_HEX & 0xff, 0xf0); /* a final release */
    EXPECT_EQ(_Py_IMMORTAL_REFCNT, 0xFFFFFFFFLL);
    EXPECT_EQ(PyInterpreterConfig_DEFAULT_GIL, 0);
    EXPECT_EQ(PyInterpreterConfig_SHARED_GIL, 1);
    EXPECT_EQ(PyInterpreterConfig_OWN_GIL, 2);
    EXPECT_EQ(PyUnicode_1BYTE_KIND, 1);
    EXPECT_EQ(PyUnicode_2BYTE_KIND, 2);
    EXPECT_EQ(PyUnicode_4BYTE_KIND, 4);
    EXPECT_EQ(_PyStatus_TYPE_OK, 0);
    EXPECT_EQ(_PyStatus_TYPE_ERROR, 1);
    EXPECT_EQ(_PyStatus_TYPE_EXIT, 2);
    return 0;
}

/* The singletons the host reaches through its copies are the ones the library hands out. */
static int singleton_identity(void) {
    CHECK(Py_None == Py_GetConstantBorrowed(Py_CONSTANT_NONE));
    CHECK(Py_True == Py_GetConstantBorrowed(Py_CONSTANT_TRUE));
    CHECK(Py_False == Py_GetConstantBorrowed(Py_CONSTANT_FALSE));
    CHECK(Py_Ellipsis == Py_GetConstantBorrowed(Py_CONSTANT_ELLIPSIS));
    CHECK(Py_NotImplemented == Py_GetConstantBorrowed(Py_CONSTANT_NOT_IMPLEMENTED));
    CHECK(Py_IsNone(Py_None));
    CHECK(Py_IsTrue(Py_True));
    CHECK(Py_IsFalse(Py_False));
    CHECK(Py_TYPE(Py_True) == &PyBool_Type);
    CHECK(Py_TYPE(Py_False) == &PyBool_Type);
    /* None's type is a static type whose base is object and whose type is type. */
    PyTypeObject *none_type = Py_TYPE(Py_None);
    CHECK(none_type->tp_base == &PyBaseObject_Type);
    CHECK(Py_TYPE(none_type) == &PyType_Type);
    CHECK(Py_TYPE(&PyType_Type) == &PyType_Type);
    CHECK(PyType_Type.tp_base == &PyBaseObject_Type);
    CHECK(PyBaseObject_Type.tp_base == NULL);
    CHECK(strcmp(none_type->tp_name, "NoneType") == 0);
    CHECK(_Py_IsImmortal(Py_None));
    return 0;
}

static int exception_identity(void) {
    PyErr_SetString(PyExc_TypeError, "boom");
    CHECK(PyErr_Occurred() == PyExc_TypeError);
    PyErr_Clear();
    PyErr_SetNone(PyExc_KeyError);
    CHECK(PyErr_Occurred() == PyExc_KeyError);
    PyErr_Clear();
    CHECK(PyExc_IOError == PyExc_OSError);
    CHECK(PyExc_EnvironmentError == PyExc_OSError);
    CHECK(Py_TYPE(PyExc_TypeError) == &PyType_Type);
    CHECK(((PyTypeObject *)PyExc_TypeError)->tp_base == (PyTypeObject *)PyExc_Exception);
    CHECK(((PyTypeObject *)PyExc_BaseException)->tp_base == &PyBaseObject_Type);
    CHECK(PyExceptionClass_Check(PyExc_TypeError));
    return 0;
}

static int builtin_type_identity(void) {
    PyObject *s = PyUnicode_FromStringAndSize("x", 1);
    CHECK(s != NULL);
    CHECK(Py_TYPE(s) == &PyUnicode_Type);
    CHECK(PyUnicode_CheckExact(s));
    CHECK(PyUnicode_Check(s));
    Py_DECREF(s);
    PyObject *t = PyTuple_New(2);
    CHECK(t != NULL);
    CHECK(Py_TYPE(t) == &PyTuple_Type);
    CHECK(PyTuple_Check(t));
    Py_DECREF(t);
    PyObject *empty = Py_GetConstant(Py_CONSTANT_EMPTY_TUPLE);
    CHECK(Py_TYPE(empty) == &PyTuple_Type);
    Py_DECREF(empty);
    PyObject *eb = Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_BYTES);
    CHECK(Py_TYPE(eb) == &PyBytes_Type);
    PyObject *zero = Py_GetConstant(Py_CONSTANT_ZERO);
    CHECK(Py_TYPE(zero) == &PyLong_Type);
    Py_DECREF(zero);
    /* type(x) seen through the API is the exported object too. */
    PyObject *ty = PyObject_Type(Py_None);
    CHECK(ty == (PyObject *)Py_TYPE(Py_None));
    Py_DECREF(ty);
    return 0;
}

static const TestCase cases[] = {
    CASE(object_headers),
    CASE(type_object),
    CASE(number_methods),
    CASE(other_method_suites),
    CASE(definition_structs),
    CASE(buffer_struct),
    CASE(config_struct),
    CASE(interpreter_structs),
    CASE(builtin_object_layouts),
    CASE(data_symbol_sizes),
    CASE(type_flag_constants),
    CASE(other_constants),
    CASE(singleton_identity),
    CASE(exception_identity),
    CASE(builtin_type_identity),
};

TEST_MAIN(cases)
