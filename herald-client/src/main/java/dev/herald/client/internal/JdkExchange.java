package dev.herald.client.internal;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * An {@link Exchange} over the JDK {@link HttpClient}: it is the {@link HttpResponse.BodyHandler} and
 * {@link HttpResponse.BodySubscriber} given to the client, and only hands what the client reports over
 * to the engine's serial executor, so that nothing runs on the client's selector thread. It requests one
 * list of buffers at a time ({@code request(1)}), and the next one only when the engine asks.
 *
 * <p>Thread-safe, as {@link Exchange}.
 */
final class JdkExchange extends Exchange implements HttpResponse.BodyHandler<Void>, HttpResponse.BodySubscriber<Void> {

    private static final CompletionStage<Void> NO_BODY = CompletableFuture.completedStage(null);

    private volatile HttpResponse.ResponseInfo response;
    private volatile Flow.Subscription subscription;
    private volatile CompletableFuture<?> future;

    JdkExchange(EventSourceEngine engine, Hop hop) {
        super(engine, hop);
    }

    @Override
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

    @Override
    HttpResponse.ResponseInfo response() {
        return response;
    }

    @Override
    void requestMore() {
        idleSince = System.nanoTime();
        subscription.request(1);
    }

    /** Cancelling the body makes the client close an HTTP/1.1 connection or reset an HTTP/2 stream. */
    @Override
    void cancelTransport() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        CompletableFuture<?> f = future;
        if (f != null) {
            f.cancel(true);
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
}
