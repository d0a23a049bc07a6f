package org.emma4j.model.llama;

import java.util.ArrayList;
import java.util.List;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.model.config.LlamaConfig;

/**
 * The keys and values of one sequence, per layer, laid out [capacity, kvHeads, headDim] so that the rows of
 * new tokens are a contiguous slice that the k/v projections write into directly. {@link #length()} counts
 * the positions filled so far; attention never reads past it.
 */
public final class KvCache {
    private final List<Tensor> keys;
    private final List<Tensor> values;
    private final int capacity;
    private int length;

    public KvCache(LlamaConfig config, TensorScope scope, DType dtype, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("KV cache capacity must be positive, found " + capacity);
        }
        if (dtype != DType.F32 && dtype != DType.BF16) {
            throw new IllegalArgumentException("KV cache dtype must be F32 or BF16, found " + dtype);
        }
        this.capacity = capacity;
        this.keys = new ArrayList<>(config.numHiddenLayers());
        this.values = new ArrayList<>(config.numHiddenLayers());
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            keys.add(scope.allocate(dtype, capacity, config.numKeyValueHeads(), config.headDim()).named("kv_cache.keys." + l));
            values.add(scope.allocate(dtype, capacity, config.numKeyValueHeads(), config.headDim()).named("kv_cache.values." + l));
        }
    }

    /** Layer {@code l}'s keys, [capacity, kvHeads, headDim]. */
    public Tensor keys(int l) {
        return keys.get(l);
    }

    /** Layer {@code l}'s values, [capacity, kvHeads, headDim]. */
    public Tensor values(int l) {
        return values.get(l);
    }

    public int capacity() {
        return capacity;
    }

    /** Positions filled so far; the next token goes to this position. */
    public int length() {
        return length;
    }

    /** Forgets positions from {@code newLength} on (to reuse a shared prefix, or to start over with 0). */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate a KV cache of length " + length + " to " + newLength);
        }
        length = newLength;
    }

    void advance(int tokens) {
        length += tokens;
    }
}
