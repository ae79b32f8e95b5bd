package dev.herald.hub.internal.dispatch;

import java.time.Duration;

/**
 * How much a slow subscriber may fall behind before it is disconnected, and how often idle streams
 * get a keep-alive comment. Immutable and thread-safe.
 *
 * @param maxBacklogBytes queued bytes beyond the stream's write-buffer low water mark that make it
 *        disconnect at once
 * @param maxStallTime how long a stream may stay unwritable (its client not reading) before it is
 *        disconnected
 * @param heartbeat idle time after which a keep-alive comment is written
 * @param replayPageSize how many history entries one replay step reads and writes
 * @param maxStreamLifetime how long a stream may stay open before the hub closes it (the client
 *        reconnects with its last event ID and re-authenticates, Mercure §"Subscribers")
 * @param flushDelay the least time between two flushes of a loop's streams, so that at high publish
 *        rates several events leave in one write; zero flushes after every drain
 */
public record DeliveryLimits(long maxBacklogBytes, Duration maxStallTime, Duration heartbeat, int replayPageSize,
                             Duration maxStreamLifetime, Duration flushDelay) {
    public DeliveryLimits {
        if (maxBacklogBytes <= 0) {
            throw new IllegalArgumentException("maxBacklogBytes: " + maxBacklogBytes + " (expected: > 0)");
        }
        if (maxStallTime.isNegative() || maxStallTime.isZero()) {
            throw new IllegalArgumentException("maxStallTime: " + maxStallTime + " (expected: > 0)");
        }
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat: " + heartbeat + " (expected: > 0)");
        }
        if (maxStreamLifetime.isNegative() || maxStreamLifetime.isZero()) {
            throw new IllegalArgumentException("maxStreamLifetime: " + maxStreamLifetime + " (expected: > 0)");
        }
        if (flushDelay.isNegative()) {
            throw new IllegalArgumentException("flushDelay: " + flushDelay + " (expected: >= 0)");
        }
        if (replayPageSize <= 0) {
            throw new IllegalArgumentException("replayPageSize: " + replayPageSize + " (expected: > 0)");
        }
    }
}
