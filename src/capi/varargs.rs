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
}
