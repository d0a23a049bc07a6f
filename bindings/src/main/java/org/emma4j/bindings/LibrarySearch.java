package org.emma4j.bindings;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Where to find one native library: a path (or soname) given by a system property, else by an environment
 * variable, else the default sonames in order. An explicit choice is the only candidate, so that a wrong
 * path fails loudly instead of silently falling back to another library.
 *
 * @param what        the library as a person would name it, for messages ("the CUDA driver")
 * @param property    the system property that overrides the location
 * @param environment the environment variable that overrides it when the property is unset
 * @param defaults    sonames tried in order when neither is set
 */
public record LibrarySearch(String what, String property, String environment, List<String> defaults) {

    /** One library to try and where its name came from, e.g. "system property emma4j.cuda.library". */
    public record Candidate(String name, String origin) {
        @Override
        public String toString() {
            return name + " (" + origin + ")";
        }
    }

    public LibrarySearch {
        defaults = List.copyOf(defaults);
    }

    /** libcuda.so.1, the soname every NVIDIA driver install has; emma4j.cuda.library / EMMA4J_CUDA_LIBRARY override it. */
    public static LibrarySearch cudaDriver() {
        return new LibrarySearch("the CUDA driver library", "emma4j.cuda.library", "EMMA4J_CUDA_LIBRARY", List.of("libcuda.so.1"));
    }

    /** cuBLAS 13, then 12; emma4j.cublas.library / EMMA4J_CUBLAS_LIBRARY override them. */
    public static LibrarySearch cublas() {
        return new LibrarySearch("the cuBLAS library", "emma4j.cublas.library", "EMMA4J_CUBLAS_LIBRARY",
                List.of("libcublas.so.13", "libcublas.so.12"));
    }

    /** The candidates under this JVM's system properties and environment. */
    public List<Candidate> candidates() {
        return candidates(System::getProperty, System::getenv);
    }

    /** The candidates under the given property and environment lookups (each returns null when unset). */
    public List<Candidate> candidates(UnaryOperator<String> properties, UnaryOperator<String> env) {
        String fromProperty = properties.apply(property);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return List.of(new Candidate(fromProperty.strip(), "system property " + property));
        }
        String fromEnv = env.apply(environment);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return List.of(new Candidate(fromEnv.strip(), "environment variable " + environment));
        }
        return defaults.stream().map(d -> new Candidate(d, "default soname; set " + property + " or " + environment + " to choose")).toList();
    }
}
