package org.emma4j.model.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * lm-evaluation-harness' rolling windows for perplexity (lm_eval/utils.py {@code get_rolling_token_windows}
 * then {@code make_disjoint_window}): the first window is the prefix token (BOS) followed by up to
 * maxSeqLen − 1 tokens and predicts the first maxSeqLen tokens; each later window predicts up to
 * maxSeqLen − contextLen + 1 new tokens and is filled on the left with the tokens before them, so the window
 * always holds maxSeqLen inputs when the text is long enough. Every token is predicted exactly once. The
 * harness evaluates perplexity with contextLen = 1.
 */
public final class RollingWindows {
    private RollingWindows() {
    }

    /** Context tokens (never overlapping the predicted ones) and the tokens this window predicts. */
    public record Window(int[] context, int[] predicted) {
        /** The model input: context + predicted, without the last predicted token. */
        public int[] input() {
            int[] in = Arrays.copyOf(context, context.length + predicted.length - 1);
            System.arraycopy(predicted, 0, in, context.length, predicted.length - 1);
            return in;
        }
    }

    /** The harness' {@code get_rolling_token_windows}: (input tokens, predicted tokens) pairs. */
    public static List<int[][]> overlapping(int[] tokens, int prefixToken, int maxSeqLen, int contextLen) {
        if (contextLen < 1 || contextLen > maxSeqLen) {
            throw new IllegalArgumentException("context length must lie in [1, " + maxSeqLen + "], found " + contextLen);
        }
        List<int[][]> out = new ArrayList<>();
        if (tokens.length == 0) {
            return out;
        }
        int predLen = maxSeqLen - contextLen + 1;
        int firstSeqLen = Math.min(maxSeqLen, tokens.length);
        int[] firstInput = new int[firstSeqLen];
        firstInput[0] = prefixToken;
        System.arraycopy(tokens, 0, firstInput, 1, firstSeqLen - 1);
        out.add(new int[][] {firstInput, Arrays.copyOf(tokens, firstSeqLen)});
        int predicted = firstSeqLen;
        while (predicted < tokens.length) {
            int windowPredLen = Math.min(tokens.length - predicted, predLen);
            int windowEnd = predicted + windowPredLen;
            out.add(new int[][] {pythonSlice(tokens, windowEnd - maxSeqLen - 1, windowEnd - 1),
                    Arrays.copyOfRange(tokens, windowEnd - windowPredLen, windowEnd)});
            predicted += windowPredLen;
        }
        return out;
    }

    /** The harness' {@code make_disjoint_window}: drop from the input what the prediction covers. */
    public static Window disjoint(int[] input, int[] predicted) {
        return new Window(Arrays.copyOf(input, input.length - (predicted.length - 1)), predicted);
    }

    /** All windows of a text, made disjoint. */
    public static List<Window> windows(int[] tokens, int prefixToken, int maxSeqLen, int contextLen) {
        return overlapping(tokens, prefixToken, maxSeqLen, contextLen).stream().map(w -> disjoint(w[0], w[1])).toList();
    }

    /** Python's {@code list[start:end]} for a start that may be negative (counted from the end). */
    private static int[] pythonSlice(int[] a, int start, int end) {
        int s = start < 0 ? Math.max(0, a.length + start) : Math.min(start, a.length);
        int e = end < 0 ? Math.max(0, a.length + end) : Math.min(end, a.length);
        return s >= e ? new int[0] : Arrays.copyOfRange(a, s, e);
    }
}
