package org.emma4j.model.data.loader;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.emma4j.model.data.IntList;
import org.emma4j.model.data.io.ByteLineReader;
import org.emma4j.model.data.io.CompressedInput;
import org.emma4j.model.data.io.JsonLines;
import org.emma4j.model.data.io.StrictUtf8;
import org.emma4j.model.data.mix.BosPolicy;
import org.emma4j.model.data.shards.SequencePacker;

/**
 * Packs pre-tokenized JSON Lines in memory with {@link SequencePacker}'s rules. Any bad line stops with its
 * file and line named (there is no skipping here: use {@code prepare --skip-bad} for dirty data).
 */
final class TokenizedJsonlPacking {
    private TokenizedJsonlPacking() {
    }

    static InMemorySequences pack(List<Path> files, String idsField, int sequenceLength, BosPolicy bos, int bosId, int eosId)
            throws IOException {
        IntList out = new IntList(1 << 16);
        int[] lastValid = {sequenceLength};
        SequencePacker packer = new SequencePacker(sequenceLength, bos, bosId, eosId, eosId, (seq, valid) -> {
            for (int i = 0; i < seq.length; i++) {
                out.add(seq[i]);
            }
            lastValid[0] = valid;
        });
        JsonLines json = new JsonLines();
        StrictUtf8 utf8 = new StrictUtf8();
        for (Path file : files) {
            String name = file.toString();
            try (ByteLineReader lines = new ByteLineReader(CompressedInput.open(file))) {
                while (lines.next()) {
                    String text = utf8.decode(lines.bytes(), lines.length(), name, lines.lineNumber());
                    JsonNode node = json.parseObject(text, name, lines.lineNumber());
                    int[] ids = JsonLines.idsField(node, idsField, Integer.MAX_VALUE, name, lines.lineNumber());
                    packer.addDocument(ids, 0, ids.length);
                }
            }
        }
        packer.finish();
        if (packer.sequences() == 0) {
            throw new IllegalArgumentException("no documents in " + files);
        }
        return new InMemorySequences(out.toArray(), sequenceLength, lastValid[0], eosId);
    }
}
