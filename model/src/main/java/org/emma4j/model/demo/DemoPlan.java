package org.emma4j.model.demo;

import java.util.List;

/**
 * The sizes of one demo run: languages, tokenizer, model shape, training steps and evaluation caps.
 *
 * @param languages       FLORES-200 codes in the corpus; the first is English, the pivot of the bilingual pairs
 * @param vocabSize       BPE vocabulary asked for (special tokens included)
 * @param shape           model sizes without the vocabulary ({@code dim=..,layers=..}, see LlamaShapes)
 * @param seqLen          tokens per training sequence
 * @param microBatch      sequences per optimizer step (no accumulation)
 * @param pretrainSteps   steps of pre-training from random weights
 * @param continueSteps   steps of each continued pre-training (the same token budget for both mixes)
 * @param pretrainLr      peak learning rate of pre-training
 * @param continueLr      peak learning rate of continued pre-training
 * @param translationLimit held-out paragraphs translated per language and direction
 * @param maxNewTokens    the most tokens generated per translation
 * @param evalMaxLength   the longest sequence the evaluation reads
 */
public record DemoPlan(List<String> languages, int vocabSize, String shape, int seqLen, int microBatch, int pretrainSteps,
                       int continueSteps, double pretrainLr, double continueLr, int translationLimit, int maxNewTokens,
                       int evalMaxLength) {
    public static final String ENGLISH = "eng_Latn";

    public DemoPlan {
        languages = List.copyOf(languages);
        if (languages.size() < 2 || !languages.get(0).equals(ENGLISH)) {
            throw new IllegalArgumentException("the demo needs English (" + ENGLISH + ") first and at least one other language, found "
                    + languages);
        }
        if (pretrainSteps < 1 || continueSteps < 1 || translationLimit < 1 || maxNewTokens < 1) {
            throw new IllegalArgumentException("steps, translation limit and max new tokens must be positive");
        }
    }

    /** The full demo: 8 languages, a ~1.5M-parameter model, a few minutes on 2 cores. */
    public static DemoPlan full() {
        return new DemoPlan(List.of(ENGLISH, "fra_Latn", "deu_Latn", "spa_Latn", "rus_Cyrl", "arb_Arab", "hin_Deva", "zho_Hans"),
                3072, "dim=128,layers=4,heads=4,kv-heads=2,ffn=352,max-pos=1024", 128, 8, 300, 150, 3e-3, 1.5e-3, 8, 96, 1024);
    }

    /** A tiny version for tests: English and French, a few steps, seconds. */
    public static DemoPlan quick() {
        return new DemoPlan(List.of(ENGLISH, "fra_Latn"), 600, "dim=32,layers=1,heads=2,kv-heads=1,ffn=64,max-pos=512", 64, 4, 6,
                4, 3e-3, 1.5e-3, 2, 8, 512);
    }

    /** The non-English languages. */
    public List<String> others() {
        return languages.subList(1, languages.size());
    }
}
