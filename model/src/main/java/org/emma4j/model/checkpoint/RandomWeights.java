package org.emma4j.model.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.cpu.CpuPool;
import org.emma4j.kernels.cpu.HostTensorScope;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.safetensors.TensorSource;

/**
 * A randomly initialised model held in memory rather than written to disk (training from scratch,
 * benchmarks): the same values {@link RandomInit} writes for the same config and seed.
 */
public final class RandomWeights {
    private RandomWeights() {
    }

    /** Weights in {@code config.dtype()}, allocated in {@code scope} (host memory, then uploaded if the backend is a device). */
    public static LlamaWeights create(LlamaConfig config, long seed, Backend backend, TensorScope scope, CpuPool pool) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (TensorScope host = new HostTensorScope()) {
            for (TensorSource source : RandomInit.sources(config, seed, pool)) {
                Tensor t = scope.allocate(source.dtype(), source.shape()).named(source.name());
                if (t.isHost()) {
                    source.content().writeTo(t.segment());
                } else {
                    Tensor staging = host.allocate(source.dtype(), source.shape());
                    source.content().writeTo(staging.segment());
                    backend.upload(t, staging.segment());
                }
                tensors.put(source.name(), t);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return LlamaWeights.fromTensors(config, tensors, name -> "random initialisation");
        } catch (CheckpointFormatException e) {
            throw new IllegalStateException("random initialisation produced weights that do not fit their own config", e);
        }
    }
}
