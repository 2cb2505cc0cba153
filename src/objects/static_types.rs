//! Start-up of the static builtin types, once per process.

use super::*;
use crate::abi::PyTypeObject;

/// Every static type isle defines, bases before subtypes.
fn all() -> Vec<*mut PyTypeObject> {
    let mut v: Vec<*mut PyTypeObject> = vec![
        object::base_object_type(),
        typeobject::type_type(),
        long::long_type(),
        bool_::bool_type(),
        float::float_type(),
        complex::complex_type(),
        unicode::unicode_type(),
        bytes::bytes_type(),
        bytearray::bytearray_type(),
        tuple::tuple_type(),
        list::list_type(),
        dict::dict_type(),
        set::set_type(),
        set::frozenset_type(),
        slice::slice_type(),
        module::module_type(),
        module::moduledef_type(),
        namespace::namespace_type(),
        methodobject::cfunction_type(),
        methodobject::cmethod_type(),
        capsule::capsule_type(),
    ];
    v.extend(descrobject::static_types());
    v.extend(slotwrappers::static_types());
    v.extend(singletons::static_types());
    v.extend(iterobject::static_types());
    v.extend(dictview::static_types());
    v.push(&raw mut set::PySetIter_Type);
    v.extend(range::static_types());
    v.extend(exceptions::static_types());
    v
}

/// Links every static type to its base and fills inherited slots.
pub fn ready_all() {
    long::init_small_ints();
    for ty in all() {
        // SAFETY: runs once, before any interpreter exists.
        unsafe { typeobject::ready_static(ty) };
    }
}
