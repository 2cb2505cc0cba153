//! The buffer protocol (PEP 3118): views of an object's memory through its type's
//! `bf_getbuffer`/`bf_releasebuffer`, and the helpers over `Py_buffer` that
//! `pybuffer.h` declares (contiguity, element pointers, copies in C or Fortran order,
//! the item size a `struct` format describes).

use super::object::{self, type_of, xincref};
use super::typeobject::type_name;
use crate::abi::*;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ffi::{c_char, c_int, c_void, CStr};
use core::ptr::null_mut;

fn buffer_error(ts: Ts, message: &str) -> errors::Raised {
    errors::set_string(ts, super::exceptions::exc(super::exceptions::Exc::BufferError), message)
}

/// The buffer table of `o`'s type, when it can export a buffer.
fn procs(o: *mut PyObject) -> Option<&'static PyBufferProcs> {
    // SAFETY: a live object's type; tp_as_buffer is null or a live table.
    let table = unsafe { (*type_of(o)).tp_as_buffer.as_ref()? };
    table.bf_getbuffer.is_some().then_some(table)
}

/// `PyObject_CheckBuffer`.
pub fn has_buffer(o: *mut PyObject) -> bool {
    procs(o).is_some()
}

/// `PyBUF_READ` and `PyBUF_WRITE` name directions for `PyMemoryView_FromMemory`; as
/// request flags they are a caller's mistake.
fn check_request(ts: Ts, flags: c_int) -> PyResult<()> {
    if flags == PyBUF_READ || flags == PyBUF_WRITE {
        return Err(errors::bad_internal_call(ts));
    }
    Ok(())
}

/// `PyObject_GetBuffer`: fills `view` through the exporter's `bf_getbuffer`.
pub fn get_buffer(ts: Ts, o: *mut PyObject, view: *mut Py_buffer, flags: c_int) -> PyResult<()> {
    check_request(ts, flags)?;
    let Some(get) = procs(o).and_then(|p| p.bf_getbuffer) else {
        let got = type_name(type_of(o));
        return Err(errors::type_error(ts, &format!("a bytes-like object is required, not '{got}'")));
    };
    // SAFETY: the exporter's own slot with the caller's view.
    if unsafe { get(o, view, flags) } < 0 {
        return Err(errors::Raised);
    }
    Ok(())
}

/// `PyBuffer_Release`: the exporter's `bf_releasebuffer`, then the view's reference
/// to it is dropped (`view.obj` becomes NULL, so a second release does nothing).
///
/// # Safety
/// `view` was filled by `get_buffer` (or `fill_info`) and not released since.
pub unsafe fn release(view: *mut Py_buffer) {
    // SAFETY: per the contract.
    unsafe {
        let o = (*view).obj;
        if o.is_null() {
            return;
        }
        if let Some(rel) = (*type_of(o)).tp_as_buffer.as_ref().and_then(|p| p.bf_releasebuffer) {
            rel(o, view);
        }
        (*view).obj = null_mut();
        object::decref(o);
    }
}

/// A copy of the bytes `o` exports as a simple buffer (bytes, bytearray, any
/// `bf_getbuffer`), or `None` when it exports none: for arguments CPython takes as
/// any bytes-like object.
pub fn copy_of(ts: Ts, o: *mut PyObject) -> PyResult<Option<Vec<u8>>> {
    // bytes and bytearray are read in place, without an export.
    if let Some(data) = super::bytearray::bytes_like(o) {
        return Ok(Some(data.to_vec()));
    }
    if !has_buffer(o) {
        return Ok(None);
    }
    // SAFETY: all-zero is a valid empty `Py_buffer` for the exporter to fill.
    let mut view: Py_buffer = unsafe { core::mem::zeroed() };
    get_buffer(ts, o, &mut view, PyBUF_SIMPLE)?;
    let data = if view.buf.is_null() || view.len <= 0 {
        Vec::new()
    } else {
        // SAFETY: a simple buffer is `len` contiguous bytes at `buf`.
        unsafe { core::slice::from_raw_parts(view.buf as *const u8, view.len as usize) }.to_vec()
    };
    // SAFETY: filled by `get_buffer` above and not released since.
    unsafe { release(&mut view) };
    Ok(Some(data))
}

