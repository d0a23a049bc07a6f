/**
 * Llama model directories as Hugging Face lays them out. {@link org.emma4j.model.checkpoint.LlamaCheckpoint}
 * opens one (config plus memory-mapped weights checked against it) and gives
 * {@link org.emma4j.model.checkpoint.LlamaWeights}, either zero-copy or copied into a backend in a chosen dtype;
 * {@link org.emma4j.model.checkpoint.LlamaCheckpointWriter} saves one atomically;
 * {@link org.emma4j.model.checkpoint.RandomInit} makes Hugging Face-style random weights, streaming.
 * {@link org.emma4j.model.checkpoint.LlamaTensorNames} is the single place that knows the tensor names and shapes.
 */
package org.emma4j.model.checkpoint;
