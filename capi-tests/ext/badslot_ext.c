/* A multi-phase module with a slot id 3.13 does not know. */
#include <Python.h>

static PyModuleDef_Slot slots[] = {{42, NULL}, {0, NULL}};
static PyModuleDef def = {PyModuleDef_HEAD_INIT, .m_name = "badslot_ext", .m_slots = slots};
PyMODINIT_FUNC PyInit_badslot_ext(void) { return PyModuleDef_Init(&def); }
