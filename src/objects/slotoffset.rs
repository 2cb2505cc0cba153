//! Where each type slot lives, as a byte offset from the start of a heap type: the
//! `PyTypeObject` fields directly, the method-table entries inside the tables a
//! `PyHeapTypeObject` embeds. Slot tables (specs, slot wrappers) name slots by these.

use crate::abi::{PyHeapTypeObject, PyTypeObject};
use core::ffi::c_void;
use core::mem::offset_of;
use core::ptr::null_mut;

pub const NB: usize = offset_of!(PyHeapTypeObject, as_number);
pub const MP: usize = offset_of!(PyHeapTypeObject, as_mapping);
pub const SQ: usize = offset_of!(PyHeapTypeObject, as_sequence);
pub const AM: usize = offset_of!(PyHeapTypeObject, as_async);
pub const BF: usize = offset_of!(PyHeapTypeObject, as_buffer);

macro_rules! tp {
    ($f:ident) => {
        core::mem::offset_of!($crate::abi::PyTypeObject, $f)
    };
}
macro_rules! nb {
    ($f:ident) => {
        $crate::objects::slotoffset::NB + core::mem::offset_of!($crate::abi::PyNumberMethods, $f)
    };
}
macro_rules! sq {
    ($f:ident) => {
        $crate::objects::slotoffset::SQ + core::mem::offset_of!($crate::abi::PySequenceMethods, $f)
    };
}
macro_rules! mp {
    ($f:ident) => {
        $crate::objects::slotoffset::MP + core::mem::offset_of!($crate::abi::PyMappingMethods, $f)
    };
}
macro_rules! am {
    ($f:ident) => {
        $crate::objects::slotoffset::AM + core::mem::offset_of!($crate::abi::PyAsyncMethods, $f)
    };
}
macro_rules! bf {
    ($f:ident) => {
        $crate::objects::slotoffset::BF + core::mem::offset_of!($crate::abi::PyBufferProcs, $f)
    };
}
pub(crate) use {am, bf, mp, nb, sq, tp};

/// The pointer at `offset` (of `PyHeapTypeObject`) through the type's own tables, so it
/// works for static types too.
pub fn read_slot(ty: *mut PyTypeObject, offset: usize) -> *mut c_void {
    // SAFETY: a live type; each tp_as_* is null or a table of its layout.
    unsafe {
        let (table, base): (*mut u8, usize) = if offset >= BF {
            ((*ty).tp_as_buffer as *mut u8, BF)
        } else if offset >= SQ {
            ((*ty).tp_as_sequence as *mut u8, SQ)
        } else if offset >= MP {
            ((*ty).tp_as_mapping as *mut u8, MP)
        } else if offset >= NB {
            ((*ty).tp_as_number as *mut u8, NB)
        } else if offset >= AM {
            ((*ty).tp_as_async as *mut u8, AM)
        } else {
            (ty as *mut u8, 0)
        };
        if table.is_null() {
            return null_mut();
        }
        *(table.add(offset - base) as *const *mut c_void)
    }
}
