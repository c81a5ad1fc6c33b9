# C types for the compiled build of extract.py (hatch_build.py; Cython reads this file
# beside the module, the plain-Python extractor ignores it).  Only the scan's offsets
# are typed: every value a mention keeps stays a Python object, as in extract.py.
import cython

@cython.locals(
    out=list, bare=dict, state=list, key=str,
    pos=Py_ssize_t, resume=Py_ssize_t, s=Py_ssize_t, e=Py_ssize_t, n_right=Py_ssize_t,
    start=Py_ssize_t, end=Py_ssize_t, last_end=Py_ssize_t, ds=Py_ssize_t, de=Py_ssize_t,
    cache_max=Py_ssize_t,
)
cpdef list _scan(str text, object pub_year)
