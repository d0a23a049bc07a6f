package org.emma4j.model.eval.metrics;

import java.util.List;

/** Turns a summary into the tokens ROUGE compares. */
@FunctionalInterface
public interface RougeTokenizer {
    List<String> tokenize(String text);
}
