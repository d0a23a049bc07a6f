package org.emma4j.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Opens native libraries for the bindings. Libraries stay loaded for the life of the process (the global
 * arena): the generated classes look their symbols up later, by soname (libcuda.so.1, which the dynamic
 * linker matches against the already loaded library's soname whatever path it came from) or in the class
 * loader's lookup (cuBLAS, which this class loads with {@link System#load} from its absolute path).
 */
public final class NativeLibraryLoader {
    private NativeLibraryLoader() {
    }

    /** A library that is open, the candidate that opened it and, when known, the file it came from. */
    public record Loaded(SymbolLookup lookup, LibrarySearch.Candidate candidate, String file) {
    }

    /**
     * Opens the first candidate of {@code search} that loads. With {@code intoLoaderLookup} the library is
     * also registered with this class loader (System.load of its absolute path), which is where the
     * generated cuBLAS bindings find their symbols.
     *
     * @param probeSymbol a symbol the library must export (checked, and used to find the library's file)
     * @throws NativeLibraryException naming every candidate tried and why it failed
     */
    public static Loaded open(LibrarySearch search, String probeSymbol, boolean intoLoaderLookup) {
        return open(search, search.candidates(), probeSymbol, intoLoaderLookup);
    }

    /** As {@link #open(LibrarySearch, String, boolean)} with explicit candidates. */
    public static Loaded open(LibrarySearch search, List<LibrarySearch.Candidate> candidates, String probeSymbol, boolean intoLoaderLookup) {
        List<String> failures = new ArrayList<>();
        for (LibrarySearch.Candidate c : candidates) {
            try {
                SymbolLookup lookup = SymbolLookup.libraryLookup(c.name(), Arena.global());
                MemorySegment symbol = lookup.find(probeSymbol).orElseThrow(() ->
                        new IllegalArgumentException("it does not export " + probeSymbol + " (is it really " + search.what() + "?)"));
                String file = fileOf(symbol).orElse(c.name().contains("/") ? c.name() : null);
                if (intoLoaderLookup) {
                    if (file == null || !Path.of(file).isAbsolute()) {
                        throw new IllegalArgumentException("its absolute path could not be found (give one in " + search.property()
                                + " or " + search.environment() + ")");
                    }
                    System.load(file);
                }
                return new Loaded(lookup, c, file);
            } catch (IllegalArgumentException | UnsatisfiedLinkError | SecurityException e) {
                failures.add(c + ": " + e.getMessage());
            }
        }
        throw new NativeLibraryException("could not load " + search.what() + "; tried " + String.join("; ", failures));
    }

    /** The file the dynamic linker loaded {@code symbol} from (dladdr), when it can tell. */
    static Optional<String> fileOf(MemorySegment symbol) {
        try {
            Linker linker = Linker.nativeLinker();
            Optional<MemorySegment> dladdr = linker.defaultLookup().find("dladdr");
            if (dladdr.isEmpty()) {
                return Optional.empty();
            }
            MethodHandle h = linker.downcallHandle(dladdr.get(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            try (Arena arena = Arena.ofConfined()) {
                // Dl_info { const char *dli_fname; void *dli_fbase; const char *dli_sname; void *dli_saddr; }
                MemorySegment info = arena.allocate(4 * ValueLayout.ADDRESS.byteSize(), ValueLayout.ADDRESS.byteAlignment());
                int found = (int) h.invokeExact(symbol, info);
                if (found == 0) {
                    return Optional.empty();
                }
                MemorySegment name = info.get(ValueLayout.ADDRESS, 0);
                if (name.equals(MemorySegment.NULL)) {
                    return Optional.empty();
                }
                return Optional.of(name.reinterpret(4096).getString(0));
            }
        } catch (Throwable t) {
            return Optional.empty();
        }
    }
}