/// `PyBuffer_FillInfo`: a one-dimensional view of `len` unsigned bytes at `buf`,
/// giving only what `flags` asks for (format `"B"`, shape, strides).
pub fn fill_info(
    ts: Ts,
    view: *mut Py_buffer,
    o: *mut PyObject,
    buf: *mut c_void,
    len: Py_ssize_t,
    readonly: c_int,
    flags: c_int,
) -> PyResult<()> {
    if view.is_null() {
        return Err(buffer_error(ts, "PyBuffer_FillInfo: view==NULL argument is obsolete"));
    }
    check_request(ts, flags)?;
    if flags & PyBUF_WRITABLE == PyBUF_WRITABLE && readonly == 1 {
        return Err(buffer_error(ts, "Object is not writable."));
    }
    // SAFETY: the caller's view; `o` is null or live. Shape and strides point into the
    // view itself, as CPython's do.
    unsafe {
        xincref(o);
        let v = &mut *view;
        v.obj = o;
        v.buf = buf;
        v.len = len;
        v.readonly = readonly;
        v.itemsize = 1;
        v.format = if flags & PyBUF_FORMAT == PyBUF_FORMAT { c"B".as_ptr() as *mut c_char } else { null_mut() };
        v.ndim = 1;
        v.shape = if flags & PyBUF_ND == PyBUF_ND { &raw mut v.len } else { null_mut() };
        v.strides = if flags & PyBUF_STRIDES == PyBUF_STRIDES { &raw mut v.itemsize } else { null_mut() };
        v.suboffsets = null_mut();
        v.internal = null_mut();
    }
    Ok(())
}

/// The view's shape and strides as slices (read through raw pointers the exporter
/// gave). A view without a shape is one-dimensional, `len / itemsize` items long; one
/// without strides is C-contiguous.
struct Dims {
    shape: Vec<Py_ssize_t>,
    strides: Vec<Py_ssize_t>,
}

fn dims(view: &Py_buffer) -> Dims {
    let nd = view.ndim.max(0) as usize;
    let shape: Vec<Py_ssize_t> = if view.shape.is_null() {
        let item = view.itemsize.max(1);
        if nd == 0 {
            Vec::new()
        } else {
            vec![view.len / item]
        }
    } else {
        // SAFETY: an exporter's shape has ndim entries.
        unsafe { core::slice::from_raw_parts(view.shape, nd) }.to_vec()
    };
    let strides = if view.strides.is_null() {
        c_strides(&shape, view.itemsize)
    } else {
        // SAFETY: an exporter's strides have ndim entries.
        unsafe { core::slice::from_raw_parts(view.strides, nd) }.to_vec()
    };
    Dims { shape, strides }
}

fn c_strides(shape: &[Py_ssize_t], itemsize: Py_ssize_t) -> Vec<Py_ssize_t> {
    let mut strides = vec![0; shape.len()];
    let mut step = itemsize;
    for k in (0..shape.len()).rev() {
        strides[k] = step;
        step *= shape[k];
    }
    strides
}

fn c_contiguous(view: &Py_buffer) -> bool {
    if view.len == 0 || view.strides.is_null() {
        return true;
    }
    let d = dims(view);
    let mut step = view.itemsize;
    for k in (0..d.shape.len()).rev() {
        if d.shape[k] > 1 && d.strides[k] != step {
            return false;
        }
        step *= d.shape[k];
    }
    true
}

fn fortran_contiguous(view: &Py_buffer) -> bool {
    if view.len == 0 {
        return true;
    }
    let d = dims(view);
    if view.strides.is_null() {
        // C-contiguous: also Fortran-contiguous when at most one dimension exceeds 1.
        return view.ndim <= 1 || d.shape.iter().filter(|&&n| n > 1).count() <= 1;
    }
    let mut step = view.itemsize;
    for k in 0..d.shape.len() {
        if d.shape[k] > 1 && d.strides[k] != step {
            return false;
        }
        step *= d.shape[k];
    }
    true
}

/// `PyBuffer_IsContiguous`: `order` is `'C'`, `'F'` or `'A'` (either).
pub fn is_contiguous(view: &Py_buffer, order: u8) -> bool {
    if !view.suboffsets.is_null() {
        return false;
    }
    match order {
        b'C' => c_contiguous(view),
        b'F' => fortran_contiguous(view),
        b'A' => c_contiguous(view) || fortran_contiguous(view),
        _ => false,
    }
}

