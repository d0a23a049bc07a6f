package org.emma4j.model.data.prepare;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What {@code emma4j prepare} was asked to do.
 *
 * @param config the mix config YAML
 * @param tokenizer a tokenizer.json, tokenizer.model or model directory
 * @param out the shards directory to write (atomically)
 * @param skipBad skip and count bad input lines instead of stopping at the first
 * @param threads tokenizer threads
 * @param overwrite replace a non-empty {@code out}
 * @param progress where the progress line goes (stderr), or null for none
 */
public record PrepareOptions(Path config, Path tokenizer, Path out, boolean skipBad, int threads, boolean overwrite,
                             PrintStream progress) {
}
