package org.emma4j.model.eval.metrics;

import java.util.List;

/** The corpus metrics of {@code emma4j score}, each with its reference implementation's default settings. */
public enum CorpusMetric {
    BLEU("bleu"), CHRF("chrf"), CHRF_PLUS_PLUS("chrf++"), ROUGE1("rouge1"), ROUGE2("rouge2"), ROUGE_L("rougeL");

    private final String label;

    CorpusMetric(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static CorpusMetric parse(String s) {
        for (CorpusMetric m : values()) {
            if (m.label.equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + s + "'; expected bleu, chrf, chrf++, rouge1, rouge2 or rougeL");
    }

    /**
     * The corpus score: BLEU and chrF(++) in 0..100 as sacreBLEU prints them; ROUGE as the mean F-measure
     * times 100 (rouge-score's default tokenizer, no stemming).
     */
    public double score(List<String> hypotheses, List<List<String>> referenceStreams) {
        return switch (this) {
            case BLEU -> Bleu.corpus(hypotheses, referenceStreams, Bleu.Options.sacreBleuDefault()).score();
            case CHRF -> Chrf.corpus(hypotheses, referenceStreams, Chrf.Options.chrf());
            case CHRF_PLUS_PLUS -> Chrf.corpus(hypotheses, referenceStreams, Chrf.Options.chrfPlusPlus());
            case ROUGE1 -> rouge(Rouge.Type.ROUGE1, hypotheses, referenceStreams);
            case ROUGE2 -> rouge(Rouge.Type.ROUGE2, hypotheses, referenceStreams);
            case ROUGE_L -> rouge(Rouge.Type.ROUGE_L, hypotheses, referenceStreams);
        };
    }

    private static double rouge(Rouge.Type type, List<String> hyps, List<List<String>> refs) {
        return 100 * new Rouge(type, new DefaultRougeTokenizer(false)).corpusMean(hyps, refs).fmeasure();
    }
}
