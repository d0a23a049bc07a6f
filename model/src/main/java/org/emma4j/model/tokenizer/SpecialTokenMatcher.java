package org.emma4j.model.tokenizer;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds special-token text in a string: the leftmost occurrence of any special token, the longest one
 * when several start there (Hugging Face's leftmost-longest rule; no Llama 3 special token is a prefix
 * of another, so tiktoken agrees). A character trie, entered only at characters that start some token.
 */
final class SpecialTokenMatcher {
    private static final class Node {
        char[] labels = new char[0];
        Node[] children = new Node[0];
        int id = -1;

        Node child(char c) {
            int i = Arrays.binarySearch(labels, c);
            return i >= 0 ? children[i] : null;
        }
    }

    private final Node root = new Node();
    private final boolean[] startsSomeToken = new boolean[0x10000];

    SpecialTokenMatcher(Map<String, Integer> tokens) {
        for (Map.Entry<String, Integer> e : new TreeMap<>(tokens).entrySet()) {
            String text = e.getKey();
            if (text.isEmpty()) {
                throw new IllegalArgumentException("special token " + e.getValue() + " has empty text");
            }
            Node node = root;
            for (int i = 0; i < text.length(); i++) {
                node = childOrNew(node, text.charAt(i));
            }
            node.id = e.getValue();
            startsSomeToken[text.charAt(0)] = true;
        }
    }

    private static Node childOrNew(Node node, char c) {
        int i = Arrays.binarySearch(node.labels, c);
        if (i >= 0) {
            return node.children[i];
        }
        int at = -i - 1;
        Node child = new Node();
        char[] labels = new char[node.labels.length + 1];
        Node[] children = new Node[labels.length];
        System.arraycopy(node.labels, 0, labels, 0, at);
        System.arraycopy(node.children, 0, children, 0, at);
        labels[at] = c;
        children[at] = child;
        System.arraycopy(node.labels, at, labels, at + 1, node.labels.length - at);
        System.arraycopy(node.children, at, children, at + 1, node.labels.length - at);
        node.labels = labels;
        node.children = children;
        return child;
    }

    /**
     * The next special token in {@code text[from .. end)}: returns {@code (long) start << 32 | length}
     * with its id in {@code idOut[0]}, or -1 when there is none.
     */
    long find(CharSequence text, int from, int end, int[] idOut) {
        for (int start = from; start < end; start++) {
            if (!startsSomeToken[text.charAt(start)]) {
                continue;
            }
            Node node = root;
            int matchLength = 0;
            int matchId = -1;
            for (int i = start; i < end; i++) {
                node = node.child(text.charAt(i));
                if (node == null) {
                    break;
                }
                if (node.id >= 0) {
                    matchLength = i + 1 - start;
                    matchId = node.id;
                }
            }
            if (matchId >= 0) {
                idOut[0] = matchId;
                return ((long) start << 32) | matchLength;
            }
        }
        return -1;
    }
}
