package org.emma4j.model.eval.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.emma4j.model.eval.LoglikelihoodRequest;
import org.junit.jupiter.api.Test;

/**
 * The harness-style multiple-choice tasks on their fixtures: exact requests (context and continuation), and
 * acc/acc_norm under the {@link ScriptedEvalModel}'s default scorer (−1 per character of the continuation),
 * worked out by hand per question in each test.
 */
class MultipleChoiceTasksTest {

    private static List<LoglikelihoodRequest> requests(ScriptedEvalModel m, int from, int count) {
        return m.loglikelihoodRequests.subList(from, from + count);
    }

    @Test
    void xcopa() throws Exception {
        ScriptedEvalModel m = new ScriptedEvalModel();
        LanguageResult r = new XcopaTask().evaluate(m, "et", Fixtures.context());
        assertEquals(List.of(new LoglikelihoodRequest("Mees keeras kraani lahti seetõttu", " tualett täitus veega."),
                new LoglikelihoodRequest("Mees keeras kraani lahti seetõttu", " vesi voolas kraanist välja.")), requests(m, 0, 2));
        assertEquals(new LoglikelihoodRequest("Naine töötas kodus sest", " ta oli haige."), m.loglikelihoodRequests.get(4));
        // Q1 (gold 1): 21 vs 27 chars: raw picks 0 ✗, per-char picks 1 ✓. Q2 (gold 1): 22 vs 14: raw 1 ✓, norm 0 ✗.
        // Q3 (gold 0): 13 vs 18: raw 0 ✓, norm 1 ✗.
        assertEquals(3, r.examples());
        assertEquals(Map.of("acc", 2.0 / 3, "acc_norm", 1.0 / 3), r.metrics());
    }

    @Test
    void xstorycloze() throws Exception {
        ScriptedEvalModel m = new ScriptedEvalModel();
        LanguageResult r = new XStoryClozeTask().evaluate(m, "en", Fixtures.context());
        assertEquals(new LoglikelihoodRequest("Rick grew up poor. He joined a gang. He was shot. He left the gang.", " He is happy now."),
                m.loglikelihoodRequests.get(0));
        assertEquals(" He joined the gang again.", m.loglikelihoodRequests.get(1).continuation());
        // Q1 (gold 0): 16 vs 25: raw 0 ✓, norm 1 ✗. Q2 (gold 0): 26 vs 22: raw 1 ✗, norm 0 ✓.
        assertEquals(Map.of("acc", 0.5, "acc_norm", 0.5), r.metrics());
        assertEquals(List.of("en"), new XStoryClozeTask().languages(Fixtures.dir()));
    }

    @Test
    void xnliFromTheReleaseTsv() throws Exception {
        ScriptedEvalModel m = new ScriptedEvalModel();
        LanguageResult r = new XnliTask().evaluate(m, "en", Fixtures.context());
        assertEquals(List.of(new LoglikelihoodRequest("", " The man is sleeping., right? Yes, The man runs a marathon."),
                new LoglikelihoodRequest("", " The man is sleeping., right? Also, The man runs a marathon."),
                new LoglikelihoodRequest("", " The man is sleeping., right? No, The man runs a marathon.")), requests(m, 0, 3));
        assertEquals(" She reads \"a book\"., right? Yes, She likes reading.", m.loglikelihoodRequests.get(3).continuation());
        // Raw picks the shortest ("No" = contradiction), per-char the longest ("Also" = neutral).
        // Row 1 is a contradiction, row 2 neutral; the German row is not read.
        assertEquals(2, r.examples());
        assertEquals(Map.of("acc", 0.5, "acc_norm", 0.5), r.metrics());
        assertEquals(List.of("de", "en"), new XnliTask().languages(Fixtures.dir()));
    }

    @Test
    void belebele() throws Exception {
        ScriptedEvalModel m = new ScriptedEvalModel();
        m.scorer = q -> Map.of(" A", -3.0, " B", -1.0, " C", -2.0, " D", -4.0).get(q.continuation());
        LanguageResult r = new BelebeleTask().evaluate(m, "eng_Latn", Fixtures.context());
        assertEquals(new LoglikelihoodRequest("P: The cat sat on the mat all day.\nQ: Where did the cat sit?\nA: On the chair\nB: On the mat\n"
                + "C: In the garden\nD: Under the bed\nAnswer:", " A"), m.loglikelihoodRequests.get(0));
        // B always wins: right for question 1 (B), wrong for question 2 (C).
        assertEquals(Map.of("acc", 0.5, "acc_norm", 0.5), r.metrics());
    }

    @Test
    void arcMultilingual() throws Exception {
        ScriptedEvalModel m = new ScriptedEvalModel();
        LanguageResult r = new ArcMultilingualTask().evaluate(m, "de", Fixtures.context());
        // The harness' preprocess: " [title]" becomes ". ", tags go, double spaces become single; empty option_e is dropped.
        assertEquals(List.of(new LoglikelihoodRequest("Question: Welcher Planet ist der Sonne am nächsten?. \nAnswer:", " Venus"),
                new LoglikelihoodRequest("Question: Welcher Planet ist der Sonne am nächsten?. \nAnswer:", " Merkur"),
                new LoglikelihoodRequest("Question: Welcher Planet ist der Sonne am nächsten?. \nAnswer:", " Erde"),
                new LoglikelihoodRequest("Question: Welcher Planet ist der Sonne am nächsten?. \nAnswer:", " Mars")), requests(m, 0, 4));
        assertEquals(" Sand ", m.loglikelihoodRequests.get(5).continuation());
        // Q1 (gold Merkur): raw picks the first shortest (Erde) ✗, per-char the longest (Merkur) ✓. Q2: all 5 chars, ties → A ✓.
        assertEquals(Map.of("acc", 0.5, "acc_norm", 1.0), r.metrics());
    }

    @Test
    void fewShotPromptsPutSolvedQuestionsFirst() throws Exception {
        ScriptedEvalModel m = new ScriptedEvalModel();
        new XcopaTask().evaluate(m, "et", Fixtures.context().withShots(1).withLimit(1));
        int shot = FewShotSampler.withoutReplacement(77, 0, 1, 3, 0)[0];
        String solved = shot == 1 ? "Tüdruk leidis oma helbetopsist putuka seetõttu tal kadus isu."
                : "Naine töötas kodus sest ta oli haige.";
        assertEquals(solved + "\n\nMees keeras kraani lahti seetõttu", m.loglikelihoodRequests.get(0).context());
        assertTrue(shot == 1 || shot == 2);
    }
}
