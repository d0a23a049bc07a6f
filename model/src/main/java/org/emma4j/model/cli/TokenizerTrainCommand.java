package org.emma4j.model.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.emma4j.model.data.ProgressLine;
import org.emma4j.model.data.bpe.BpeTrainer;
import org.emma4j.model.data.bpe.BpeVocabulary;
import org.emma4j.model.data.bpe.PieceCounts;
import org.emma4j.model.data.bpe.TokenizerJsonWriter;
import org.emma4j.model.data.bpe.TrainingText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Trains a byte-level BPE with Llama 3's pre-tokenizer and special tokens ({@link BpeTrainer}). */
@Command(name = "tokenizer-train", mixinStandardHelpOptions = true,
        description = {"Train a byte-level BPE tokenizer (Llama 3 pre-tokenizer and special tokens) and write it as a",
                "Hugging Face tokenizer.json that emma4j and Hugging Face tokenizers read.",
                "Plain-text files are read as they are; files named *.jsonl*/*.json* are JSON Lines whose --text-field",
                "strings are the text. .gz and .zst are decompressed transparently."})
final class TokenizerTrainCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "FILE", description = "Training text files.")
    List<Path> inputs;

    @Option(names = "--vocab-size", required = true, paramLabel = "N",
            description = "Ids in all, special tokens included (at least 266).")
    int vocabSize;

    @Option(names = "--out", required = true, paramLabel = "tokenizer.json", description = "Where to write the tokenizer.")
    Path out;

    @Option(names = "--min-frequency", defaultValue = "2", paramLabel = "M",
            description = "Merge only pairs seen at least M times (default: ${DEFAULT-VALUE}).")
    int minFrequency;

    @Option(names = "--extra-reserved", defaultValue = "0", paramLabel = "K",
            description = "Reserved special tokens after Llama 3's first ten (default: ${DEFAULT-VALUE}).")
    int extraReserved;

    @Option(names = "--text-field", paramLabel = "FIELD", split = ",",
            description = "JSON Lines fields holding text (default: text, src_text, tgt_text).")
    List<String> textFields = List.of("text", "src_text", "tgt_text");

    @Option(names = "--threads", paramLabel = "N", description = "Counting threads (default: all cores).")
    Integer threads;

    @Option(names = "--quiet", description = "No progress line on stderr.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BpeTrainer.Options options = new BpeTrainer.Options(vocabSize, minFrequency, extraReserved);
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new IllegalArgumentException("--threads must be positive, found " + n);
        }
        PieceCounts counts = TrainingText.countPieces(inputs, textFields, n, quiet ? null : System.err);
        BpeVocabulary vocab = BpeTrainer.train(counts, options,
                new ProgressLine(quiet ? null : System.err, "tokenizer-train: merging", vocabSize - options.specialTokenCount(), " tokens"));
        TokenizerJsonWriter.write(vocab, out);
        spec.commandLine().getOut().printf("wrote %s: %d ids (%d bytes, %d merges, %d special tokens)%n", out, vocab.size(), 256,
                vocab.merges().size(), vocab.specialTokens().size());
        if (vocab.size() < vocabSize) {
            spec.commandLine().getOut().printf("note: the text supports only %d ids with --min-frequency %d (asked for %d)%n",
                    vocab.size(), minFrequency, vocabSize);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
