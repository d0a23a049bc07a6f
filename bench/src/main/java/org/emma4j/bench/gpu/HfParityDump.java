package org.emma4j.bench.gpu;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.model.checkpoint.LlamaCheckpoint;
import org.emma4j.model.checkpoint.LlamaWeights;
import org.emma4j.model.llama.LlamaModel;
import org.emma4j.model.train.LlamaTraining;

/**
 * Writes what emma4j computes for a Hugging Face checkpoint, for hf_parity.py to compare with transformers'
 * LlamaForCausalLM: the logits of the token ids in {@code parity_ids.txt} (inference path, KV cache) and the
 * gradients of the mean next-token loss over them (training path, FP32). Files are raw little-endian f32:
 * {@code logits.f32} [T, V], {@code grads/<name>.f32} per weight, and {@code loss.txt}.
 */
final class HfParityDump {
    private HfParityDump() {
    }

    static void run(Backend backend, Path checkpoint, Path out) throws IOException {
        int[] ids = Arrays.stream(Files.readString(checkpoint.resolve("parity_ids.txt")).strip().split("\\s*,\\s*"))
                .mapToInt(Integer::parseInt).toArray();
        Files.createDirectories(out.resolve("grads"));
        try (LlamaModel model = LlamaModel.load(checkpoint, backend, LlamaModel.Options.defaults().withMaxContext(ids.length))) {
            float[][] logits = model.logits(ids);
            float[] flat = new float[logits.length * logits[0].length];
            for (int t = 0; t < logits.length; t++) {
                System.arraycopy(logits[t], 0, flat, t * logits[0].length, logits[0].length);
            }
            write(out.resolve("logits.f32"), flat);
        }
        int[] targets = new int[ids.length];
        for (int t = 0; t < ids.length; t++) {
            targets[t] = t + 1 < ids.length ? ids[t + 1] : LlamaTraining.IGNORE_INDEX;
        }
        try (LlamaCheckpoint ckpt = LlamaCheckpoint.open(checkpoint); TensorScope scope = backend.newScope()) {
            LlamaWeights master = ckpt.copyTo(backend, scope, DType.F32);
            try (LlamaTraining training = new LlamaTraining(backend, ckpt.config(), master, LlamaTraining.Precision.FP32, 1, ids.length,
                    false)) {
                training.zeroGradients();
                double loss = training.forwardBackward(ids, targets, 1f / (ids.length - 1)).mean();
                Files.writeString(out.resolve("loss.txt"), Double.toString(loss) + "\n");
                for (Map.Entry<String, Tensor> e : training.gradients().byName().entrySet()) {
                    write(out.resolve("grads").resolve(e.getKey() + ".f32"), backend.toFloats(e.getValue()));
                }
            }
        }
    }

    private static void write(Path file, float[] values) throws IOException {
        try (Arena arena = Arena.ofConfined();
             FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            MemorySegment seg = arena.allocate((long) values.length * 4, 4);
            for (int i = 0; i < values.length; i++) {
                seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), i, values[i]);
            }
            ch.write(seg.asByteBuffer());
        }
    }
}
