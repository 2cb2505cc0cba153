//! The Python-visible methods and attributes of `complex` (its `tp_methods` and
//! `tp_members`), as CPython 3.13 has them.

use super::complex::{self, value};
use super::methodargs::{simple, END};
use super::object::new_ref;
use super::{float, tuple};
use crate::abi::*;
use crate::runtime::boundary;
use core::mem::offset_of;

pub static mut COMPLEX_METHODS: [PyMethodDef; 4] = [
    simple(c"conjugate", complex_conjugate, METH_NOARGS),
    simple(c"__complex__", complex_dunder_complex, METH_NOARGS),
    simple(c"__getnewargs__", complex_getnewargs, METH_NOARGS),
    END,
];

const fn readonly_double(name: &'static core::ffi::CStr, offset: usize) -> PyMemberDef {
    PyMemberDef {
        name: name.as_ptr(),
        r#type: Py_T_DOUBLE,
        offset: offset as Py_ssize_t,
        flags: Py_READONLY,
        doc: core::ptr::null(),
    }
}

pub static mut COMPLEX_MEMBERS: [PyMemberDef; 3] = [
    readonly_double(c"real", offset_of!(PyComplexObject, cval) + offset_of!(Py_complex, real)),
    readonly_double(c"imag", offset_of!(PyComplexObject, cval) + offset_of!(Py_complex, imag)),
    PyMemberDef { name: core::ptr::null(), r#type: 0, offset: 0, flags: 0, doc: core::ptr::null() },
];

unsafe extern "C" fn complex_conjugate(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        let v = value(o);
        complex::from_doubles(ts, v.real, -v.imag)
    })
}

/// `z.__complex__()`: the value as an exact complex.
unsafe extern "C" fn complex_dunder_complex(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(
        |ts| if complex::check_exact(o) { Ok(unsafe { new_ref(o) }) } else { complex::from_value(ts, value(o)) },
    )
}

unsafe extern "C" fn complex_getnewargs(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        let v = value(o);
        let real = float::from_f64(ts, v.real)?;
        let imag = match float::from_f64(ts, v.imag) {
            Ok(i) => i,
            Err(e) => {
                unsafe { super::object::decref(real) };
                return Err(e);
            }
        };
        let t = tuple::pack(ts, &[real, imag]);
        // SAFETY: the tuple holds its own references.
        unsafe {
            super::object::decref(real);
            super::object::decref(imag);
        }
        t
    })
}
