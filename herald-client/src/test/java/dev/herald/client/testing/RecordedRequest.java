package dev.herald.client.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One request the {@link ScriptedServer} received, with its raw header bytes, and what became of its
 * response: when the server ended it, when the client closed the socket. Thread-safe.
 */
public final class RecordedRequest {

    private final long arrivedNanos;
    private final String method;
    private final String path;
    private final String query;
    private final List<byte[]> headerLines;
    private volatile byte[] body;
    private volatile long endedNanos;
    private volatile long clientClosedNanos;
    private final CountDownLatch clientClosed = new CountDownLatch(1);

    RecordedRequest(long arrivedNanos, String method, String path, String query, List<byte[]> headerLines) {
        this.arrivedNanos = arrivedNanos;
        this.method = method;
        this.path = path;
        this.query = query;
        this.headerLines = new ArrayList<>(headerLines);
    }

    public long arrivedNanos() {
        return arrivedNanos;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The raw query string, or null. */
    public String query() {
        return query;
    }

    public byte[] body() {
        return body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    void body(byte[] body) {
        this.body = body;
    }

    /** The raw bytes of every value of header {@code name} (case-insensitive), in order. */
    public List<byte[]> headerBytes(String name) {
        List<byte[]> values = new ArrayList<>();
        byte[] prefix = (name + ":").toLowerCase().getBytes(StandardCharsets.US_ASCII);
        for (byte[] line : headerLines) {
            if (line.length >= prefix.length && startsWithIgnoreCase(line, prefix)) {
                int start = prefix.length;
                int end = line.length;
                while (start < end && (line[start] == ' ' || line[start] == '\t')) {
                    start++;
                }
                while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
                    end--;
                }
                values.add(Arrays.copyOfRange(line, start, end));
            }
        }
        return values;
    }

    /** The first value of header {@code name} decoded as UTF-8, or null when absent. */
    public String header(String name) {
        List<byte[]> values = headerBytes(name);
        return values.isEmpty() ? null : new String(values.get(0), StandardCharsets.UTF_8);
    }

    /** Whether header {@code name} is present at all (even with an empty value). */
    public boolean hasHeader(String name) {
        return !headerBytes(name).isEmpty();
    }

    /** All header lines, decoded as ISO-8859-1, for messages. */
    public List<String> headerLines() {
        List<String> lines = new ArrayList<>();
        for (byte[] line : headerLines) {
            lines.add(new String(line, StandardCharsets.ISO_8859_1));
        }
        return lines;
    }

    /** When the server ended or aborted the response, or 0. */
    public long endedNanos() {
        return endedNanos;
    }

    void ended(long nanos) {
        endedNanos = nanos;
    }

    /** When the client closed the socket of a held response, or 0. */
    public long clientClosedNanos() {
        return clientClosedNanos;
    }

    void clientClosed(long nanos) {
        clientClosedNanos = nanos;
        clientClosed.countDown();
    }

    /** Waits up to {@code timeout} for the client to close the socket of this (held) response. */
    public boolean awaitClientClose(java.time.Duration timeout) throws InterruptedException {
        return clientClosed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static boolean startsWithIgnoreCase(byte[] line, byte[] lowerPrefix) {
        for (int i = 0; i < lowerPrefix.length; i++) {
            byte b = line[i];
            if (b >= 'A' && b <= 'Z') {
                b = (byte) (b + 32);
            }
            if (b != lowerPrefix[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?" + query) + " " + headerLines();
    }
}
