package dev.herald.client.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;

/**
 * One HTTP request and its response, as one hop of a connection attempt (a redirect starts a new
 * exchange). It is the {@link HttpResponse.BodyHandler} and {@link HttpResponse.BodySubscriber} given to
 * the JDK client, and it only hands what the client reports over to its engine's serial executor, so
 * that nothing runs on the client's selector thread. It requests one list of buffers at a time, and
 * the next one only after the engine has parsed and dispatched the last: back-pressure all the way to
 * TCP.
 *
 * <p>Thread-safe: the client calls it on its threads, the engine on its serial executor, and
 * {@link #abort()} may come from any thread. Fields marked serial-confined are only touched by the
 * engine's serial executor.
 */
final class Exchange implements HttpResponse.BodyHandler<Void>, HttpResponse.BodySubscriber<Void>, Runnable {

    /** {@link #idleSince} while a chunk is being processed: the read timeout is not running then. */
    static final long BUSY = Long.MIN_VALUE;

    private static final CompletionStage<Void> NO_BODY = CompletableFuture.completedStage(null);

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
    volatile long idleSince;
    volatile ScheduledFuture<?> watchdog;
    private volatile HttpResponse.ResponseInfo response;
    private volatile Flow.Subscription subscription;
    private volatile CompletableFuture<?> future;

    /** Serial-confined: when the connection was announced, or 0. */
    long openedAt;
    /** Serial-confined: the exchange dispatched at least one event. */
    boolean delivered;

    Exchange(EventSourceEngine engine, URI uri, String method, byte[] body, boolean stripCredentials,
            boolean bodyDropped, int redirects) {
        this.engine = engine;
        this.uri = uri;
        this.method = method;
        this.body = body;
        this.stripCredentials = stripCredentials;
        this.bodyDropped = bodyDropped;
        this.redirects = redirects;
    }

    /** Sends the request; a failure before the response headers goes to the engine. */
    void start(HttpClient client, HttpRequest request) {
        CompletableFuture<HttpResponse<Void>> f = client.sendAsync(request, this);
        future = f;
        if (aborted) {
            f.cancel(true);
            return;
        }
        f.whenComplete((r, error) -> {
            if (error != null) {
                engine.post(() -> engine.onSendFailed(this, error));
            }
        });
    }

    /** The response status, headers and version, once {@link EventSourceEngine#onResponse} was posted. */
    HttpResponse.ResponseInfo response() {
        return response;
    }

    /** Asks for the next list of buffers; the read timeout runs from now. */
    void requestMore() {
        idleSince = System.nanoTime();
        subscription.request(1);
    }

    /**
     * Ends the exchange now, from any thread: cancels the body (the JDK client then closes an HTTP/1.1
     * connection, or resets an HTTP/2 stream) or the pending request, and the read-timeout check. Every
     * later report about this exchange is ignored.
     */
    void abort() {
        if (aborted) {
            return;
        }
        aborted = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        CompletableFuture<?> f = future;
        if (f != null) {
            f.cancel(true);
        }
        ScheduledFuture<?> w = watchdog;
        if (w != null) {
            w.cancel(false);
        }
    }

    @Override
    public HttpResponse.BodySubscriber<Void> apply(HttpResponse.ResponseInfo responseInfo) {
        this.response = responseInfo;
        return this;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (aborted) {
            subscription.cancel();
            return;
        }
        engine.post(() -> engine.onResponse(this));
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        idleSince = BUSY;
        engine.post(() -> engine.onChunk(this, item));
    }

    @Override
    public void onError(Throwable throwable) {
        engine.post(() -> engine.onBodyEnd(this, throwable));
    }

    @Override
    public void onComplete() {
        engine.post(() -> engine.onBodyEnd(this, null));
    }

    /** Completed at once: the body is consumed through the subscriber, and the future reports headers. */
    @Override
    public CompletionStage<Void> getBody() {
        return NO_BODY;
    }

    /** The read-timeout check, run by the shared timer. */
    @Override
    public void run() {
        engine.checkIdle(this);
    }
}
