package org.emma4j.kernels.cpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Float arrays the matmul reuses from call to call on one {@link CpuPool}: packed panels and scratch tiles run to
 * megabytes, and allocating them afresh each call costs zeroing and page faults on the order of the packing
 * itself (measured 4-6 ms for 16 MiB, against 20-40 ms for a 512 × 2048 × 2048 product). A call borrows what
 * it needs and gives it back; a borrowed array holds garbage. Safe for concurrent use.
 */
final class GemmBuffers {
    /**
     * Idle arrays kept at most: a call on T threads holds up to 1 + 3·T at once (packed op(a); per thread a C
     * tile, its packed op(b) and packing scratch), plus room for op(a)'s packing scratch, of other sizes.
     */
    private final int maxIdle;
    private final List<float[]> idle = new ArrayList<>();

    private GemmBuffers(int threads) {
        this.maxIdle = 4 + 3 * threads;
    }

    /** The buffers of this pool's matmuls. */
    static GemmBuffers of(CpuPool pool) {
        return pool.opState(GemmBuffers.class, () -> new GemmBuffers(pool.threads()));
    }

    /** An array of at least {@code length} floats: the smallest idle one that fits, else a new one. */
    synchronized float[] borrow(int length) {
        int best = -1;
        for (int i = 0; i < idle.size(); i++) {
            int have = idle.get(i).length;
            if (have >= length && (best < 0 || have < idle.get(best).length)) {
                best = i;
            }
        }
        return best >= 0 ? idle.remove(best) : new float[Math.max(length, 1)];
    }

    /** Gives an array back for later calls; when too many are idle, the smallest is dropped. */
    synchronized void release(float[] array) {
        idle.add(array);
        if (idle.size() > maxIdle) {
            int smallest = 0;
            for (int i = 1; i < idle.size(); i++) {
                if (idle.get(i).length < idle.get(smallest).length) {
                    smallest = i;
                }
            }
            idle.remove(smallest);
        }
    }
}
