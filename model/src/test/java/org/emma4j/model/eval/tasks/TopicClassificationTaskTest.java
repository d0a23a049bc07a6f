package org.emma4j.model.eval.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.emma4j.model.eval.LoglikelihoodRequest;
import org.junit.jupiter.api.Test;

/** SIB-200 and Taxi1500 on their fixtures: the paper's exact prompts and both scorings. */
class TopicClassificationTaskTest {
    private static final String SIB_HEADER =
            "Topic Classification: science/technology, travel, politics, sports, health, entertainment, geography.\n\n";
    private static final String[][] SIB_TRAIN = {
            {"Der Verein gewann das Spiel.", "sports"}, {"Der Flug nach Rom war kurz.", "travel"},
            {"Ärzte empfehlen mehr Schlaf.", "health"}, {"Die Wahl, sagte sie, \"ist frei.\"", "politics"}};

    @Test
    void sibZeroShotPromptIsThePapersTemplate() throws Exception {
        ScriptedEvalModel m = new ScriptedEvalModel();
        new TopicClassificationTask(TopicDataset.SIB200).evaluate(m, "deu_Latn", Fixtures.context().withShots(0));
        assertEquals(SIB_HEADER + "\nThe topic of the news \"Die Mannschaft verlor.\" is\n", m.logitPrompts.get(0));
    }

    @Test
    void sibThreeShotPromptAndBothScorings() throws Exception {
        ScriptedEvalModel m = new ScriptedEvalModel();
        // Next-token logits: the label tokens are handed out in label order (science/technology 0, travel 1, politics 2,
        // sports 3, health 4, entertainment 5, geography 6); the fake puts its peak on the right label for both examples.
        m.logit = (prompt, id) -> prompt.contains("Mannschaft") ? (id == 3 ? 5f : 0f) : (id == 6 ? 5f : 0f);
        // Log-likelihood: geography always wins, right only for the second example.
        m.scorer = r -> r.continuation().equals(" geography") ? -1.0 : -3.0;
        LanguageResult r = new TopicClassificationTask(TopicDataset.SIB200).evaluate(m, "deu_Latn", Fixtures.context());

        StringBuilder expected = new StringBuilder(SIB_HEADER);
        int[] shots = FewShotSampler.withoutReplacement(77, 0, 3, 4, -1);
        for (int i = 0; i < 3; i++) {
            expected.append(i > 0 ? "\n" : "").append("The topic of the news \"").append(SIB_TRAIN[shots[i]][0]).append("\" is ")
                    .append(SIB_TRAIN[shots[i]][1]);
        }
        expected.append("\nThe topic of the news \"Die Mannschaft verlor.\" is\n");
        assertEquals(expected.toString(), m.logitPrompts.get(0));
        assertEquals(Map.of(" science/technology", 0, " travel", 1, " politics", 2, " sports", 3, " health", 4, " entertainment", 5,
                " geography", 6), m.tokenIds);
        String stem = expected.substring(0, expected.length() - 1);
        assertEquals(new LoglikelihoodRequest(stem, " science/technology"), m.loglikelihoodRequests.get(0));
        assertEquals(Map.of("acc_next_token", 1.0, "acc_loglikelihood", 0.5), r.metrics());
    }

    @Test
    void taxi1500ReadsHeaderlessFilesWithItsOwnTemplate() throws Exception {
        ScriptedEvalModel m = new ScriptedEvalModel();
        LanguageResult r = new TopicClassificationTask(TopicDataset.TAXI1500).evaluate(m, "deu_Latn", Fixtures.context().withShots(1));
        String[][] train = {{"Glaubt an das Licht.", "Faith"}, {"Gnade sei mit euch.", "Grace"}, {"Sie fehlten schwer.", "Sin"},
                {"Das Schwert fiel.", "Violence"}};
        String[] shot = train[FewShotSampler.withoutReplacement(77, 0, 1, 4, -1)[0]];
        assertEquals("Topic Classification: Recommendation, Faith, Description, Sin, Grace, Violence.\n\n"
                + "The topic of the verse \"" + shot[0] + "\" is " + shot[1] + "\nThe label of \"Tut Gutes allen.\" is\n", m.logitPrompts.get(0));
        // All logits equal: the scripts' reverse sort over (logit, label) picks the label that sorts last, "Violence".
        // Log-likelihood −1 per character: the shortest label " Sin" wins. Gold labels are Recommendation and Description.
        assertEquals(Map.of("acc_next_token", 0.0, "acc_loglikelihood", 0.0), r.metrics());
        assertEquals(List.of("deu_Latn"), new TopicClassificationTask(TopicDataset.TAXI1500).languages(Fixtures.dir()));
    }

    @Test
    void tiesGoToTheLabelThatSortsLast() {
        assertEquals(1, TopicClassificationTask.nextTokenPrediction(new float[] {1f, 1f}, new int[] {0, 1}, List.of("science", "travel")));
        assertEquals(0, TopicClassificationTask.nextTokenPrediction(new float[] {1f, 1f}, new int[] {0, 1}, List.of("travel", "science")));
        assertEquals(1, TopicClassificationTask.nextTokenPrediction(new float[] {1f, 2f}, new int[] {0, 1}, List.of("travel", "science")));
    }
}
