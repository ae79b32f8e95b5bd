package dev.herald.hub;

/**
 * A snapshot of an {@link UpdateTransport}'s connection, shown by {@code /readyz} and {@code /metrics}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param connected whether the log answered the last request (the feed is reading)
 * @param notReadyReason why the hub cannot accept publishes now ({@code /readyz} answers 503 with it),
 *        or {@code null} when connected
 * @param lastSequence the last sequence the feed delivered to this hub
 * @param reconnects how many times the connection was lost and found again since the start
 */
public record TransportStatus(boolean connected, String notReadyReason, long lastSequence, long reconnects) {
}
