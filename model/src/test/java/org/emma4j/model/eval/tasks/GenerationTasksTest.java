package org.emma4j.model.eval.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.emma4j.model.eval.GenerationRequest;
import org.emma4j.model.eval.metrics.Bleu;
import org.emma4j.model.eval.metrics.Chrf;
import org.emma4j.model.llama.SamplingParams;
import org.junit.jupiter.api.Test;

/** FLORES-200, MGSM, XL-Sum and MassiveSumm on their fixtures: exact prompts, stop strings and scores. */
class GenerationTasksTest {

    @Test
    void floresPromptsBothDirectionsAndScores() throws Exception {
        ScriptedEvalModel m = new ScriptedEvalModel();
        m.generator = p -> {
            if (p.endsWith("[German]:")) {
                return p.contains("[English]: The cat sleeps.\n[German]:") ? " Die Katze schläft.\n" : " Hallo Welt";
            }
            String src = p.substring(p.lastIndexOf("[German]: ") + 10, p.lastIndexOf("\n[English]:"));
            return " " + Map.of("Die Katze schläft.", "The cat sleeps.", "Heute regnet es.", "It rains today.", "Wir gehen nach Hause.",
                    "We go home.").get(src);
        };
        LanguageResult r = new FloresTask().evaluate(m, "deu_Latn", Fixtures.context().withShots(1));
        int shot = FewShotSampler.withReplacement(77, 0, 1, 2)[0];
        String[][] dev = {{"Good morning.", "Guten Morgen."}, {"Thank you.", "Danke."}};
        GenerationRequest first = m.generationRequests.get(0);
        assertEquals("[English]: " + dev[shot][0] + "\n[German]: " + dev[shot][1] + "\n"
                + "Translate the following sentence from English to German\n[English]: The cat sleeps.\n[German]:", first.prompt());
        assertEquals(List.of("\n"), first.stopStrings());
        assertEquals(SamplingParams.greedy(), first.sampling());
        assertEquals("[German]: " + dev[shot][1] + "\n[English]: " + dev[shot][0] + "\n"
                + "Translate the following sentence from German to English\n[German]: Die Katze schläft.\n[English]:",
                m.generationRequests.get(3).prompt());
        List<String> hyps = List.of("Die Katze schläft.", "Hallo Welt", "Hallo Welt");
        List<List<String>> refs = List.of(List.of("Die Katze schläft.", "Heute regnet es.", "Wir gehen nach Hause."));
        assertEquals(Chrf.corpus(hyps, refs, Chrf.Options.chrfPlusPlus()), r.metrics().get("eng-x_chrf++"), 1e-12);
        assertEquals(Bleu.corpus(hyps, refs, Bleu.Options.sacreBleuDefault()).score(), r.metrics().get("eng-x_bleu"), 1e-12);
        assertTrue(r.metrics().get("eng-x_chrf++") < 100);
        assertEquals(100.0, r.metrics().get("x-eng_chrf++"), 1e-9);
        assertEquals(100.0, r.metrics().get("x-eng_bleu"), 1e-9);
        assertEquals(List.of("deu_Latn"), new FloresTask().languages(Fixtures.dir()));
    }

    @Test
    void floresDefaultsToThreeShots() throws Exception {
        ScriptedEvalModel m = new ScriptedEvalModel();
        new FloresTask().evaluate(m, "deu_Latn", Fixtures.context().withLimit(1));
        String prompt = m.generationRequests.get(0).prompt();
        assertEquals(3, prompt.split("\\[German]: ", -1).length - 1, prompt);
        assertTrue(prompt.endsWith("Translate the following sentence from English to German\n[English]: The cat sleeps.\n[German]:"));
    }

    @Test
    void mgsmDirect() throws Exception {
        ScriptedEvalModel m = new ScriptedEvalModel();
        m.generator = p -> p.contains("Janet") ? " 13" : p.contains("robe") ? " The answer is 4." : " $130,000.";
        LanguageResult r = new MgsmTask().evaluate(m, "en", Fixtures.context());
        GenerationRequest first = m.generationRequests.get(0);
        assertEquals("Question: Janet has 16 eggs and eats 3. How many are left?\nAnswer:", first.prompt());
        assertEquals(List.of("Question:", "</s>", "<|im_end|>"), first.stopStrings());
        assertEquals(Map.of("exact_match", 2.0 / 3), r.metrics());
    }

    @Test
    void xlsumUsesThePapersPromptAndRougeL() throws Exception {
        ScriptedEvalModel m = new ScriptedEvalModel();
        m.generator = p -> p.contains("storm") ? " A storm hit the coast on Monday.\n" : " nothing";
        LanguageResult r = SummarizationTask.xlsum().evaluate(m, "english", Fixtures.context());
        // The English instruction of the paper's table ends in a colon, and the template adds another.
        assertEquals("Document: A strong storm hit the northern coast on Monday, cutting power to thousands of homes.\n"
                + "Based on the previous text, provide a brief single summary::", m.generationRequests.get(0).prompt());
        assertEquals(List.of(), m.generationRequests.get(0).stopStrings());
        assertEquals(64, m.generationRequests.get(0).maxTokens());
        // Article 1 is summarised exactly (ROUGE-L 100), article 2 shares nothing (0).
        assertEquals(Map.of("rougeL", 50.0, "rougeL_multilingual", 50.0), r.metrics());
        assertEquals(List.of("english"), SummarizationTask.xlsum().languages(Fixtures.dir()));
    }

    @Test
    void massiveSummLongAndShort() throws Exception {
        ScriptedEvalModel m = new ScriptedEvalModel();
        m.generator = p -> p.contains("council") ? " The council approved a new park." : " Prices fell.";
        LanguageResult longR = SummarizationTask.massiveSummLong().evaluate(m, "eng", Fixtures.context());
        LanguageResult shortR = SummarizationTask.massiveSummShort().evaluate(m, "eng", Fixtures.context());
        assertTrue(m.generationRequests.get(0).prompt().startsWith("Document: The council approved"));
        assertEquals(100.0, longR.metrics().get("rougeL"), 1e-9);
        // "prices fell" vs "prices rose two percent": LCS 1, P 1/2, R 1/4, F 1/3.
        assertEquals(100.0 / 3, shortR.metrics().get("rougeL"), 1e-9);
    }

    @Test
    void summarizationPromptsFollowTheLanguage() {
        assertEquals("दस्तावेज़: पाठ\nपिछले पाठ के आधार पर, एक संक्षिप्त सारांश प्रदान करें:", SummarizationTask.prompt("hindi", "पाठ"));
        assertEquals(SummarizationTask.prompt("hindi", "x"), SummarizationTask.prompt("hin_Deva", "x"));
        assertEquals(SummarizationTask.prompt("english", "x"), SummarizationTask.prompt("xyz", "x"));
    }
}
