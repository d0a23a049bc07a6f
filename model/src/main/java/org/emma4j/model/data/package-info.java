/**
 * The massively multilingual data pipeline.
 *
 * <ul>
 * <li>{@link org.emma4j.model.data.mix}: mix configs (YAML) and the mixing plan: source weights or token
 *     budgets, temperature sampling over languages (p proportional to n^alpha), epoch caps.</li>
 * <li>{@link org.emma4j.model.data.prepare}: {@code emma4j prepare}: read, tokenize on all cores (ordered),
 *     hold out validation records, sample, shuffle, pack, and write shards with index and stats.</li>
 * <li>{@link org.emma4j.model.data.shards}: the token shard format, packing rules and memory-mapped reading.</li>
 * <li>{@link org.emma4j.model.data.loader}: the training loader: seeded per-epoch order, resumable position,
 *     data-parallel ranks.</li>
 * <li>{@link org.emma4j.model.data.bpe}: {@code emma4j tokenizer-train}, byte-level BPE with Llama 3's
 *     pre-tokenizer and special tokens, written as a Hugging Face tokenizer.json.</li>
 * <li>{@link org.emma4j.model.data.udhr}: {@code emma4j udhr-convert}, the bundled corpus's converter.</li>
 * <li>{@link org.emma4j.model.data.io}: compressed input (.gz, .zst), line splitting, strict UTF-8, strict
 *     JSON Lines.</li>
 * </ul>
 *
 * Language codes are FLORES-200 style ({@code xxx_Xxxx}), named by {@link org.emma4j.model.data.LanguageNames}.
 * Bad input is never dropped silently: it stops the run naming file and line, or is skipped and counted by
 * {@link org.emma4j.model.data.BadInputReason}.
 */
package org.emma4j.model.data;
