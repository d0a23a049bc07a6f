/**
 * The safetensors format, independent of any model: {@link org.emma4j.model.safetensors.SafetensorsFile}
 * maps a file once and hands out zero-copy kernels tensors, {@link org.emma4j.model.safetensors.ShardedSafetensors}
 * reads a directory's single or sharded (index + shards) weights, and the writers produce files the reference
 * implementation and Hugging Face transformers read (sorted header, contiguous offsets, 8-byte alignment,
 * atomic rename).
 */
package org.emma4j.model.safetensors;
