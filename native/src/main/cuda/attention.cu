// Causal grouped-query attention, forward and backward, memory-efficient (no [T, T] matrix), on CUDA cores
// with f32 arithmetic: a straightforward tiled version, written for correctness first.
//
// Layouts: q, out, dq, dout [B, Tq, Hq, D]; k, v, dk, dv [B, Tk, Hkv, D]; lse [B, Hq, Tq] (natural log-sum-exp of
// the scaled scores). Query head h reads KV head h / (Hq/Hkv). Query t sits at position qpos0 + t and sees keys
// 0 .. qpos0 + t; keys at or past qpos0 + Tq (the unused part of a KV cache) are never read.
//
// A block serves one (batch, KV head) and a tile of "rows": (position, query head of the group) pairs, t-major,
// so that every row of a block shares the K/V tiles it stages in shared memory, ATT_BK keys at a time.
#include "common.cuh"

#define ATT_BK 32          // keys per shared-memory tile: one per lane
#define ATT_WARPS 4
#define ATT_RPW 4          // rows per warp in the forward pass
#define ATT_ROWS (ATT_WARPS * ATT_RPW)
#define ATT_MAX_DPL 8      // head dimension up to 8 · 32 = 256: each lane owns dims lane, lane + 32, ...

__device__ __forceinline__ i64 q_index(int b, int t, int h, int d, int Tq, int Hq, int D) {
    return (((i64) b * Tq + t) * Hq + h) * D + d;
}

__device__ __forceinline__ i64 kv_index(int b, int j, int kvh, int d, int Tk, int Hkv, int D) {
    return (((i64) b * Tk + j) * Hkv + kvh) * D + d;
}

// Online softmax: per row the running max m, the running sum l of e^(s − m) and the accumulator Σ e^(s − m)·v.
// Lane j scores key j0 + j of the tile; the accumulator's dims are spread over the lanes.
// Dynamic shared memory: Ks [ATT_BK][D + 1] (padded: lanes read different rows), Vs [ATT_BK][D], Qs [ATT_ROWS][D].
extern "C" __global__ void __launch_bounds__(ATT_WARPS * 32)
emma4j_attention_forward(void* out, int o_dtype, float* lse, const void* q, int q_dtype, const void* k, int k_dtype,
                         const void* v, int v_dtype, int Tq, int Tk, int Hq, int Hkv, int D, int qpos0, float scale) {
    EMMA4J_DYNAMIC_SHARED float smem[];
    float* Ks = smem;
    float* Vs = Ks + ATT_BK * (D + 1);
    float* Qs = Vs + ATT_BK * D;
    const int group = Hq / Hkv;
    const int R = Tq * group;
    const int r0 = blockIdx.x * ATT_ROWS;
    const int b = blockIdx.y / Hkv, kvh = blockIdx.y % Hkv;
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;

    for (int e = threadIdx.x; e < ATT_ROWS * D; e += blockDim.x) {
        int r = r0 + e / D, d = e % D;
        Qs[e] = r < R ? load_as_float(q, q_dtype, q_index(b, r / group, kvh * group + r % group, d, Tq, Hq, D)) : 0.0f;
    }
    const int last_row = min(r0 + ATT_ROWS, R) - 1;
    const int key_end = qpos0 + last_row / group + 1;

    float m[ATT_RPW], l[ATT_RPW], acc[ATT_RPW][ATT_MAX_DPL];
    int limit[ATT_RPW];   // the last key row rr may see, or -1 for a row past the end
#pragma unroll
    for (int rr = 0; rr < ATT_RPW; rr++) {
        int r = r0 + rr * ATT_WARPS + warp;
        limit[rr] = r < R ? qpos0 + r / group : -1;
        m[rr] = -EMMA4J_INF;
        l[rr] = 0.0f;
#pragma unroll
        for (int i = 0; i < ATT_MAX_DPL; i++) acc[rr][i] = 0.0f;
    }

    for (int j0 = 0; j0 < key_end; j0 += ATT_BK) {
        __syncthreads();   // the previous tile is consumed (and, the first time, Qs is written)
        for (int e = threadIdx.x; e < ATT_BK * D; e += blockDim.x) {
            int jj = e / D, d = e % D, j = j0 + jj;
            bool in = j < key_end;
            Ks[jj * (D + 1) + d] = in ? load_as_float(k, k_dtype, kv_index(b, j, kvh, d, Tk, Hkv, D)) : 0.0f;
            Vs[jj * D + d] = in ? load_as_float(v, v_dtype, kv_index(b, j, kvh, d, Tk, Hkv, D)) : 0.0f;
        }
        __syncthreads();
        const int j = j0 + lane;
#pragma unroll
        for (int rr = 0; rr < ATT_RPW; rr++) {
            if (limit[rr] < j0) continue;   // warp-uniform: this row sees none of the tile (or does not exist)
            const float* qrow = Qs + (rr * ATT_WARPS + warp) * D;
            bool visible = j <= limit[rr];
            float s = -EMMA4J_INF;
            if (visible) {
                float dot = 0.0f;
                const float* krow = Ks + lane * (D + 1);
                for (int d = 0; d < D; d++) dot = fmaf(qrow[d], krow[d], dot);
                s = dot * scale;
            }
            // Lane 0's key j0 is visible, so the tile's max is finite.
            float m_new = fmaxf(m[rr], warp_max(s));
            float p = visible ? expf(s - m_new) : 0.0f;
            float corr = expf(m[rr] - m_new);   // 0 on the first tile (m = −∞)
            l[rr] = l[rr] * corr + warp_sum(p);
#pragma unroll
            for (int i = 0; i < ATT_MAX_DPL; i++) acc[rr][i] *= corr;
            for (int jj = 0; jj < ATT_BK; jj++) {
                float pj = __shfl_sync(0xFFFFFFFFu, p, jj);
                if (pj == 0.0f) continue;   // warp-uniform
                const float* vrow = Vs + jj * D;
#pragma unroll
                for (int i = 0; i < ATT_MAX_DPL; i++) {
                    int d = lane + 32 * i;
                    if (d < D) acc[rr][i] = fmaf(pj, vrow[d], acc[rr][i]);
                }
            }
            m[rr] = m_new;
        }
    }

#pragma unroll
    for (int rr = 0; rr < ATT_RPW; rr++) {
        int r = r0 + rr * ATT_WARPS + warp;
        if (r >= R) continue;
        int t = r / group, h = kvh * group + r % group;
        float inv = 1.0f / l[rr];
#pragma unroll
        for (int i = 0; i < ATT_MAX_DPL; i++) {
            int d = lane + 32 * i;
            if (d < D) store_from_float(out, o_dtype, q_index(b, t, h, d, Tq, Hq, D), acc[rr][i] * inv);
        }
        if (lse != nullptr && lane == 0) lse[((i64) b * Hq + h) * Tq + t] = m[rr] + logf(l[rr]);
    }
}

