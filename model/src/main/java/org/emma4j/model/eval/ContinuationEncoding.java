package org.emma4j.model.eval;

import java.util.Arrays;
import java.util.function.Function;
import org.emma4j.model.eval.metrics.PythonStrings;

/**
 * How lm-evaluation-harness turns a (context, continuation) pair into token ids for a causal model
 * (lm_eval/api/model.py {@code _encode_pair} and {@code loglikelihood}), with the Hugging Face Llama 3
 * tokenizer's habit of putting BOS first:
 *
 * <ul>
 *   <li>whitespace at the end of the context moves to the front of the continuation ("Answer: " + "B" is
 *       scored as "Answer:" + " B", so the space joins the answer's token as in running text);</li>
 *   <li>the context ids are BOS + encode(context); the continuation ids are what encode(context +
 *       continuation) has beyond the context's length, so a merge across the boundary stays with the
 *       continuation side exactly as the harness does;</li>
 *   <li>an empty context becomes BOS alone, and the continuation is encoded on its own.</li>
 * </ul>
 */
public final class ContinuationEncoding {
    private ContinuationEncoding() {
    }

    /** Context ids (BOS first) and continuation ids; the model input is context + continuation minus the last. */
    public record Pair(int[] context, int[] continuation) {
    }

    /**
     * @param encodeWithBos text → BOS + ids
     * @param encode        text → ids, no BOS
     */
    public static Pair encode(String context, String continuation, Function<String, int[]> encodeWithBos,
                              Function<String, int[]> encode, int bos) {
        if (context.isEmpty()) {
            int[] cont = encode.apply(continuation);
            if (cont.length > 0 && cont[0] == bos) {
                return new Pair(new int[] {bos}, Arrays.copyOfRange(cont, 1, cont.length));
            }
            return new Pair(new int[] {bos}, cont);
        }
        String trimmed = PythonStrings.rstrip(context);
        String moved = context.substring(trimmed.length()) + continuation;
        int[] whole = encodeWithBos.apply(trimmed + moved);
        int[] ctx = encodeWithBos.apply(trimmed);
        return new Pair(ctx, Arrays.copyOfRange(whole, Math.min(ctx.length, whole.length), whole.length));
    }
}
