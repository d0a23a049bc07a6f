package org.emma4j.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The kernels' fatbin in the emma4j-native jar, checked without a GPU: present whenever the build had nvcc
 * (native/build-cuda.sh records which in emma4j_kernels.status), a well-formed fatbin container (magic
 * 0xBA55ED50, sizes adding up), holding sm_80 and sm_90 ELF images and compute_90 PTX, and every kernel the
 * backend launches defined in each ELF image.
 */
class FatbinResourceTest {

    /** One image inside the fatbin: kind 1 is PTX, 2 is an ELF cubin; arch 90 means sm_90 / compute_90. */
    private record Entry(int kind, int arch, byte[] payload) {
    }

    @Test
    void fatbinIsPresentWellFormedAndDefinesEveryKernel() throws IOException {
        String status = CudaModule.buildStatus();
        assertTrue(status.startsWith("built:") || status.startsWith("skipped:"),
                "emma4j_kernels.status must say whether the fatbin was built, found: " + status);
        Assumptions.assumeTrue(status.startsWith("built:"), "the CUDA kernels were not built: " + status);

        byte[] fatbin;
        try (InputStream in = CudaModule.class.getResourceAsStream(CudaModule.FATBIN_RESOURCE)) {
            if (in == null) {
                fail("the build says '" + status + "' but " + CudaModule.FATBIN_RESOURCE + " is not on the class path");
            }
            fatbin = in.readAllBytes();
        }
        List<Entry> entries = parse(fatbin);
        assertTrue(entries.stream().anyMatch(e -> e.kind == 2 && e.arch == 80), "no sm_80 ELF image in the fatbin: " + describe(entries));
        assertTrue(entries.stream().anyMatch(e -> e.kind == 2 && e.arch == 90), "no sm_90 ELF image in the fatbin: " + describe(entries));
        assertTrue(entries.stream().anyMatch(e -> e.kind == 1 && e.arch == 90), "no compute_90 PTX in the fatbin: " + describe(entries));
        for (Entry e : entries) {
            if (e.kind != 2) {
                continue;   // the PTX is compressed; the ELF images carry the symbol tables
            }
            String elf = new String(e.payload, StandardCharsets.ISO_8859_1);
            assertTrue(elf.startsWith("\u007fELF"), "sm_" + e.arch + " image is not an ELF file");
            for (CudaKernel k : CudaKernel.values()) {
                // Each kernel has its own .text.<name> section in a cubin.
                assertTrue(elf.contains(".text." + k.symbol + "\0"), "sm_" + e.arch + " image does not define " + k.symbol);
            }
        }
    }

    @Test
    void theModuleLoaderReadsTheSameBytes() {
        String status = CudaModule.buildStatus();
        Assumptions.assumeTrue(status.startsWith("built:"), "the CUDA kernels were not built: " + status);
        byte[] image = CudaModule.readFatbin();
        assertEquals(0xBA55ED50, ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
    }

    private static List<Entry> parse(byte[] fatbin) {
        ByteBuffer b = ByteBuffer.wrap(fatbin).order(ByteOrder.LITTLE_ENDIAN);
        assertTrue(fatbin.length >= 16, "fatbin of " + fatbin.length + " bytes is too short");
        assertEquals(0xBA55ED50, b.getInt(0), "fatbin magic");
        int headerSize = b.getShort(6) & 0xFFFF;
        long bodySize = b.getLong(8);
        assertEquals(16, headerSize, "fatbin header size");
        assertEquals(fatbin.length, headerSize + bodySize, "fatbin header size + body size must be the file size");
        List<Entry> entries = new ArrayList<>();
        long at = headerSize;
        while (at < fatbin.length) {
            int kind = b.getShort((int) at) & 0xFFFF;
            int entryHeader = b.getInt((int) at + 4);
            long size = b.getLong((int) at + 8);
            int arch = b.getInt((int) at + 28);
            assertTrue(entryHeader >= 32 && at + entryHeader + size <= fatbin.length,
                    "fatbin entry at " + at + " (header " + entryHeader + ", size " + size + ") runs past the end");
            byte[] payload = new byte[(int) size];
            b.get((int) (at + entryHeader), payload);
            entries.add(new Entry(kind, arch, payload));
            at += entryHeader + size;
        }
        assertEquals(fatbin.length, at, "fatbin entries must end exactly at the end of the file");
        return entries;
    }

    private static String describe(List<Entry> entries) {
        return entries.stream().map(e -> (e.kind == 1 ? "PTX " : e.kind == 2 ? "ELF " : "kind " + e.kind + " ") + e.arch).toList().toString();
    }
}
