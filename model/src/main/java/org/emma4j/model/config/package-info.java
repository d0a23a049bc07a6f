/**
 * Llama 3 model configuration: {@link org.emma4j.model.config.LlamaConfig} (the record every other part of
 * emma4j is sized from), {@link org.emma4j.model.config.LlamaConfigJson} (Hugging Face {@code config.json}
 * in both the transformers 4 and 5 formats) and {@link org.emma4j.model.config.LlamaShapes} (the released
 * Llama 3 shapes and tiny test shapes by name).
 */
package org.emma4j.model.config;
