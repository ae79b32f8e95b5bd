package dev.herald.hub.test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Makes a file or directory unwritable for a test, and writable again afterwards. Permission bits
 * do not stop root, so as root (CI, containers) the file is made immutable with {@code chattr +i}.
 * If neither works here (no {@code chattr}, a file system without the immutable attribute) the test
 * is skipped through {@link External}, so CI ({@code HERALD_REQUIRE_ALL_TESTS=1}) fails instead.
 */
public final class FileLocks {

    private FileLocks() {
    }

    /** Undoes {@link #makeReadOnly} on close. */
    public interface ReadOnly extends AutoCloseable {
        @Override
        void close();
    }

    public static ReadOnly makeReadOnly(Path path) throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        ReadOnly undo;
        if (root) {
            External.require("chattr", "e2fsprogs");
            if (!run("chattr", "+i", path.toString())) {
                throw External.unavailable("cannot make " + path + " immutable with chattr as root (a file system"
                        + " without the immutable attribute?): this test is skipped. Run it as another user, or with"
                        + " java.io.tmpdir on ext4, xfs or btrfs.");
            }
            undo = () -> {
                try {
                    run("chattr", "-i", path.toString());
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException("chattr -i " + path, e);
                }
            };
        } else {
            path.toFile().setWritable(false, false);
            undo = () -> path.toFile().setWritable(true, true);
        }
        if (isWritable(path)) {
            undo.close();
            throw External.unavailable("cannot make " + path + " read-only here: this test is skipped.");
        }
        return undo;
    }

    private static boolean isWritable(Path path) {
        try {
            if (Files.isDirectory(path)) {
                Files.delete(Files.createTempFile(path, "probe", ".tmp"));
            } else {
                try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.APPEND)) {
                    out.flush();
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return false;
        }
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
