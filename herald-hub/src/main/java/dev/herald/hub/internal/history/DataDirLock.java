package dev.herald.hub.internal.history;

import dev.herald.hub.HubStartException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a data directory, so that two hubs never write one history: each numbers
 * updates on its own, and two writers would interleave two orders in one file. The operating system
 * releases the lock when the process dies, so a crashed hub never leaves it behind.
 *
 * <p>Thread-safe: acquired once, released once.
 */
final class DataDirLock implements AutoCloseable {

    static final String FILE_NAME = "herald.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws HubStartException if another hub (in this process or another) holds it, or it cannot be created */
    static DataDirLock acquire(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new HubStartException("cannot use the data directory " + dir + ": cannot create " + file + " ("
                    + e + "); make the directory writable by the hub's user, or choose another with --data-dir", e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException | IOException e) {
            lock = null;
        }
        if (lock == null) {
            closeQuietly(ch);
            throw new HubStartException("the data directory " + dir + " is in use by another Herald hub (it holds "
                    + file + "); stop that hub, or give this one another --data-dir", null);
        }
        return new DataDirLock(ch, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel's close releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
