package org.emma4j.kernels.cpu;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import jdk.incubator.vector.FloatVector;
import org.emma4j.kernels.Tensor;

/**
 * Causal grouped-query attention on the CPU, forward and backward, memory-efficient: no [T, T] matrix, only
 * per-worker scratch of a tile of rows and a block of keys (see {@link AttentionForward},
 * {@link AttentionDecode} and {@link AttentionBackward}). This class checks the arguments and spreads the
 * work over the pool: forward over (batch, KV head, query tile), the longest causal tiles first, or, when
 * each KV head has only a few query rows (decoding), over (batch, key chunk); backward over
 * (batch, KV head), split further by interleaved key blocks when there are too few groups to keep every
 * thread busy, each task then accumulating dQ privately and the partial sums added afterwards.
 */
final class CpuAttention {
    private CpuAttention() {
    }

    /** Rows (positions × query heads of a group) a forward tile or backward sub-block aims for. */
    private static final int TILE_ROWS = 128;

    static void forward(CpuPool pool, Tensor out, Tensor lse, Tensor q, Tensor k, Tensor v, int qPos0, float scale) {
        String op = "attentionForward";
        AttentionShape shape = AttentionShape.of(op, q, k, v, qPos0);
        shape.requireLikeQuery(op, "out", out);
        if (lse != null) {
            shape.requireLse(op, lse);
        }
        if (shape.batch() == 0 || shape.tq() == 0 || shape.hq() == 0) {
            return;
        }
        if (shape.tq() * shape.group() < AttentionForward.DIRECT_ROWS) {
            decode(pool, shape, out, lse, q, k, v, scale);
            return;
        }
        int positions = tilePositions(shape);
        int tiles = (shape.tq() + positions - 1) / positions;
        int groups = shape.batch() * shape.hkv();
        runTasks(pool, groups * tiles,
                () -> new AttentionForward(shape, out, lse, q, k, v, scale, positions * shape.group()),
                (task, worker) -> {
                    // Later tiles see more keys: hand them out first so the short ones fill the gaps at the end.
                    int tile = tiles - 1 - task / groups;
                    int group = task % groups;
                    int t0 = tile * positions;
                    worker.runTile(group / shape.hkv(), group % shape.hkv(), t0, Math.min(positions, shape.tq() - t0));
                });
    }

    /**
     * Few query rows per KV head (decoding): split the visible keys of each sequence into about
     * 4·threads / batch contiguous chunks, run them as independent partial softmaxes, then merge.
     */
    private static void decode(CpuPool pool, AttentionShape shape, Tensor out, Tensor lse, Tensor q, Tensor k, Tensor v, float scale) {
        int blocks = (shape.keyEnd() + AttentionBlocks.BK - 1) / AttentionBlocks.BK;
        int wanted = (4 * pool.threads() + shape.batch() - 1) / shape.batch();
        int blocksPerChunk = (blocks + Math.min(blocks, wanted) - 1) / Math.min(blocks, wanted);
        int chunks = (blocks + blocksPerChunk - 1) / blocksPerChunk;
        int chunkKeys = blocksPerChunk * AttentionBlocks.BK;
        AttentionDecode.Partial[] parts = new AttentionDecode.Partial[shape.batch() * chunks];
        runTasks(pool, parts.length, () -> new AttentionDecode(shape, q, k, v, scale), (task, worker) -> {
            int k0 = (task % chunks) * chunkKeys;
            parts[task] = worker.runChunk(task / chunks, k0, Math.min(shape.keyEnd(), k0 + chunkKeys));
        });
        pool.parallelFor(shape.batch(), b -> AttentionDecode.merge(shape, parts, b * chunks, chunks, b, out, lse));
    }

