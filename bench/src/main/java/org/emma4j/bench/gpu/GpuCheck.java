package org.emma4j.bench.gpu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.emma4j.bindings.CudaProbe;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.Backends;
import org.emma4j.kernels.cpu.CpuBackend;
import org.emma4j.kernels.cuda.CudaBackend;

/**
 * The Java side of bench/gpu-check.sh, runnable without Maven from the jlink'd bundle:
 * <pre>
 *   GpuCheck probe                         prints the CUDA probe; exit status 0 only when a GPU is usable
 *   GpuCheck kernels                       loads the kernels on the GPU and runs a few; exit status 0 when they work
 *   GpuCheck bench [--quick | --tiny] [--device cuda|cpu] [--peak-tflops 989] [--hbm-tbps 4.8]
 *                                          GEMM, attention, an 8B-shaped training step, 1B-shaped decoding
 *                                          (--tiny: small shapes, for a dry run of the code on a CPU)
 *   GpuCheck parity DIR OUT [--device cuda|cpu]
 *                                          logits and gradients of the checkpoint in DIR, for hf_parity.py
 * </pre>
 * Results are printed as ROW lines (see {@link GpuRow}); a stage that fails prints a FAILED row and the rest go on.
 */
public final class GpuCheck {
    private GpuCheck() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "probe" : args[0];
        switch (command) {
            case "probe" -> {
                CudaProbe.Result r = CudaProbe.probe();
                System.out.println(new GpuRow("CUDA probe", r.usable() ? "usable" : "NOT usable", r.reason()).line());
                System.exit(r.usable() ? 0 : 2);
            }
            case "kernels" -> System.exit(kernels() ? 0 : 3);
            case "bench" -> bench(args);
            case "parity" -> {
                if (args.length < 3) {
                    throw new IllegalArgumentException("usage: GpuCheck parity CHECKPOINT_DIR OUT_DIR [--device cuda|cpu]");
                }
                String device = option(args, "--device", "cuda");
                try (Backend b = device.equals("cpu") ? new CpuBackend() : new CudaBackend()) {
                    HfParityDump.run(b, Path.of(args[1]), Path.of(args[2]));
                    System.out.println("parity dump written to " + args[2] + " by " + b.name());
                }
            }
            default -> throw new IllegalArgumentException("unknown command '" + command + "': expected probe, bench or parity");
        }
    }

    /** Loads the kernel image (shipped fatbin, or EMMA4J_CUDA_KERNELS) and checks a fill, a scale and a read-back. */
    private static boolean kernels() {
        try (CudaBackend b = new CudaBackend(); var scope = b.newScope()) {
            var t = scope.allocate(org.emma4j.kernels.DType.BF16, 1000);
            b.fill(t, 1.5f);
            b.scale(t, 2f);
            float[] back = b.toFloats(t);
            boolean ok = back[0] == 3f && back[999] == 3f;
            System.out.println(new GpuRow("CUDA kernels load and run", ok ? "OK" : "WRONG RESULT",
                    b.name() + "; image " + System.getProperty("emma4j.cuda.kernels", System.getenv().getOrDefault("EMMA4J_CUDA_KERNELS",
                            "shipped fatbin"))).line());
            return ok;
        } catch (RuntimeException e) {
            System.out.println(new GpuRow("CUDA kernels load and run", "FAILED", e.getMessage()).line());
            return false;
        }
    }

    /** Problem sizes: the check's, a quicker one, and a tiny one that a CPU runs in seconds. */
    private record Sizes(int gemm, int attentionSeq, String trainShape, int trainLayers, int trainSeq, String decodeShape,
                         int prompt, int decodeSteps) {
        static Sizes of(String[] args) {
            List<String> a = List.of(args);
            if (a.contains("--tiny")) {
                return new Sizes(256, 128, "small", 1, 64, "tiny", 16, 8);
            }
            if (a.contains("--quick")) {
                return new Sizes(4096, 2048, "llama3-8b", 1, 1024, "llama3.2-1b", 32, 16);
            }
            return new Sizes(8192, 4096, "llama3-8b", 4, 2048, "llama3.2-1b", 256, 64);
        }
    }

    private static void bench(String[] args) {
        Sizes z = Sizes.of(args);
        double peak = Double.parseDouble(option(args, "--peak-tflops", "989"));
        double hbm = Double.parseDouble(option(args, "--hbm-tbps", "4.8"));
        String device = option(args, "--device", "cuda");
        List<GpuRow> rows = new ArrayList<>();
        try (CpuBackend host = new CpuBackend();
             Backend b = Backends.create(device, null, message -> System.err.println("emma4j: " + message))) {
            stage(rows, "GEMM", () -> KernelTimings.gemm(b, z.gemm, peak));
            stage(rows, "attention", () -> KernelTimings.attention(b, z.attentionSeq, peak));
            stage(rows, "training step", () -> ModelTimings.trainStep(b, host.pool(), z.trainShape, z.trainLayers, z.trainSeq, peak, "bf16 autocast"));
            if (b instanceof CudaBackend) {
                // The same step with TF32 for the all-F32 products (weight gradients of the F32 activations).
                try (CudaBackend tf32 = new CudaBackend(CudaBackend.Options.defaults().withBf16Autocast(true).withTf32(true))) {
                    stage(rows, "training step (TF32)", () -> ModelTimings.trainStep(tf32, host.pool(), z.trainShape, z.trainLayers, z.trainSeq,
                            peak, "bf16 autocast + TF32"));
                }
            }
            stage(rows, "decode", () -> ModelTimings.decode(b, host.pool(), z.decodeShape, z.prompt, z.decodeSteps, hbm));
        }
    }

    private static void stage(List<GpuRow> rows, String name, Supplier<List<GpuRow>> work) {
        long t0 = System.nanoTime();
        try {
            for (GpuRow r : work.get()) {
                System.out.println(r.line());
                rows.add(r);
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            GpuRow failed = new GpuRow(name, "FAILED", e.toString());
            System.out.println(failed.line());
            rows.add(failed);
            e.printStackTrace();
        }
        System.err.printf("emma4j: %s took %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
