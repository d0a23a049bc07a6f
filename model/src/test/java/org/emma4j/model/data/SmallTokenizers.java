package org.emma4j.model.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.emma4j.model.data.bpe.BpeTrainer;
import org.emma4j.model.data.bpe.BpeVocabulary;
import org.emma4j.model.data.bpe.PieceCounts;
import org.emma4j.model.data.bpe.TokenizerJsonWriter;
import org.emma4j.model.tokenizer.Llama3Tokenizer;

/** Small tokenizers trained inside a test (milliseconds), instead of the 9 MB Llama 3 one. */
public final class SmallTokenizers {
    private SmallTokenizers() {
    }

    /** Trains a {@code vocabSize} BPE on {@code corpus}, writes {@code dir/tokenizer.json}, returns its path. */
    public static Path train(Path dir, String corpus, int vocabSize) throws IOException {
        PieceCounts counts = new PieceCounts();
        counts.add(corpus);
        BpeVocabulary vocab = BpeTrainer.train(counts, new BpeTrainer.Options(vocabSize, 2, 0), new ProgressLine(null, "", 0, ""));
        Path file = Files.createDirectories(dir).resolve("tokenizer.json");
        TokenizerJsonWriter.write(vocab, file);
        return file;
    }

    /** A 600-id tokenizer trained on random multilingual text of a fixed seed. */
    public static Llama3Tokenizer multilingual(Path dir) throws IOException {
        return Llama3Tokenizer.load(train(dir, TestCorpora.text(new SplittableRandom(7), 3000), 600));
    }
}
