package org.emma4j.model.eval.tasks;

import java.nio.file.Path;
import java.util.List;

/**
 * The two topic-classification benchmarks of the EMMA-500 paper, with its scripts' prompts
 * (evaluation/Sib-200/eval_sib200.py and evaluation/Taxi-1500/eval_taxi1500.py in MaLA-LM/emma-500).
 *
 * @param header         the instruction line listing the labels
 * @param exampleFormat  a solved example; %1$s is the text, %2$s the label
 * @param queryFormat    the question; %s is the text
 * @param hasHeaderLine  whether the TSV files start with "index_id  category  text"
 */
public record TopicDataset(String name, List<String> labels, String header, String exampleFormat, String queryFormat,
                           boolean hasHeaderLine, String directory, String trainPattern, String testPattern) {

    /** SIB-200 (Adelani et al. 2024): {@code <data-dir>/sib200/data/{lang}/train.tsv} and {@code test.tsv}, with a header. */
    public static final TopicDataset SIB200 = new TopicDataset("sib200",
            List.of("science/technology", "travel", "politics", "sports", "health", "entertainment", "geography"),
            "Topic Classification: science/technology, travel, politics, sports, health, entertainment, geography.",
            "The topic of the news \"%1$s\" is %2$s", "The topic of the news \"%s\" is", true, "sib200/data", "%s/train.tsv",
            "%s/test.tsv");

    /**
     * Taxi1500 (Ma et al. 2023): {@code <data-dir>/taxi1500/{lang}/{lang}_train.tsv} and {@code {lang}_test.tsv},
     * no header line.
     */
    public static final TopicDataset TAXI1500 = new TopicDataset("taxi1500",
            List.of("Recommendation", "Faith", "Description", "Sin", "Grace", "Violence"),
            "Topic Classification: Recommendation, Faith, Description, Sin, Grace, Violence.",
            "The topic of the verse \"%1$s\" is %2$s", "The label of \"%s\" is", false, "taxi1500", "%1$s/%1$s_train.tsv",
            "%1$s/%1$s_test.tsv");

    Path train(Path dataDir, String lang) {
        return dataDir.resolve(directory).resolve(String.format(trainPattern, lang));
    }

    Path test(Path dataDir, String lang) {
        return dataDir.resolve(directory).resolve(String.format(testPattern, lang));
    }

    /**
     * The paper's prompt: the header, a blank line, the solved examples one per line, the question, and a final
     * newline ({@code template.format(examples=...)} of the scripts, which keeps the blank line even with no examples).
     */
    public String prompt(List<String[]> examples, String text) {
        StringBuilder sb = new StringBuilder(header).append("\n\n");
        for (int i = 0; i < examples.size(); i++) {
            if (i > 0) {
                sb.append('\n');
            }
            sb.append(String.format(exampleFormat, examples.get(i)[0], examples.get(i)[1]));
        }
        return sb.append('\n').append(String.format(queryFormat, text)).append('\n').toString();
    }
}
