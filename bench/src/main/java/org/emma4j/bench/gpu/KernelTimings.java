package org.emma4j.bench.gpu;

import java.util.List;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;

/** GEMM and attention throughput on the backend, against the card's dense bf16 peak. */
final class KernelTimings {
    private KernelTimings() {
    }

    static List<GpuRow> gemm(Backend b, int n, double peakTflops) {
        try (TensorScope scope = b.newScope()) {
            Tensor x = scope.allocate(DType.BF16, n, n);
            Tensor w = scope.allocate(DType.BF16, n, n);
            Tensor y = scope.allocate(DType.BF16, n, n);
            b.fill(x, 0.01f);
            b.fill(w, 0.02f);
            double s = Timer.seconds(b, 3, 10, () -> b.linear(y, x, w));
            double tflops = 2.0 * n * n * n / s / 1e12;
            Tensor x32 = scope.allocate(DType.F32, n / 2, n / 2);
            Tensor w32 = scope.allocate(DType.F32, n / 2, n / 2);
            Tensor y32 = scope.allocate(DType.F32, n / 2, n / 2);
            b.fill(x32, 0.01f);
            b.fill(w32, 0.02f);
            double s32 = Timer.seconds(b, 2, 5, () -> b.linear(y32, x32, w32));
            double tf32 = 2.0 * Math.pow(n / 2.0, 3) / s32 / 1e12;
            return List.of(
                    new GpuRow("GEMM bf16 " + n + "³ (cuBLAS, fp32 accumulate)", String.format("%.0f TFLOP/s", tflops),
                            String.format("%.0f%% of %.0f bf16 peak", 100 * tflops / peakTflops, peakTflops)),
                    new GpuRow("GEMM f32 " + n / 2 + "³ (no TF32)", String.format("%.1f TFLOP/s", tf32), "CUDA-core f32, for reference"));
        }
    }

    /** Causal GQA attention of Llama 3 8B's shape (32 query heads, 8 KV heads, 128 dims) on bf16 inputs. */
    static List<GpuRow> attention(Backend b, int seq, double peakTflops) {
        int hq = 32, hkv = 8, d = 128;
        try (TensorScope scope = b.newScope()) {
            Tensor q = scope.allocate(DType.BF16, 1, seq, hq, d);
            Tensor k = scope.allocate(DType.BF16, 1, seq, hkv, d);
            Tensor v = scope.allocate(DType.BF16, 1, seq, hkv, d);
            Tensor out = scope.allocate(DType.BF16, 1, seq, hq, d);
            Tensor lse = scope.allocate(DType.F32, 1, hq, seq);
            Tensor dq = scope.zeros(DType.F32, 1, seq, hq, d);
            Tensor dk = scope.zeros(DType.F32, 1, seq, hkv, d);
            Tensor dv = scope.zeros(DType.F32, 1, seq, hkv, d);
            b.fill(q, 0.1f);
            b.fill(k, 0.1f);
            b.fill(v, 0.5f);
            float scale = (float) (1 / Math.sqrt(d));
            double fwd = Timer.seconds(b, 1, 3, () -> b.attentionForward(out, lse, q, k, v, 0, scale));
            double bwd = Timer.seconds(b, 1, 3, () -> b.attentionBackward(dq, dk, dv, out, out, lse, q, k, v, 0, scale));
            // Causal: each of the seq·(seq+1)/2 visible (query, key) pairs costs 2·d for QKᵀ and 2·d for PV per head.
            double fwdFlops = 4.0 * hq * d * seq * (seq + 1) / 2.0;
            double fwdT = fwdFlops / fwd / 1e12;
            double bwdT = 2.5 * fwdFlops / bwd / 1e12;
            return List.of(
                    new GpuRow("attention fwd T=" + seq + " 32/8 heads×128 bf16", String.format("%.1f TFLOP/s (%.2f ms)", fwdT, fwd * 1e3),
                            String.format("%.1f%% of bf16 peak (target 50%%)", 100 * fwdT / peakTflops)),
                    new GpuRow("attention bwd T=" + seq, String.format("%.1f TFLOP/s (%.2f ms)", bwdT, bwd * 1e3),
                            String.format("%.1f%% of bf16 peak", 100 * bwdT / peakTflops)));
        }
    }
}
