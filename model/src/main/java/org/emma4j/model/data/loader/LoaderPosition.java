package org.emma4j.model.data.loader;

/**
 * Where a {@link DataLoader} stands: the next batch is step {@code step} of epoch {@code epoch}. Steps are
 * global (every data-parallel rank is at the same step), so one position serves all ranks. A checkpoint
 * saves it; {@link DataLoader#seek} restores it exactly.
 */
public record LoaderPosition(long epoch, long step) {
    public static final LoaderPosition START = new LoaderPosition(0, 0);

    public LoaderPosition {
        if (epoch < 0 || step < 0) {
            throw new IllegalArgumentException("a loader position needs epoch >= 0 and step >= 0, found " + epoch + ", " + step);
        }
    }

    @Override
    public String toString() {
        return "epoch " + epoch + ", step " + step;
    }
}
