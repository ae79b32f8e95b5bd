package dev.herald.hub.internal.server;

/**
 * Whether the hub's dependencies (history store, transport) are reachable; answers {@code /readyz}.
 * Implementations are thread-safe and fast (called per probe).
 */
@FunctionalInterface
public interface ReadinessCheck {

    /** {@code null} when ready, else a short reason. */
    String notReadyReason();
}