/// `PyBuffer_GetPointer`: the address of the item at `indices` (one per dimension),
/// following suboffsets (PIL-style arrays of pointers) where the view has them.
///
/// # Safety
/// `view` is a live view whose indices are in range.
pub unsafe fn pointer_at(view: &Py_buffer, indices: &[Py_ssize_t]) -> *mut u8 {
    let d = dims(view);
    let mut p = view.buf as *mut u8;
    for (k, &i) in indices.iter().enumerate().take(d.shape.len()) {
        // SAFETY: per the contract, each step stays inside the exporter's memory.
        unsafe {
            p = p.offset(d.strides[k] * i);
            if !view.suboffsets.is_null() && *view.suboffsets.add(k) >= 0 {
                p = (*(p as *mut *mut u8)).offset(*view.suboffsets.add(k));
            }
        }
    }
    p
}

/// `PyBuffer_FillContiguousStrides`: the strides of a contiguous array of `shape` in
/// C (`order` anything but `'F'`) or Fortran order.
pub fn fill_contiguous_strides(shape: &[Py_ssize_t], strides: &mut [Py_ssize_t], itemsize: Py_ssize_t, order: u8) {
    let mut step = itemsize;
    let order_of_dims: Vec<usize> =
        if order == b'F' { (0..shape.len()).collect() } else { (0..shape.len()).rev().collect() };
    for k in order_of_dims {
        strides[k] = step;
        step *= shape[k];
    }
}

/// Steps `indices` to the next item in C order (last index fastest) or Fortran order.
fn next_index(indices: &mut [Py_ssize_t], shape: &[Py_ssize_t], fortran: bool) {
    let order: Vec<usize> = if fortran { (0..shape.len()).collect() } else { (0..shape.len()).rev().collect() };
    for k in order {
        if indices[k] + 1 < shape[k] {
            indices[k] += 1;
            return;
        }
        indices[k] = 0;
    }
}

fn item_count(shape: &[Py_ssize_t]) -> Py_ssize_t {
    shape.iter().product()
}

/// `PyBuffer_ToContiguous`: copies the `len` bytes of `src` (its whole length) to
/// `buf`, items laid out in `order` (`'A'` is C order unless `src` is Fortran-contiguous).
///
/// # Safety
/// `buf` has room for `len` bytes; `src` is a live view.
pub unsafe fn to_contiguous(ts: Ts, buf: *mut u8, src: &Py_buffer, len: Py_ssize_t, order: u8) -> PyResult<()> {
    if len != src.len {
        return Err(errors::value_error(ts, "PyBuffer_ToContiguous: len != view->len"));
    }
    if is_contiguous(src, order) {
        // SAFETY: both hold `len` bytes, per the contract.
        unsafe { core::ptr::copy_nonoverlapping(src.buf as *const u8, buf, len as usize) };
        return Ok(());
    }
    let d = dims(src);
    let mut indices = vec![0; d.shape.len()];
    let item = src.itemsize as usize;
    let mut out = buf;
    for _ in 0..item_count(&d.shape) {
        // SAFETY: each item lies in the exporter's memory, and `out` stays in `buf`.
        unsafe {
            core::ptr::copy_nonoverlapping(pointer_at(src, &indices), out, item);
            out = out.add(item);
        }
        next_index(&mut indices, &d.shape, order == b'F');
    }
    Ok(())
}

/// `PyBuffer_FromContiguous`: fills `view` from `len` bytes at `buf` (at most the
/// view's length), taken as items in `order`.
///
/// # Safety
/// `buf` holds `len` bytes; `view` is a live, writable view.
pub unsafe fn from_contiguous(view: &Py_buffer, buf: *const u8, len: Py_ssize_t, order: u8) {
    let len = len.min(view.len).max(0);
    if is_contiguous(view, order) {
        // SAFETY: both hold at least `len` bytes.
        unsafe { core::ptr::copy_nonoverlapping(buf, view.buf as *mut u8, len as usize) };
        return;
    }
    let d = dims(view);
    let item = view.itemsize.max(1) as usize;
    let mut indices = vec![0; d.shape.len()];
    let mut from = buf;
    for _ in 0..(len as usize / item) {
        // SAFETY: as in `to_contiguous`, the other way round.
        unsafe {
            core::ptr::copy_nonoverlapping(from, pointer_at(view, &indices), item);
            from = from.add(item);
        }
        next_index(&mut indices, &d.shape, order == b'F');
    }
}

/// A view that releases itself.
struct View(Py_buffer);

impl View {
    fn of(ts: Ts, o: *mut PyObject, flags: c_int) -> PyResult<View> {
        // SAFETY: a zeroed Py_buffer is a valid empty view (obj NULL).
        let mut v = View(unsafe { core::mem::zeroed() });
        get_buffer(ts, o, &mut v.0, flags)?;
        Ok(v)
    }
}

