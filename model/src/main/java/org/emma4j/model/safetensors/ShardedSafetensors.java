package org.emma4j.model.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.emma4j.kernels.Tensor;
import org.emma4j.model.io.HfJson;

/**
 * The weights of a Hugging Face model directory: {@code model.safetensors}, or the shards named by
 * {@code model.safetensors.index.json}. Each file is mapped once; {@link #tensor} gives zero-copy tensors.
 * The index and the shards must agree exactly: a tensor the index lists but its shard lacks, a tensor a
 * shard holds but the index does not list (or lists elsewhere), and a name present in two shards are errors
 * naming the files and the tensor.
 */
public final class ShardedSafetensors implements AutoCloseable {
    private final Path directory;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> byTensor;

    private ShardedSafetensors(Path directory, List<SafetensorsFile> files, Map<String, SafetensorsFile> byTensor) {
        this.directory = directory;
        this.files = List.copyOf(files);
        this.byTensor = Collections.unmodifiableMap(byTensor);
    }

    /** Opens the safetensors weights of a model directory (single file preferred, as Hugging Face does). */
    public static ShardedSafetensors open(Path directory) throws IOException {
        Path single = directory.resolve(ShardedSafetensorsWriter.SINGLE_FILE);
        Path index = directory.resolve(ShardedSafetensorsWriter.INDEX_FILE);
        if (Files.isRegularFile(single)) {
            SafetensorsFile f = SafetensorsFile.open(single);
            Map<String, SafetensorsFile> map = new TreeMap<>();
            for (String name : f.names()) {
                map.put(name, f);
            }
            return new ShardedSafetensors(directory, List.of(f), map);
        }
        if (Files.isRegularFile(index)) {
            return openSharded(directory, index);
        }
        throw new java.nio.file.NoSuchFileException(directory.toString(), null,
                "no " + ShardedSafetensorsWriter.SINGLE_FILE + " or " + ShardedSafetensorsWriter.INDEX_FILE
                        + " here: emma4j reads Hugging Face safetensors checkpoints");
    }

    private static ShardedSafetensors openSharded(Path directory, Path indexFile) throws IOException {
        Map<String, String> weightMap = readWeightMap(indexFile);
        String index = indexFile.toString();
        Map<String, SafetensorsFile> opened = new LinkedHashMap<>();
        try {
            for (String shard : new TreeSet<>(weightMap.values())) {
                Path p = directory.resolve(shard);
                if (!Files.isRegularFile(p)) {
                    throw new SafetensorsFormatException(index + " refers to shard " + shard + ", which does not exist in " + directory);
                }
                opened.put(shard, SafetensorsFile.open(p));
            }
            Map<String, SafetensorsFile> byTensor = new TreeMap<>();
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                SafetensorsFile f = opened.get(e.getValue());
                if (!f.contains(e.getKey())) {
                    throw new SafetensorsFormatException(index + " lists tensor '" + e.getKey() + "' in " + e.getValue()
                            + ", but " + f.path() + " does not contain it");
                }
                byTensor.put(e.getKey(), f);
            }
            for (Map.Entry<String, SafetensorsFile> shard : opened.entrySet()) {
                for (String name : shard.getValue().names()) {
                    String listed = weightMap.get(name);
                    if (listed == null) {
                        throw new SafetensorsFormatException(shard.getValue().path() + " contains tensor '" + name + "', which "
                                + index + " does not list");
                    }
                    if (!listed.equals(shard.getKey())) {
                        throw new SafetensorsFormatException("tensor '" + name + "' appears in both " + shard.getValue().path()
                                + " and " + directory.resolve(listed) + " (the index assigns it to " + listed + ")");
                    }
                }
            }
            return new ShardedSafetensors(directory, new ArrayList<>(opened.values()), byTensor);
        } catch (IOException | RuntimeException | Error e) {
            for (SafetensorsFile f : opened.values()) {
                f.close();
            }
            throw e;
        }
    }

    private static Map<String, String> readWeightMap(Path indexFile) throws IOException {
        String index = indexFile.toString();
        JsonNode root;
        try {
            root = HfJson.strictMapper().readTree(Files.readString(indexFile));
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage();
            throw new SafetensorsFormatException(index + ": " + (why != null && why.startsWith("Duplicate field")
                    ? "a name appears twice (" + why + ")" : "not valid JSON (" + why + ")"), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new SafetensorsFormatException(index + ": 'weight_map' must be an object mapping tensor names to shard files, found " + map);
        }
        Map<String, String> weightMap = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            JsonNode v = e.getValue();
            if (!v.isTextual()) {
                throw new SafetensorsFormatException(index + ": weight_map entry for tensor '" + e.getKey() + "' must be a file name, found " + v);
            }
            String shard = v.textValue();
            if (shard.isEmpty() || shard.contains("/") || shard.contains("\\") || shard.equals(".") || shard.equals("..")) {
                throw new SafetensorsFormatException(index + ": weight_map entry for tensor '" + e.getKey()
                        + "' must name a file in the model directory, found \"" + shard + "\"");
            }
            weightMap.put(e.getKey(), shard);
        }
        return weightMap;
    }

    public Path directory() {
        return directory;
    }

    /** Every tensor name, sorted. */
    public Set<String> names() {
        return byTensor.keySet();
    }

    public boolean contains(String name) {
        return byTensor.containsKey(name);
    }

    /** A zero-copy tensor over its shard's mapping. */
    public Tensor tensor(String name) {
        SafetensorsFile f = byTensor.get(name);
        if (f == null) {
            throw new IllegalArgumentException(directory + " has no tensor '" + name + "'");
        }
        return f.tensor(name);
    }

    /** The file holding a tensor, for error messages. */
    public Path fileOf(String name) {
        SafetensorsFile f = byTensor.get(name);
        return f == null ? directory : f.path();
    }

    /** The mapped files, one per shard. */
    public List<SafetensorsFile> files() {
        return files;
    }

    /** Unmaps every shard. */
    @Override
    public void close() {
        for (SafetensorsFile f : files) {
            f.close();
        }
    }
}
