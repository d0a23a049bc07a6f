/**
 * FFM bindings to the CUDA driver API and cuBLAS, in jextract's layout, and the thin safe layer over them
 * (status codes as exceptions carrying the CUDA error name; a probe that never throws from a static
 * initialiser). The generated part arrives with the CUDA backend.
 */
package org.emma4j.bindings;
