package org.emma4j.model.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Llama 3 tokenizer.json for tests: fetched by the build (src/test/node/fetch-tokenizer.sh into
 * target/llama3-tokenizer) or named by the system property {@code emma4j.llama3.tokenizer}. When it is
 * absent, tests that need it are skipped with the reason, except under CI=true, where they fail.
 */
public final class RealLlama3Tokenizer {
    private static Llama3Tokenizer loaded;

    private RealLlama3Tokenizer() {
    }

    public static Path tokenizerJson() {
        Path file = Path.of(System.getProperty("emma4j.llama3.tokenizer", "target/llama3-tokenizer/tokenizer.json"));
        if (!Files.isRegularFile(file)) {
            String reason = "the real Llama 3 tokenizer.json is not at " + file.toAbsolutePath()
                    + "; the build fetches it with model/src/test/node/fetch-tokenizer.sh, which needs npm";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(reason);
            }
            Assumptions.abort(reason);
        }
        return file;
    }

    /** Loaded once per test JVM: reading 9 MB of JSON takes a second. */
    public static synchronized Llama3Tokenizer get() {
        if (loaded == null) {
            try {
                loaded = Llama3Tokenizer.fromTokenizerJson(tokenizerJson());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return loaded;
    }
}