// Backward, step 1: delta[row] = Σ_d dout·out for every query row (b, t, h), one warp per row.
extern "C" __global__ void emma4j_attention_backward_delta(float* delta, const void* dout, int do_dtype, const void* out, int o_dtype,
                                                           i64 rows, int D) {
    i64 row = ((i64) blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    int lane = threadIdx.x & 31;
    if (row >= rows) return;
    float s = 0.0f;
    for (int d = lane; d < D; d += 32) s = fmaf(load_as_float(dout, do_dtype, row * D + d), load_as_float(out, o_dtype, row * D + d), s);
    s = warp_sum(s);
    if (lane == 0) delta[row] = s;
}

// Backward, step 2 (FlashAttention-2 order): a block owns a tile of ATT_BK keys of one (batch, KV head) and
// visits every query row that sees any of them. With p = e^(s − lse) and ds = p·(dout·v − delta):
// dv_j += p·dout and dk_j += ds·scale·q (summed in shared memory, then added into dk, dv once),
// dq += ds·scale·k_j (atomically into the f32 scratch dq_acc, added into dq afterwards).
// Dynamic shared memory: Ks, Vs, dKs, dVs [ATT_BK][D + 1] each, then per warp a q row and a dout row [D].
extern "C" __global__ void __launch_bounds__(ATT_WARPS * 32)
emma4j_attention_backward(float* dq_acc, void* dk, int dk_dtype, void* dv, int dv_dtype, const void* dout, int do_dtype,
                          const float* lse, const float* delta, const void* q, int q_dtype, const void* k, int k_dtype,
                          const void* v, int v_dtype, int Tq, int Tk, int Hq, int Hkv, int D, int qpos0, float scale) {
    EMMA4J_DYNAMIC_SHARED float smem[];
    const int P = D + 1;
    float* Ks = smem;
    float* Vs = Ks + ATT_BK * P;
    float* dKs = Vs + ATT_BK * P;
    float* dVs = dKs + ATT_BK * P;
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    float* qrow = dVs + ATT_BK * P + warp * 2 * D;
    float* dorow = qrow + D;
    const int group = Hq / Hkv;
    const int R = Tq * group;
    const int key_end = qpos0 + Tq;
    const int j0 = blockIdx.x * ATT_BK;
    const int b = blockIdx.y / Hkv, kvh = blockIdx.y % Hkv;

    for (int e = threadIdx.x; e < ATT_BK * D; e += blockDim.x) {
        int jj = e / D, d = e % D, j = j0 + jj;
        bool in = j < key_end;
        Ks[jj * P + d] = in ? load_as_float(k, k_dtype, kv_index(b, j, kvh, d, Tk, Hkv, D)) : 0.0f;
        Vs[jj * P + d] = in ? load_as_float(v, v_dtype, kv_index(b, j, kvh, d, Tk, Hkv, D)) : 0.0f;
        dKs[jj * P + d] = 0.0f;
        dVs[jj * P + d] = 0.0f;
    }
    __syncthreads();

    const int j = j0 + lane;
    const float* krow = Ks + lane * P;
    const float* vrow = Vs + lane * P;
    // Rows whose position sees key j0 or later: t ≥ j0 − qpos0.
    const int first_row = max(0, j0 - qpos0) * group;
    for (int r = first_row + warp; r < R; r += ATT_WARPS) {
        const int t = r / group, h = kvh * group + r % group;
        __syncwarp();
        for (int d = lane; d < D; d += 32) {
            qrow[d] = load_as_float(q, q_dtype, q_index(b, t, h, d, Tq, Hq, D));
            dorow[d] = load_as_float(dout, do_dtype, q_index(b, t, h, d, Tq, Hq, D));
        }
        __syncwarp();
        const i64 qrow_index = ((i64) b * Tq + t) * Hq + h;
        const float row_lse = lse[((i64) b * Hq + h) * Tq + t];
        const float row_delta = delta[qrow_index];
        const bool visible = j < key_end && j <= qpos0 + t;
        float p = 0.0f, ds = 0.0f;
        if (visible) {
            float s = 0.0f, dp = 0.0f;
            for (int d = 0; d < D; d++) {
                s = fmaf(qrow[d], krow[d], s);
                dp = fmaf(dorow[d], vrow[d], dp);
            }
            p = expf(s * scale - row_lse);
            ds = p * (dp - row_delta);
            float dss = ds * scale;
            for (int d = 0; d < D; d++) {
                atomicAdd(dVs + lane * P + d, p * dorow[d]);
                atomicAdd(dKs + lane * P + d, dss * qrow[d]);
            }
        }
        float acc[ATT_MAX_DPL];
#pragma unroll
        for (int i = 0; i < ATT_MAX_DPL; i++) acc[i] = 0.0f;
        for (int jj = 0; jj < ATT_BK; jj++) {
            float dsj = __shfl_sync(0xFFFFFFFFu, ds, jj);
            if (dsj == 0.0f) continue;   // warp-uniform
#pragma unroll
            for (int i = 0; i < ATT_MAX_DPL; i++) {
                int d = lane + 32 * i;
                if (d < D) acc[i] = fmaf(dsj, Ks[jj * P + d], acc[i]);
            }
        }
#pragma unroll
        for (int i = 0; i < ATT_MAX_DPL; i++) {
            int d = lane + 32 * i;
            if (d < D && acc[i] != 0.0f) atomicAdd(dq_acc + qrow_index * D + d, acc[i] * scale);
        }
    }
    __syncthreads();
    const int tile_end = min(ATT_BK, min(Tk, key_end) - j0);
    for (int e = threadIdx.x; e < tile_end * D; e += blockDim.x) {
        int jj = e / D, d = e % D;
        i64 idx = kv_index(b, j0 + jj, kvh, d, Tk, Hkv, D);
        store_from_float(dk, dk_dtype, idx, load_as_float(dk, dk_dtype, idx) + dKs[jj * P + d]);
        store_from_float(dv, dv_dtype, idx, load_as_float(dv, dv_dtype, idx) + dVs[jj * P + d]);
    }
}
