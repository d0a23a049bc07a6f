package org.emma4j.model.eval.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.emma4j.model.eval.data.DataFormatException;
import org.emma4j.model.eval.data.MissingDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Missing files name the path they were expected at; malformed lines name the file and line. */
class BadInputsTest {
    @TempDir
    Path dir;

    private TaskContext context() {
        return TaskContext.of(dir);
    }

    @Test
    void missingFilesNameTheExpectedPath() {
        var e = assertThrows(MissingDataException.class, () -> new XcopaTask().evaluate(new ScriptedEvalModel(), "et", context()));
        assertEquals("missing XCOPA test file: expected the file " + dir.toAbsolutePath().resolve("xcopa/data/et/test.et.jsonl"),
                e.getMessage());
        var f = assertThrows(MissingDataException.class, () -> new FloresTask().evaluate(new ScriptedEvalModel(), "deu_Latn", context()));
        assertTrue(f.getMessage().endsWith("flores200_dataset/devtest/eng_Latn.devtest"), f.getMessage());
        var s = assertThrows(MissingDataException.class,
                () -> new TopicClassificationTask(TopicDataset.TAXI1500).evaluate(new ScriptedEvalModel(), "xyz", context()));
        assertTrue(s.getMessage().endsWith("taxi1500/xyz/xyz_train.tsv"), s.getMessage());
    }

    @Test
    void malformedJsonLineNamesFileAndLine() throws Exception {
        Path file = dir.resolve("belebele/eng_Latn.jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"question\": \"q\"}\n\n{\"broken\n");
        var e = assertThrows(DataFormatException.class, () -> new BelebeleTask().evaluate(new ScriptedEvalModel(), "eng_Latn", context()));
        assertTrue(e.getMessage().startsWith(file + ":3: not valid JSON"), e.getMessage());
    }

    @Test
    void missingFieldNamesFileLineAndField() throws Exception {
        Path file = dir.resolve("belebele/eng_Latn.jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"flores_passage\": \"p\", \"question\": \"q\"}\n");
        var e = assertThrows(DataFormatException.class, () -> new BelebeleTask().evaluate(new ScriptedEvalModel(), "eng_Latn", context()));
        assertEquals(file + ":1: missing field 'mc_answer1'", e.getMessage());
    }

    @Test
    void wrongFieldCountAndBadLabelsNameTheLine() throws Exception {
        Path file = dir.resolve("mgsm/mgsm_en.tsv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "How many?\t3\nNo answer here\n");
        var e = assertThrows(DataFormatException.class, () -> new MgsmTask().evaluate(new ScriptedEvalModel(), "en", context()));
        assertEquals(file + ":2: expected 2 tab-separated fields [question, answer_number], found 1", e.getMessage());

        Path sib = dir.resolve("sib200/data/fra_Latn/train.tsv");
        Files.createDirectories(sib.getParent());
        Files.writeString(sib, "index_id\tcategory\ttext\n1\tsport\tLe match.\n");
        Files.writeString(sib.resolveSibling("test.tsv"), "index_id\tcategory\ttext\n");
        var s = assertThrows(DataFormatException.class,
                () -> new TopicClassificationTask(TopicDataset.SIB200).evaluate(new ScriptedEvalModel(), "fra_Latn", context()));
        assertTrue(s.getMessage().startsWith(sib + ":2: category 'sport' is not one of"), s.getMessage());

        Path xcopa = dir.resolve("xcopa/data/et/test.et.jsonl");
        Files.createDirectories(xcopa.getParent());
        Files.writeString(xcopa, "{\"premise\": \"a.\", \"choice1\": \"b\", \"choice2\": \"c\", \"question\": \"why\", \"label\": 0}\n");
        var x = assertThrows(DataFormatException.class, () -> new XcopaTask().evaluate(new ScriptedEvalModel(), "et", context()));
        assertEquals(xcopa + ":1: question should be 'cause' or 'effect', found 'why'", x.getMessage());
    }

    @Test
    void floresFilesMustBeLineAligned() throws Exception {
        Path devtest = dir.resolve("flores200_dataset/devtest");
        Path dev = dir.resolve("flores200_dataset/dev");
        Files.createDirectories(devtest);
        Files.createDirectories(dev);
        Files.writeString(devtest.resolve("eng_Latn.devtest"), "a\nb\n");
        Files.writeString(devtest.resolve("fra_Latn.devtest"), "a\n");
        Files.writeString(dev.resolve("eng_Latn.dev"), "a\n");
        Files.writeString(dev.resolve("fra_Latn.dev"), "a\n");
        var e = assertThrows(DataFormatException.class, () -> new FloresTask().evaluate(new ScriptedEvalModel(), "fra_Latn", context()));
        assertEquals(devtest.resolve("fra_Latn.devtest") + ": has 1 lines but " + devtest.resolve("eng_Latn.devtest")
                + " has 2; FLORES files of one split must be line-aligned", e.getMessage());
    }

    @Test
    void unknownTasksAndLanguagesAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> TaskRegistry.parse("xcopa,nope"));
        assertTrue(e.getMessage().startsWith("unknown task 'nope'; known tasks: perplexity, flores200"), e.getMessage());
        var l = assertThrows(IllegalArgumentException.class, () -> new XcopaTask().evaluate(new ScriptedEvalModel(), "fr", context()));
        assertTrue(l.getMessage().startsWith("xcopa has no connector words for language 'fr'"), l.getMessage());
    }
}
