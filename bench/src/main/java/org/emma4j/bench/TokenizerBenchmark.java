package org.emma4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.GptBytePairEncodingParams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.emma4j.model.tokenizer.Llama3PreTokenizer;
import org.emma4j.model.tokenizer.Llama3Tokenizer;
import org.emma4j.model.tokenizer.SpecialTokenHandling;
import org.emma4j.model.tokenizer.TokenIdBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding throughput of the Llama 3 tokenizer on multilingual text: the tokenizer test strings (UDHR
 * article 1 in 40+ scripts, code, numbers, emoji, whitespace; without the synthetic long runs), joined
 * by blank lines and repeated to about 1 MB of UTF-8. The {@code utf8Bytes} counter is the throughput
 * in bytes of input per second (divide by 10^6 for MB/s).
 *
 * <p>Peers in the same run: JTokkit 1.1.0 (a Java tiktoken) given the same Llama 3 vocabulary and
 * regex (java.util.regex pre-tokenization), and JTokkit's own cl100k_base, whose regex is identical to
 * Llama 3's and which JTokkit pre-tokenizes with a hand-written parser (a different vocabulary, so only
 * the speed compares). All encode special-token text as plain text.
 *
 * <p>Needs the real tokenizer.json: {@code -p tokenizer=PATH}, or model/target/llama3-tokenizer/tokenizer.json
 * under the current directory or a parent (the model module's test build fetches it; by hand:
 * model/src/test/node/fetch-tokenizer.sh). Run: {@code ./emma4j bench TokenizerBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class TokenizerBenchmark {
    private static final String TOKENIZER_RELATIVE = "model/target/llama3-tokenizer/tokenizer.json";
    private static final String STRINGS_RELATIVE = "model/src/test/resources/tokenizer/llama3-test-strings.jsonl";
    private static final int TARGET_BYTES = 1 << 20;

    /** Path of a Llama 3 tokenizer.json; empty = look for the one the model module's build fetched. */
    @Param("")
    public String tokenizer;

    private Llama3Tokenizer emma4j;
    private Encoding jtokkitLlama3;
    private Encoding jtokkitCl100k;
    private String text;
    private int textBytes;

    /** Bytes of input encoded, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Throughput {
        public long utf8Bytes;

        @Setup(Level.Iteration)
        public void reset() {
            utf8Bytes = 0;
        }
    }

    /** Each thread's reusable output buffer. */
    @State(Scope.Thread)
    public static class Output {
        final TokenIdBuffer ids = new TokenIdBuffer(1 << 20);
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path tokenizerFile = tokenizer.isEmpty() ? findUp(TOKENIZER_RELATIVE) : Path.of(tokenizer);
        emma4j = Llama3Tokenizer.fromTokenizerJson(tokenizerFile);
        text = multilingualText(findUp(STRINGS_RELATIVE));
        textBytes = text.getBytes(StandardCharsets.UTF_8).length;

        Map<byte[], Integer> ranks = new HashMap<>();
        for (int id = 0; id < emma4j.vocabSize(); id++) {
            if (!emma4j.isSpecial(id)) {
                ranks.put(emma4j.tokenBytes(id), id);
            }
        }
        Pattern llama3 = Pattern.compile(Llama3PreTokenizer.PATTERN, Pattern.UNICODE_CHARACTER_CLASS);
        jtokkitLlama3 = Encodings.newLazyEncodingRegistry()
                .registerGptBytePairEncoding(new GptBytePairEncodingParams("llama3", llama3, ranks, Map.of()))
                .getEncoding("llama3").orElseThrow();
        jtokkitCl100k = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
        System.out.printf("%n[TokenizerBenchmark] text: %d chars, %d UTF-8 bytes, %d Llama 3 tokens%n",
                text.length(), textBytes, emma4j.encode(text, SpecialTokenHandling.PLAIN).length);
    }

    /** The reference strings minus the artificial long runs, joined and repeated to about 1 MB. */
    private static String multilingualText(Path stringsFile) throws IOException {
        ObjectMapper json = new ObjectMapper();
        StringBuilder once = new StringBuilder();
        for (String line : Files.readAllLines(stringsFile, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            var node = json.readTree(line);
            String name = node.get("name").asText();
            if (!name.startsWith("long_") && !name.startsWith("very_long_")) {
                once.append(node.get("text").asText()).append("\n\n");
            }
        }
        int onceBytes = once.toString().getBytes(StandardCharsets.UTF_8).length;
        return once.toString().repeat(Math.max(1, TARGET_BYTES / onceBytes));
    }

    private static Path findUp(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(relative + " not found under " + Path.of("").toAbsolutePath()
                + " or its parents; run 'mvn -pl model generate-test-resources' (or model/src/test/node/fetch-tokenizer.sh)"
                + " from the repository root, or pass -p tokenizer=PATH");
    }

    @Benchmark
    public int emma4j(Throughput counter, Output output) {
        output.ids.clear();
        emma4j.encodeInto(text, SpecialTokenHandling.PLAIN, output.ids);
        counter.utf8Bytes += textBytes;
        return output.ids.size();
    }

    @Benchmark
    public int jtokkitLlama3Vocabulary(Throughput counter) {
        counter.utf8Bytes += textBytes;
        return jtokkitLlama3.encodeOrdinary(text).size();
    }

    @Benchmark
    public int jtokkitCl100k(Throughput counter) {
        counter.utf8Bytes += textBytes;
        return jtokkitCl100k.encodeOrdinary(text).size();
    }
}