impl Drop for View {
    fn drop(&mut self) {
        // SAFETY: filled by get_buffer, released once.
        unsafe { release(&mut self.0) };
    }
}

/// `PyObject_CopyData`: copies the contents of `src` into `dest` item by item (both
/// exporters; `dest` writable and at least as long).
pub fn copy_data(ts: Ts, dest: *mut PyObject, src: *mut PyObject) -> PyResult<()> {
    if !has_buffer(dest) || !has_buffer(src) {
        return Err(errors::type_error(ts, "both destination and source must be bytes-like objects"));
    }
    let to = View::of(ts, dest, PyBUF_FULL)?;
    let from = View::of(ts, src, PyBUF_FULL_RO)?;
    if to.0.len < from.0.len {
        return Err(buffer_error(ts, "destination is too small to receive data from source"));
    }
    if is_contiguous(&to.0, b'C') && is_contiguous(&from.0, b'C') {
        // SAFETY: `dest` holds at least the `len` bytes of `src`.
        unsafe { core::ptr::copy_nonoverlapping(from.0.buf as *const u8, to.0.buf as *mut u8, from.0.len as usize) };
        return Ok(());
    }
    let d = dims(&from.0);
    let mut indices = vec![0; d.shape.len()];
    for _ in 0..item_count(&d.shape) {
        // SAFETY: the same indices address an item of each view (dest is at least as large).
        unsafe {
            core::ptr::copy_nonoverlapping(
                pointer_at(&from.0, &indices),
                pointer_at(&to.0, &indices),
                from.0.itemsize as usize,
            )
        };
        next_index(&mut indices, &d.shape, false);
    }
    Ok(())
}

/// `PyBuffer_SizeFromFormat`: the size of one item a `struct` format describes, as
/// `struct.calcsize` computes it (native sizes and alignment after `@` or nothing,
/// standard sizes without padding after `=`, `<`, `>` or `!`).
pub fn size_from_format(ts: Ts, format: &CStr) -> PyResult<Py_ssize_t> {
    let bad = |ts| errors::value_error(ts, "bad char in struct format");
    let mut text = format.to_bytes();
    let native = match text.first() {
        Some(b'@') => {
            text = &text[1..];
            true
        }
        Some(b'=' | b'<' | b'>' | b'!') => {
            text = &text[1..];
            false
        }
        _ => true,
    };
    let mut size: Py_ssize_t = 0;
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let mut count: Option<Py_ssize_t> = None;
        while i < text.len() && text[i].is_ascii_digit() {
            let digit = (text[i] - b'0') as Py_ssize_t;
            let Some(n) = count.unwrap_or(0).checked_mul(10).and_then(|n| n.checked_add(digit)) else {
                return Err(errors::value_error(ts, "total struct size too long"));
            };
            count = Some(n);
            i += 1;
        }
        let Some(&code) = text.get(i) else {
            return Err(errors::value_error(ts, "repeat count given without format specifier"));
        };
        i += 1;
        let Some((item, align)) = item_size(code, native) else { return Err(bad(ts)) };
        let count = count.unwrap_or(1);
        if native && align > 1 {
            size = (size + align - 1) / align * align;
        }
        // `s` and `p` take the count as their length; the rest repeat.
        let add = item.checked_mul(count);
        let Some(total) = add.and_then(|a| size.checked_add(a)) else {
            return Err(errors::value_error(ts, "total struct size too long"));
        };
        size = total;
    }
    Ok(size)
}

/// The size and (native) alignment of one `struct` format code.
fn item_size(code: u8, native: bool) -> Option<(Py_ssize_t, Py_ssize_t)> {
    let ptr = core::mem::size_of::<*mut c_void>() as Py_ssize_t;
    let (native_size, standard) = match code {
        b'x' | b'c' | b'b' | b'B' | b'?' | b's' | b'p' => (1, 1),
        b'h' | b'H' | b'e' => (2, 2),
        b'i' | b'I' | b'f' => (4, 4),
        b'l' | b'L' => (core::mem::size_of::<core::ffi::c_long>() as Py_ssize_t, 4),
        b'q' | b'Q' | b'd' => (8, 8),
        b'n' | b'N' | b'P' if native => (ptr, ptr),
        _ => return None,
    };
    Some(if native { (native_size, native_size) } else { (standard, 1) })
}
