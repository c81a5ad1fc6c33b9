# C types for the compiled build of extract_quick.py (see extract.pxd).  read_new runs
# for every window not seen before; its offsets are C integers.  quick and qualified stay
# Python-level functions of the compiled module (tests wrap them to count the paths).
import cython

cpdef object _scaled(str full, object m1)

@cython.locals(full=str, before=str, left=str, right=str)
cpdef object read_new(object m, str text, str key, Py_ssize_t s, Py_ssize_t e)
