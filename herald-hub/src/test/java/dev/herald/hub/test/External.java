package dev.herald.hub.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Outside programs (and machine abilities) some tests need. When one is missing the test is skipped
 * with a message saying how to enable it, unless {@code HERALD_REQUIRE_ALL_TESTS=1} (CI), where the
 * skip becomes a failure.
 */
public final class External {

    public static final String REQUIRE_ALL = "HERALD_REQUIRE_ALL_TESTS";

    private External() {
    }

    /** The program's path, or skips/fails the calling test. */
    public static Path require(String program, String debianPackage) {
        Optional<Path> found = find(program);
        if (found.isPresent()) {
            return found.get();
        }
        throw unavailable(program + " is not installed: this test is skipped. Enable it with "
                + "'apt-get install " + debianPackage + "'.");
    }

    /**
     * Skips the calling test, saying why with {@code message}, or fails it when
     * {@code HERALD_REQUIRE_ALL_TESTS=1}: for what a test needs from the machine other than a
     * program (a permission, a file system feature). Never returns; callers write
     * {@code throw External.unavailable(…)} so the compiler knows.
     */
    public static AssertionError unavailable(String message) {
        if ("1".equals(System.getenv(REQUIRE_ALL))) {
            Assertions.fail(message + " (" + REQUIRE_ALL + "=1 turns this skip into a failure)");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    static Optional<Path> find(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
