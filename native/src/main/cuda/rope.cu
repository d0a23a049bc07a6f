// Rotary embedding, Hugging Face rotate-half layout, in place on x [batch, T, heads, D]: the pair
// (x_i, x_{i+D/2}) turns by the angle of position pos0 + t, read from the f32 table cosSin [2, maxPositions, D/2]
// (cos first, then sin). The backward turns by the opposite angle (sin_sign = -1): the rotation's transpose.
#include "common.cuh"

extern "C" __global__ void emma4j_rope(void* x, int dtype, const float* cos_sin, i64 rows, int steps, int heads, int half,
                                       int max_positions, int pos0, float sin_sign) {
    i64 pairs = rows * heads * half;   // rows = batch · T
    i64 sin_base = (i64) max_positions * half;
    GRID_STRIDE_LOOP(p, pairs) {
        int i = (int) (p % half);
        i64 rh = p / half;             // (row, head)
        i64 row = rh / heads;
        int t = (int) (row % steps);
        i64 pos = pos0 + t;
        float c = cos_sin[pos * half + i];
        float s = sin_sign * cos_sin[sin_base + pos * half + i];
        i64 lo = rh * 2 * half + i;
        i64 hi = lo + half;
        float a = load_as_float(x, dtype, lo);
        float b = load_as_float(x, dtype, hi);
        store_from_float(x, dtype, lo, a * c - b * s);
        store_from_float(x, dtype, hi, b * c + a * s);
    }
}
