// Token embedding lookup, its scatter-add backward, and the index check both they and cross-entropy rely on.
#include "common.cuh"

// Records in *first_bad the smallest position whose index is outside [0, limit) (and is not ignore_index when
// use_ignore is set), together with that index: position << 32 | (unsigned) index, so one atomicMin keeps both.
// *first_bad starts at EMMA4J_NO_BAD_INDEX; the kernels below then do nothing, so a bad batch never writes
// memory, and the host reports the position and the index (at once, or at the next synchronisation).
extern "C" __global__ void emma4j_check_indices(const int* ids, i64 n, int limit, int ignore_index, int use_ignore,
                                                unsigned long long* first_bad) {
    GRID_STRIDE_LOOP(i, n) {
        int id = ids[i];
        bool ok = (id >= 0 && id < limit) || (use_ignore && id == ignore_index);
        if (!ok) atomicMin(first_bad, ((unsigned long long) i << 32) | (unsigned int) id);
    }
}

// out[n, :] = table[ids[n], :], converting the dtype when they differ.
extern "C" __global__ void emma4j_embedding_forward(void* out, int out_dtype, const int* ids, const void* table, int table_dtype,
                                                    i64 n, int cols, const unsigned long long* first_bad) {
    if (*first_bad != EMMA4J_NO_BAD_INDEX) return;
    GRID_STRIDE_LOOP(e, n * cols) {
        i64 row = e / cols;
        int c = (int) (e % cols);
        store_from_float(out, out_dtype, e, load_as_float(table, table_dtype, (i64) ids[row] * cols + c));
    }
}

// dtable[ids[n], :] += dout[n, :] into an f32 table, repeated ids summed with atomics (a bf16 table goes
// through an f32 copy, so that each of its elements is rounded once).
extern "C" __global__ void emma4j_embedding_backward(float* dtable, const void* dout, int dout_dtype, const int* ids, i64 n, int cols,
                                                     const unsigned long long* first_bad) {
    if (*first_bad != EMMA4J_NO_BAD_INDEX) return;
    GRID_STRIDE_LOOP(e, n * cols) {
        i64 row = e / cols;
        int c = (int) (e % cols);
        atomicAdd(dtable + (i64) ids[row] * cols + c, load_as_float(dout, dout_dtype, e));
    }
}
