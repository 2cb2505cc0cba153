//! The number protocol: binary and unary arithmetic through `tp_as_number` slots.
