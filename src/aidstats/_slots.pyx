# cython: language_level=3
"""Objects of one slotted class made by writing their slots directly (compiled build only).

The extractor makes tens of thousands of :class:`aidstats.extract.Quantity` objects per
megabyte.  Interpreted, ``extract._scan`` fills a twin class's slots (fast stores) and
switches its class; compiled by Cython the same stores go through the generic attribute
protocol (~30 ns each).  :func:`make` instead allocates the object as ``object.__new__``
does and stores each field at its slot's offset, which is what the slot's descriptor does
for a new object (the slot is empty, so nothing is released).  :func:`bind` takes the
offsets from the class's own member descriptors and refuses any slot that is not a plain
object slot.  Built by ``hatch_build.py`` with the compiled extractor; without it the
module does not exist and ``extract._scan`` uses its plain-Python path.
"""

from types import MemberDescriptorType

from cpython.object cimport PyObject, PyTypeObject
from cpython.ref cimport Py_INCREF


cdef extern from "Python.h":
    object PyType_GenericAlloc(PyTypeObject* type, Py_ssize_t nitems)


cdef extern from "structmember.h":
    ctypedef struct PyMemberDef:
        const char* name
        int type
        Py_ssize_t offset
        int flags
    ctypedef struct PyMemberDescrObject:
        PyMemberDef* d_member
    int T_OBJECT_EX
    int READONLY


cdef object _cls = None
cdef Py_ssize_t _offsets[9]  # one per field
cdef Py_ssize_t FIELDS = 9


def bind(cls: type, names: tuple) -> None:
    """Make :func:`make` build objects of ``cls`` whose slots ``names`` (9, in order) are
    its fields; each must be a writable object slot of ``cls`` itself."""
    global _cls
    if len(names) != FIELDS:
        raise ValueError(f"{FIELDS} slots expected, not {len(names)}")
    cdef PyMemberDef* member
    cdef Py_ssize_t basicsize = (<PyTypeObject*>cls).tp_basicsize
    for i, name in enumerate(names):
        descriptor = cls.__dict__.get(name)
        if type(descriptor) is not MemberDescriptorType:
            raise TypeError(f"{cls.__name__}.{name} is not a slot")
        member = (<PyMemberDescrObject*><PyObject*>descriptor).d_member
        if member.type != T_OBJECT_EX or member.flags & READONLY:
            raise TypeError(f"{cls.__name__}.{name} is not a writable object slot")
        if not 0 < member.offset <= basicsize - <Py_ssize_t>sizeof(PyObject*):
            raise TypeError(f"{cls.__name__}.{name} lies outside the object")
        _offsets[i] = member.offset
    _cls = cls


cdef inline void _put(PyObject* obj, int i, object value):
    Py_INCREF(value)
    (<PyObject**>((<char*>obj) + _offsets[i]))[0] = <PyObject*>value


def make(start, end, text, kind, value, lower, upper, unit, qualifier):
    """A new object of the bound class with these nine fields, in slot order."""
    if _cls is None:
        raise RuntimeError("_slots.bind() was not called")
    q = PyType_GenericAlloc(<PyTypeObject*>_cls, 0)  # as object.__new__ does
    cdef PyObject* obj = <PyObject*>q
    _put(obj, 0, start)
    _put(obj, 1, end)
    _put(obj, 2, text)
    _put(obj, 3, kind)
    _put(obj, 4, value)
    _put(obj, 5, lower)
    _put(obj, 6, upper)
    _put(obj, 7, unit)
    _put(obj, 8, qualifier)
    return q
