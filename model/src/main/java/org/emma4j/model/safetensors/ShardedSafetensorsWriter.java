package org.emma4j.model.safetensors;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import org.emma4j.model.io.AtomicFiles;
import org.emma4j.model.io.HfJson;

/**
 * Writes a model's tensors the way Hugging Face's {@code save_pretrained} does: one {@code model.safetensors}
 * when everything fits under the shard limit, otherwise {@code model-00001-of-0000N.safetensors} files plus
 * {@code model.safetensors.index.json} ({@code metadata.total_size} and a sorted {@code weight_map}).
 * Tensors fill shards in the order given (model order, so a layer's weights stay together); a tensor larger
 * than the limit gets a shard of its own.
 */
public final class ShardedSafetensorsWriter {
    private ShardedSafetensorsWriter() {
    }

    /** Hugging Face's default {@code max_shard_size} ("5GB", decimal). */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;

    /** The single-file name. */
    public static final String SINGLE_FILE = "model.safetensors";

    /** The index name for sharded checkpoints. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    /** The name of shard {@code index} (1-based) of {@code count}. */
    public static String shardName(int index, int count) {
        return String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", index, count);
    }

    /** Groups tensors, in order, into shards of at most {@code maxShardBytes} (a lone larger tensor excepted). */
    public static List<List<TensorSource>> plan(List<TensorSource> tensors, long maxShardBytes) {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("the shard size limit must be positive, found " + maxShardBytes);
        }
        List<List<TensorSource>> shards = new ArrayList<>();
        List<TensorSource> current = new ArrayList<>();
        long currentBytes = 0;
        for (TensorSource t : tensors) {
            long bytes = t.byteSize();
            if (!current.isEmpty() && currentBytes + bytes > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(t);
            currentBytes += bytes;
        }
        if (!current.isEmpty() || shards.isEmpty()) {
            shards.add(current);
        }
        return shards;
    }

    /**
     * Writes the tensors into {@code directory} (which must exist) and returns the file names written
     * (the index last when there is one). Each file is itself written atomically; make the whole directory
     * atomic with {@link AtomicFiles#writeDirectory}.
     */
    public static List<String> write(Path directory, List<TensorSource> tensors, long maxShardBytes, WriteProgress progress)
            throws IOException {
        Set<String> names = new HashSet<>();
        for (TensorSource t : tensors) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' is given twice");
            }
        }
        List<List<TensorSource>> shards = plan(tensors, maxShardBytes);
        List<String> written = new ArrayList<>();
        if (shards.size() == 1) {
            SafetensorsWriter.write(directory.resolve(SINGLE_FILE), shards.getFirst(), SafetensorsWriter.PYTORCH_METADATA, progress);
            written.add(SINGLE_FILE);
            return written;
        }
        TreeMap<String, String> weightMap = new TreeMap<>();
        long totalSize = 0;
        for (int i = 0; i < shards.size(); i++) {
            String name = shardName(i + 1, shards.size());
            SafetensorsWriter.write(directory.resolve(name), shards.get(i), SafetensorsWriter.PYTORCH_METADATA, progress);
            for (TensorSource t : shards.get(i)) {
                weightMap.put(t.name(), name);
                totalSize += t.byteSize();
            }
            written.add(name);
        }
        JsonNodeFactory nf = JsonNodeFactory.instance;
        ObjectNode index = nf.objectNode();
        index.putObject("metadata").put("total_size", totalSize);
        ObjectNode map = index.putObject("weight_map");
        weightMap.forEach(map::put);
        AtomicFiles.writeString(directory.resolve(INDEX_FILE), HfJson.pretty(index));
        written.add(INDEX_FILE);
        return written;
    }
}
