/*
 * Optional C accelerator for websockets_impl: payload masking (RFC 6455 section 5.3).
 *
 * Masking XORs byte i of the payload with byte i % 4 of the masking key; unmasking is the
 * same operation. The pure-Python version lives in websockets_impl/utils.py and is used
 * when this module isn't built.
 *
 * Only the stable ABI is used (setup.py defines Py_LIMITED_API for 3.11 unless the
 * interpreter is a free-threaded build, which doesn't support it).
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <string.h>

/* Payloads larger than this are masked with the GIL released. Below it, releasing and
 * taking the GIL back costs more than the XOR loop itself. */
#define RELEASE_GIL_THRESHOLD (64 * 1024)

/*
 * XOR `size` bytes of `src` with the repeated 4-byte `mask` into `dst`.
 *
 * The 8-byte word holds the mask twice in memory order, so XORing a word loaded from any
 * offset that is a multiple of 8 applies mask bytes 0, 1, 2, 3, 0, 1, 2, 3: endianness
 * doesn't matter. Loads and stores go through memcpy, which compiles to plain (unaligned)
 * moves and keeps the code free of alignment and strict-aliasing assumptions.
 */
static void
xor_mask(const unsigned char *src, unsigned char *dst, Py_ssize_t size,
         const unsigned char *mask)
{
    unsigned char pattern[8];
    uint64_t key, a, b, c, d;
    Py_ssize_t i = 0;

    memcpy(pattern, mask, 4);
    memcpy(pattern + 4, mask, 4);
    memcpy(&key, pattern, 8);

    /* Four independent words per iteration. */
    for (; size - i >= 32; i += 32) {
        memcpy(&a, src + i, 8);
        memcpy(&b, src + i + 8, 8);
        memcpy(&c, src + i + 16, 8);
        memcpy(&d, src + i + 24, 8);
        a ^= key;
        b ^= key;
        c ^= key;
        d ^= key;
        memcpy(dst + i, &a, 8);
        memcpy(dst + i + 8, &b, 8);
        memcpy(dst + i + 16, &c, 8);
        memcpy(dst + i + 24, &d, 8);
    }
    for (; size - i >= 8; i += 8) {
        memcpy(&a, src + i, 8);
        a ^= key;
        memcpy(dst + i, &a, 8);
    }
    /* Tail: i is a multiple of 8 here, so mask indices restart at 0. */
    for (; i < size; i++) {
        dst[i] = src[i] ^ mask[i & 3];
    }
}

/*
 * Get a C-contiguous, read-only view of `obj`.
 *
 * Non-contiguous buffers (e.g. memoryview(data)[::2]) are copied into a new bytes object,
 * returned in *copy, whose buffer is then used; the caller releases the view and drops
 * *copy. Objects without the buffer protocol raise TypeError.
 */
static int
get_contiguous_buffer(PyObject *obj, Py_buffer *view, PyObject **copy)
{
    Py_buffer strided;
    PyObject *bytes;

    *copy = NULL;
    if (PyObject_GetBuffer(obj, view, PyBUF_SIMPLE) == 0) {
        return 0;
    }
    if (!PyErr_ExceptionMatches(PyExc_BufferError) || !PyObject_CheckBuffer(obj)) {
        return -1;
    }
    PyErr_Clear();
    if (PyObject_GetBuffer(obj, &strided, PyBUF_FULL_RO) < 0) {
        return -1;
    }
    bytes = PyBytes_FromStringAndSize(NULL, strided.len);
    if (bytes == NULL) {
        PyBuffer_Release(&strided);
        return -1;
    }
    if (PyBuffer_ToContiguous(PyBytes_AsString(bytes), &strided, strided.len, 'C') < 0) {
        PyBuffer_Release(&strided);
        Py_DECREF(bytes);
        return -1;
    }
    PyBuffer_Release(&strided);
    if (PyObject_GetBuffer(bytes, view, PyBUF_SIMPLE) < 0) {
        Py_DECREF(bytes);
        return -1;
    }
    *copy = bytes;
    return 0;
}

static void
release_buffer(Py_buffer *view, PyObject *copy)
{
    PyBuffer_Release(view);
    Py_XDECREF(copy);
}