    static void backward(CpuPool pool, Tensor dq, Tensor dk, Tensor dv, Tensor dout, Tensor out, Tensor lse,
                         Tensor q, Tensor k, Tensor v, int qPos0, float scale) {
        String op = "attentionBackward";
        AttentionShape shape = AttentionShape.of(op, q, k, v, qPos0);
        shape.requireLikeQuery(op, "dq", dq);
        shape.requireLikeKey(op, "dk", dk);
        shape.requireLikeKey(op, "dv", dv);
        shape.requireLikeQuery(op, "dout", dout);
        shape.requireLikeQuery(op, "out", out);
        if (lse == null) {
            throw new IllegalArgumentException(op + ": lse is null; the backward pass needs the log-sum-exp saved by attentionForward");
        }
        shape.requireLse(op, lse);
        if (shape.batch() == 0 || shape.tq() == 0 || shape.hq() == 0) {
            return;
        }
        int groups = shape.batch() * shape.hkv();
        int keyBlocks = (shape.keyEnd() + AttentionBlocks.BK - 1) / AttentionBlocks.BK;
        int wanted = 2 * pool.threads();
        int chunks = groups >= wanted ? 1 : Math.min(keyBlocks, (wanted + groups - 1) / groups);
        int positions = tilePositions(shape);
        Supplier<AttentionBackward> workers = () -> new AttentionBackward(shape, dk, dv, dout, out, lse, q, k, v, scale, positions);
        var dqSeg = dq.segment();
        if (chunks == 1) {
            runTasks(pool, groups, () -> new BackwardWorker(workers.get()), (group, w) -> {
                int b = group / shape.hkv();
                int kvh = group % shape.hkv();
                float[] acc = w.zeroedAccumulator();
                w.kernel.runChunk(b, kvh, 0, 1, acc);
                AttentionBackward.addDq(shape, scale, dqSeg, dq.dtype(), b, kvh, acc);
            });
            return;
        }
        float[][] partials = new float[groups * chunks][];
        runTasks(pool, groups * chunks, workers, (task, w) -> {
            int group = task / chunks;
            float[] acc = new float[w.dqAccumulatorSize()];
            w.runChunk(group / shape.hkv(), group % shape.hkv(), task % chunks, chunks, acc);
            partials[task] = acc;
        });
        pool.parallelFor(groups, group -> {
            float[] sum = partials[group * chunks];
            for (int c = 1; c < chunks; c++) {
                addInPlace(sum, partials[group * chunks + c]);
            }
            AttentionBackward.addDq(shape, scale, dqSeg, dq.dtype(), group / shape.hkv(), group % shape.hkv(), sum);
        });
    }

    /** Query positions per tile: about {@link #TILE_ROWS} rows once the group's heads are counted. */
    private static int tilePositions(AttentionShape shape) {
        return Math.max(1, Math.min(shape.tq(), TILE_ROWS / shape.group()));
    }

    /** A backward kernel with its reusable dQ accumulator, for the one-task-per-group schedule. */
    private static final class BackwardWorker {
        final AttentionBackward kernel;
        private final float[] accumulator;

        BackwardWorker(AttentionBackward kernel) {
            this.kernel = kernel;
            this.accumulator = new float[kernel.dqAccumulatorSize()];
        }

        float[] zeroedAccumulator() {
            Arrays.fill(accumulator, 0f);
            return accumulator;
        }
    }

    private static void addInPlace(float[] sum, float[] x) {
        var f = FloatRowIo.F;
        int i = 0;
        for (; i <= sum.length - f.length(); i += f.length()) {
            FloatVector.fromArray(f, sum, i).add(FloatVector.fromArray(f, x, i)).intoArray(sum, i);
        }
        for (; i < sum.length; i++) {
            sum[i] += x[i];
        }
    }

    @FunctionalInterface
    private interface Task<W> {
        void run(int task, W worker);
    }

    /**
     * Runs tasks [0, n) on the pool with one worker object (its scratch) per participating thread, handing
     * task indices out dynamically so uneven tasks balance.
     */
    private static <W> void runTasks(CpuPool pool, int n, Supplier<W> newWorker, Task<W> body) {
        AtomicInteger next = new AtomicInteger();
        pool.parallelFor(Math.min(pool.threads(), n), unused -> {
            W worker = null;
            for (int i; (i = next.getAndIncrement()) < n; ) {
                if (worker == null) {
                    worker = newWorker.get();
                }
                body.run(i, worker);
            }
        });
    }
}
