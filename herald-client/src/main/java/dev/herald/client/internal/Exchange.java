package dev.herald.client.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ScheduledFuture;

/**
 * One HTTP request and its response, as one hop of a connection attempt (a redirect starts a new
 * exchange). An exchange reports to its engine's serial executor only: {@link EventSourceEngine#onResponse}
 * once the headers arrived, {@link EventSourceEngine#onChunk} for each piece of body it was asked for
 * with {@link #requestMore()}, then {@link EventSourceEngine#onBodyEnd}, or
 * {@link EventSourceEngine#onSendFailed} if it failed before the headers. It reads nothing more until the
 * engine asks, which is the back-pressure between a slow listener and TCP.
 *
 * <p>Thread-safe: the transport calls it on its threads, the engine on its serial executor, and
 * {@link #abort()} may come from any thread. Fields marked serial-confined are only touched by the
 * engine's serial executor.
 */
abstract class Exchange implements Runnable {

    /** {@link #idleSince} while a chunk is being processed: the read timeout is not running then. */
    static final long BUSY = Long.MIN_VALUE;

    final EventSourceEngine engine;
    final URI uri;
    final String method;
    final byte[] body;
    /** Drop credential headers: a redirect of this attempt changed the origin. */
    final boolean stripCredentials;
    /** Drop body headers: a redirect of this attempt turned the method into a body-less GET. */
    final boolean bodyDropped;
    /** Redirects followed before this exchange within the attempt. */
    final int redirects;

    volatile boolean aborted;
    /** When the exchange started waiting for bytes, or {@link #BUSY}. */
    volatile long idleSince;
    volatile ScheduledFuture<?> watchdog;

    /** Serial-confined: when the connection was announced, or 0. */
    long openedAt;
    /** Serial-confined: the exchange dispatched at least one event. */
    boolean delivered;

    Exchange(EventSourceEngine engine, Hop hop) {
        this.engine = engine;
        this.uri = hop.uri();
        this.method = hop.method();
        this.body = hop.body();
        this.stripCredentials = hop.stripCredentials();
        this.bodyDropped = hop.bodyDropped();
        this.redirects = hop.redirects();
    }

    /** Sends {@code request} (built from this exchange's hop) and reports as described above. */
    abstract void start(HttpClient client, HttpRequest request);

    /** The response status, headers and version, once {@link EventSourceEngine#onResponse} was posted. */
    abstract HttpResponse.ResponseInfo response();

    /** Asks for the next piece of body; the read timeout runs from now. */
    abstract void requestMore();

    /** Releases the connection or the pending request. Called once, from any thread. */
    abstract void cancelTransport();

    /**
     * Ends the exchange now, from any thread: releases the connection (an HTTP/1.1 connection is closed,
     * an HTTP/2 stream reset) or the pending request, and stops the read-timeout check. Every later
     * report about this exchange is ignored.
     */
    final void abort() {
        if (aborted) {
            return;
        }
        aborted = true;
        cancelTransport();
        ScheduledFuture<?> w = watchdog;
        if (w != null) {
            w.cancel(false);
        }
    }

    /** The read-timeout check, run by the shared timer. */
    @Override
    public final void run() {
        engine.checkIdle(this);
    }

    /** What to request in one hop: the URL and method, and what redirects of the attempt changed. */
    record Hop(URI uri, String method, byte[] body, boolean stripCredentials, boolean bodyDropped, int redirects) {
    }
}
