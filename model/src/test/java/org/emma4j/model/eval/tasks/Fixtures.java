package org.emma4j.model.eval.tasks;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The benchmark fixtures in test resources: a few examples per task, written in each release's real layout. */
final class Fixtures {
    private Fixtures() {
    }

    static Path dir() {
        try {
            return Path.of(Fixtures.class.getResource("/org/emma4j/model/eval/fixtures").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static TaskContext context() {
        return TaskContext.of(dir()).withSeed(77);
    }
}