/* Match apply_mask(data, mask) arguments given positionally or by keyword. */
static int
parse_arguments(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                PyObject **data, PyObject **mask)
{
    Py_ssize_t nkw = 0, i;

    if (kwnames != NULL) {
        nkw = PyTuple_Size(kwnames);
        if (nkw < 0) {
            return -1;
        }
    }
    if (nargs > 2) {
        PyErr_Format(PyExc_TypeError,
                     "apply_mask() takes 2 positional arguments but %zd were given", nargs);
        return -1;
    }
    *data = nargs > 0 ? args[0] : NULL;
    *mask = nargs > 1 ? args[1] : NULL;
    for (i = 0; i < nkw; i++) {
        PyObject *name = PyTuple_GetItem(kwnames, i);
        PyObject **slot;

        if (name == NULL) {
            return -1;
        }
        if (PyUnicode_CompareWithASCIIString(name, "data") == 0) {
            slot = data;
        }
        else if (PyUnicode_CompareWithASCIIString(name, "mask") == 0) {
            slot = mask;
        }
        else {
            PyErr_Format(PyExc_TypeError,
                         "apply_mask() got an unexpected keyword argument '%U'", name);
            return -1;
        }
        if (*slot != NULL) {
            PyErr_Format(PyExc_TypeError,
                         "apply_mask() got multiple values for argument '%U'", name);
            return -1;
        }
        *slot = args[nargs + i];
    }
    if (*data == NULL || *mask == NULL) {
        PyErr_Format(PyExc_TypeError, "apply_mask() missing required argument '%s'",
                     *data == NULL ? "data" : "mask");
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(apply_mask_doc,
"apply_mask(data, mask)\n"
"--\n"
"\n"
"XOR data with the 4-byte mask repeated (RFC 6455 section 5.3) and return bytes.\n"
"\n"
"data and mask may be any objects supporting the buffer protocol (bytes, bytearray,\n"
"memoryview...). Raise ValueError if mask isn't 4 bytes long.");

static PyObject *
apply_mask(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *data_obj, *mask_obj, *data_copy, *mask_copy, *result;
    Py_buffer data, mask;
    const unsigned char *src;
    unsigned char *dst;
    unsigned char key[4];
    Py_ssize_t size;

    (void)module;
    if (parse_arguments(args, nargs, kwnames, &data_obj, &mask_obj) < 0) {
        return NULL;
    }

    if (get_contiguous_buffer(mask_obj, &mask, &mask_copy) < 0) {
        return NULL;
    }
    if (mask.len != 4) {
        release_buffer(&mask, mask_copy);
        PyErr_SetString(PyExc_ValueError, "mask must contain 4 bytes");
        return NULL;
    }
    memcpy(key, mask.buf, 4);
    release_buffer(&mask, mask_copy);

    if (get_contiguous_buffer(data_obj, &data, &data_copy) < 0) {
        return NULL;
    }
    size = data.len;
    result = PyBytes_FromStringAndSize(NULL, size);
    if (result == NULL) {
        release_buffer(&data, data_copy);
        return NULL;
    }
    src = (const unsigned char *)data.buf;
    dst = (unsigned char *)PyBytes_AsString(result);

    if (size > RELEASE_GIL_THRESHOLD) {
        /* Safe without the GIL: the exported buffer keeps the source alive and unresized
         * (a concurrent writer to a bytearray could only change which bytes get masked),
         * and nobody else has a reference to the result yet. */
        Py_BEGIN_ALLOW_THREADS
        xor_mask(src, dst, size, key);
        Py_END_ALLOW_THREADS
    }
    else {
        xor_mask(src, dst, size, key);
    }

    release_buffer(&data, data_copy);
    return result;
}

PyDoc_STRVAR(masked_frame_doc,
"masked_frame(header, mask, data, /)\n"
"--\n"
"\n"
"Return header + mask + apply_mask(data, mask) as one bytes object.\n"
"\n"
"Building the frame in a single allocation saves a copy of the payload and, for large\n"
"payloads, the page faults of a second large buffer. Raise ValueError if mask isn't 4\n"
"bytes long.");

static PyObject *
masked_frame(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *header_copy, *mask_copy, *data_copy, *result;
    Py_buffer header, mask, data;
    unsigned char *dst;
    unsigned char key[4];
    Py_ssize_t size, offset;

    (void)module;
    if (nargs != 3) {
        PyErr_Format(PyExc_TypeError, "masked_frame() takes 3 arguments (%zd given)", nargs);
        return NULL;
    }
    if (get_contiguous_buffer(args[1], &mask, &mask_copy) < 0) {
        return NULL;
    }
    if (mask.len != 4) {
        release_buffer(&mask, mask_copy);
        PyErr_SetString(PyExc_ValueError, "mask must contain 4 bytes");
        return NULL;
    }
    memcpy(key, mask.buf, 4);
    release_buffer(&mask, mask_copy);

    if (get_contiguous_buffer(args[0], &header, &header_copy) < 0) {
        return NULL;
    }
    if (get_contiguous_buffer(args[2], &data, &data_copy) < 0) {
        release_buffer(&header, header_copy);
        return NULL;
    }
    size = data.len;
    offset = header.len + 4;
    if (size > PY_SSIZE_T_MAX - offset) {
        release_buffer(&data, data_copy);
        release_buffer(&header, header_copy);
        return PyErr_NoMemory();
    }
    result = PyBytes_FromStringAndSize(NULL, offset + size);
    if (result == NULL) {
        release_buffer(&data, data_copy);
        release_buffer(&header, header_copy);
        return NULL;
    }
    dst = (unsigned char *)PyBytes_AsString(result);
    memcpy(dst, header.buf, header.len);
    memcpy(dst + header.len, key, 4);
    release_buffer(&header, header_copy);

    if (size > RELEASE_GIL_THRESHOLD) {
        /* See apply_mask. */
        Py_BEGIN_ALLOW_THREADS
        xor_mask((const unsigned char *)data.buf, dst + offset, size, key);
        Py_END_ALLOW_THREADS
    }
    else {
        xor_mask((const unsigned char *)data.buf, dst + offset, size, key);
    }

    release_buffer(&data, data_copy);
    return result;
}

static PyMethodDef speedups_methods[] = {
    {"apply_mask", (PyCFunction)(void (*)(void))apply_mask, METH_FASTCALL | METH_KEYWORDS,
     apply_mask_doc},
    {"masked_frame", (PyCFunction)(void (*)(void))masked_frame, METH_FASTCALL,
     masked_frame_doc},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot speedups_slots[] = {
#ifdef Py_mod_multiple_interpreters
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
#endif
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

PyDoc_STRVAR(speedups_doc, "C accelerator for websockets_impl: payload masking.");

static struct PyModuleDef speedups_module = {
    PyModuleDef_HEAD_INIT,
    "websockets_impl.speedups",
    speedups_doc,
    0,
    speedups_methods,
    speedups_slots,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC
PyInit_speedups(void)
{
    return PyModuleDef_Init(&speedups_module);
}
