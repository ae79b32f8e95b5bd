package dev.herald.hub.internal.history;

/**
 * A history that can tell, without a publish, whether it stores again after it refused updates (a
 * full disk, I/O errors). While it refuses them the hub is not ready ({@code /readyz} 503), and a
 * load balancer routing by readiness then sends it no publish whose success would say otherwise: the
 * hub's history writer calls {@link #probeWrite} about every second instead, and becomes ready again
 * once a probe succeeds.
 *
 * <p>Implementations are thread-safe: the probe runs concurrently with reads and retention.
 */
public interface WriteProbe {

    /**
     * Whether a successful {@link #probeWrite} proves that {@code failure}, the reason the history
     * refused updates, is over: true for a full disk, which a scratch write of the refused size
     * tests; false for a cause a scratch write elsewhere in the file cannot rule out (a damaged
     * table, an I/O error on the updates' pages), which only a stored update ends.
     */
    boolean probes(Throwable failure);

    /**
     * Writes {@code bytes} of scratch data the way an append does (same file, a committed
     * transaction) and removes it again; the updates kept are unchanged.
     *
     * @throws dev.herald.hub.HistoryUnavailableException if the history still cannot write
     */
    void probeWrite(int bytes);
}
