package org.emma4j.model.eval.metrics;

/**
 * A BLEU score (0..100) with its sufficient statistics, as sacreBLEU's {@code BLEUScore} reports them.
 *
 * @param counts     matched n-grams per order (after add-k smoothing when that is used)
 * @param totals     hypothesis n-grams per order
 * @param precisions n-gram precisions per order, in percent
 * @param bp         the brevity penalty
 * @param sysLen     hypothesis length in tokens, summed over the corpus
 * @param refLen     closest reference length, summed over the corpus
 */
public record BleuScore(double score, double[] counts, double[] totals, double[] precisions, double bp, long sysLen, long refLen) {
}
