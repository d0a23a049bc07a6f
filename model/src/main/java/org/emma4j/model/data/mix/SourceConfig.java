package org.emma4j.model.data.mix;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One source of a mix (see {@link MixConfigReader} for the YAML fields).
 *
 * @param name unique name, used in stats
 * @param type what the files hold
 * @param files the input files, resolved and sorted
 * @param weight share of the weighted part of the mix (relative; null when {@code tokens} is set)
 * @param tokens an absolute token budget (null when {@code weight} is set)
 * @param alpha temperature exponent: language l is sampled with probability proportional to n_l^alpha
 *        (1 = natural sizes, 0 = uniform over languages)
 * @param maxEpochs the most times one language's data may be repeated (null: unlimited)
 * @param textField JSON field of the text (monolingual)
 * @param langField JSON field of the language code (monolingual; optional for tokenized)
 * @param idsField JSON field of the token ids (tokenized)
 * @param lang a fixed language label for every document (text, tokenized, monolingual); not checked
 * @param documentPer what one document is in a text file
 * @param template the bilingual template
 * @param direction which way pairs are written
 * @param allowUnknownLanguages accept {@code xxx_Xxxx} codes outside FLORES-200
 * @param languages only these languages (group keys) are used; null for all
 * @param languageNames an extra {@code code<TAB>name} table for template names, or null
 */
public record SourceConfig(String name, SourceType type, List<Path> files, Double weight, Long tokens,
                           double alpha, Double maxEpochs, String textField, String langField, String idsField,
                           String lang, TextUnit documentPer, PairTemplate template, PairDirection direction,
                           boolean allowUnknownLanguages, Set<String> languages, Path languageNames) {
    public SourceConfig {
        files = List.copyOf(files);
        languages = languages == null ? null : Set.copyOf(languages);
    }
}
