//! Exported names of the variadic entry points.
//!
//! Stable Rust cannot define C-variadic functions, so their bodies are C
//! (`csrc/varargs.c`). Each exported symbol here is a naked function that jumps to
//! the C body, leaving every argument register (and `%al` on x86-64) untouched.
//! Declared for C in `include/isle/varargs.h`.

macro_rules! variadic_exports {
    ($($name:ident => $body:ident),* $(,)?) => {
        extern "C" {
            $(fn $body();)*
        }
        $(
            #[unsafe(naked)]
            #[no_mangle]
            pub unsafe extern "C" fn $name() {
                #[cfg(target_arch = "x86_64")]
                core::arch::naked_asm!("jmp {}", sym $body);
                #[cfg(target_arch = "aarch64")]
                core::arch::naked_asm!("b {}", sym $body);
            }
        )*
    };
}

variadic_exports! {
    PyErr_Format => isle_PyErr_Format,
    PyErr_FormatV => isle_PyErr_FormatV,
    PyUnicode_FromFormat => isle_PyUnicode_FromFormat,
    PyUnicode_FromFormatV => isle_PyUnicode_FromFormatV,
    PyBytes_FromFormat => isle_PyBytes_FromFormat,
    PyBytes_FromFormatV => isle_PyBytes_FromFormatV,
    PyTuple_Pack => isle_PyTuple_Pack,
    PyArg_Parse => isle_PyArg_Parse,
    PyArg_ParseTuple => isle_PyArg_ParseTuple,
    PyArg_VaParse => isle_PyArg_VaParse,
    PyArg_ParseTupleAndKeywords => isle_PyArg_ParseTupleAndKeywords,
    PyArg_VaParseTupleAndKeywords => isle_PyArg_VaParseTupleAndKeywords,
    PyArg_UnpackTuple => isle_PyArg_UnpackTuple,
    PyArg_ValidateKeywordArguments => isle_PyArg_ValidateKeywordArguments,
    _PyArg_CheckPositional => isle__PyArg_CheckPositional,
    Py_BuildValue => isle_Py_BuildValue,
    Py_VaBuildValue => isle_Py_VaBuildValue,
    PyOS_snprintf => isle_PyOS_snprintf,
    PyOS_vsnprintf => isle_PyOS_vsnprintf,
    PyObject_CallFunction => isle_PyObject_CallFunction,
    PyObject_CallMethod => isle_PyObject_CallMethod,
    PyObject_CallFunctionObjArgs => isle_PyObject_CallFunctionObjArgs,
    PyObject_CallMethodObjArgs => isle_PyObject_CallMethodObjArgs,
    _PyObject_CallFunction_SizeT => isle__PyObject_CallFunction_SizeT,
    _PyObject_CallMethod_SizeT => isle__PyObject_CallMethod_SizeT,
    // The names binaries built with PY_SSIZE_T_CLEAN against older headers import;
    // every '#' length is a Py_ssize_t either way.
    _PyArg_Parse_SizeT => isle__PyArg_Parse_SizeT,
    _PyArg_ParseTuple_SizeT => isle__PyArg_ParseTuple_SizeT,
    _PyArg_VaParse_SizeT => isle__PyArg_VaParse_SizeT,
    _PyArg_ParseTupleAndKeywords_SizeT => isle__PyArg_ParseTupleAndKeywords_SizeT,
    _PyArg_VaParseTupleAndKeywords_SizeT => isle__PyArg_VaParseTupleAndKeywords_SizeT,
    _Py_BuildValue_SizeT => isle__Py_BuildValue_SizeT,
    _Py_VaBuildValue_SizeT => isle__Py_VaBuildValue_SizeT,
}
