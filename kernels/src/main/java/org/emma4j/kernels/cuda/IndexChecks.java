package org.emma4j.kernels.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.emma4j.kernels.Tensor;

/**
 * Token ids and labels are checked on the device before an op uses them: a kernel records the first bad
 * position (and its value) in a device flag, and the op's own kernel does nothing when the flag is set, so
 * a bad batch never writes memory. Eager checks read the flag back at once (8 bytes, one synchronisation)
 * and throw from the call that was given the bad tensor; deferred checks keep the flags on the device and
 * report the first failure at the next {@link #report()} (synchronize, download, globalL2Norm), so that a
 * training or decode step needs no host round trip.
 */
final class IndexChecks {
    private static final long NO_BAD_INDEX = -1L;   // 0xFFFFFFFFFFFFFFFF, as the kernels see it
    private static final int SLOTS = 256;

    /** How to word a failure: an embedding id or a cross-entropy label. */
    enum Kind { TOKEN_ID, LABEL }

    private record Pending(int slot, String op, Kind kind, String tensorName, int limit, int ignoreIndex) {
    }

    private final CudaContext context;
    private final boolean eager;
    private final long flags;
    private final List<Pending> pending = new ArrayList<>();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment readBack;
    private int nextSlot;

    IndexChecks(CudaContext context, boolean eager) {
        this.context = context;
        this.eager = eager;
        this.flags = context.driver().allocate(SLOTS * 8L);
        this.readBack = arena.allocate(SLOTS * 8L, 8);
        context.driver().memset32(flags, -1, SLOTS * 2L, context.stream());
    }

    /**
     * Checks that every value of the I32 tensor {@code ids} lies in [0, limit), or equals {@code ignoreIndex}
     * when {@code useIgnore}. Returns the device address of the flag the op's kernel must be given.
     */
    long check(String op, Kind kind, Tensor ids, int limit, boolean useIgnore, int ignoreIndex) {
        if (nextSlot == SLOTS) {
            report();
        }
        int slot = eager ? 0 : nextSlot++;
        long flag = flags + slot * 8L;
        if (eager) {
            context.driver().memset32(flag, -1, 2, context.stream());
        }
        long n = ids.size();
        if (n > 0) {
            context.args().pointer(DeviceTensors.address(ids)).i64(n).i32(limit).i32(ignoreIndex).i32(useIgnore ? 1 : 0).pointer(flag);
            context.launch(CudaKernel.CHECK_INDICES, context.gridFor(n, 256), 1, 256, 0);
        }
        Pending p = new Pending(slot, op, kind, ids.name(), limit, useIgnore ? ignoreIndex : Integer.MIN_VALUE);
        if (eager) {
            context.driver().copyToHost(readBack, flag, 8, context.stream());
            long found = readBack.get(ValueLayout.JAVA_LONG, 0);
            if (found != NO_BAD_INDEX) {
                throw failure(p, found, false);
            }
        } else {
            pending.add(p);
        }
        return flag;
    }

    /** Throws for the first deferred check that found a bad index, then forgets them all. Waits for the stream. */
    void report() {
        if (pending.isEmpty()) {
            nextSlot = 0;
            return;
        }
        context.driver().copyToHost(readBack, flags, nextSlot * 8L, context.stream());
        List<Pending> seen = List.copyOf(pending);
        pending.clear();
        nextSlot = 0;
        context.driver().memset32(flags, -1, SLOTS * 2L, context.stream());
        for (Pending p : seen) {
            long found = readBack.get(ValueLayout.JAVA_LONG, p.slot * 8L);
            if (found != NO_BAD_INDEX) {
                throw failure(p, found, true);
            }
        }
    }

    private static IllegalArgumentException failure(Pending p, long found, boolean deferred) {
        long position = found >>> 32;
        int value = (int) found;
        String message = switch (p.kind) {
            case TOKEN_ID -> p.op + ": ids (" + p.tensorName + ") position " + position + " holds token id " + value
                    + ", outside the vocabulary [0, " + p.limit + ")";
            case LABEL -> p.op + ": row " + position + " has label " + value + ", outside the vocabulary [0, " + p.limit
                    + ") and not the ignore index " + p.ignoreIndex;
        };
        return new IllegalArgumentException(deferred ? message + " (found by a deferred check on the GPU, reported at the next synchronisation;"
                + " the op did nothing)" : message);
    }

    void close() {
        context.driver().free(flags);
        arena.close();
    }
}
