package dev.herald.client.mercure;

import static java.util.Objects.requireNonNull;

import dev.herald.client.internal.SharedResources;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Publishes updates to a Mercure hub: a form {@code POST} to the hub URL with the bearer token, whose
 * {@code 200} answer carries the id the hub gave the update.
 *
 * <pre>{@code
 * MercurePublisher publisher = MercurePublisher.builder(URI.create("https://example.com/.well-known/mercure"))
 *         .bearerToken(token)
 *         .build();
 * String id = publisher.publish(MercureUpdate.builder("https://example.com/books/1")
 *         .data("{\"title\":\"…\"}")
 *         .build());
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; share one.
 */
public final class MercurePublisher {

    /** Default {@link Builder#timeout(Duration)}: 10 seconds for the hub to answer. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final URI hub;
    private final String bearerToken;
    private final Duration timeout;
    private final HttpClient httpClient;

    private MercurePublisher(Builder b) {
        this.hub = b.hub;
        this.bearerToken = b.bearerToken;
        this.timeout = b.timeout;
        this.httpClient = b.httpClient != null ? b.httpClient : SharedResources.httpClient();
    }

    /** A builder for a publisher to the hub at {@code hub}. */
    public static Builder builder(URI hub) {
        return new Builder(requireNonNull(hub, "hub"));
    }

    /** The hub URL. */
    public URI hub() {
        return hub;
    }

    /**
     * Publishes {@code update} and returns the id the hub gave it.
     *
     * @throws MercurePublishException if the hub answered with a status other than 200
     * @throws IOException if the request failed
     * @throws InterruptedException if interrupted while waiting for the hub
     */
    public String publish(MercureUpdate update) throws IOException, InterruptedException {
        HttpResponse<String> response = httpClient.send(request(update), HttpResponse.BodyHandlers.ofString(
                StandardCharsets.UTF_8));
        return id(response);
    }

    /**
     * Publishes {@code update} without blocking; the future completes with the id the hub gave it, or
     * exceptionally with a {@link MercurePublishException} or another {@link IOException}.
     */
    public CompletableFuture<String> publishAsync(MercureUpdate update) {
        return httpClient.sendAsync(request(update), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(response -> {
                    try {
                        return id(response);
                    } catch (MercurePublishException e) {
                        throw new CompletionException(e);
                    }
                });
    }

    private HttpRequest request(MercureUpdate update) {
        requireNonNull(update, "update");
        HttpRequest.Builder b = HttpRequest.newBuilder(hub)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(update.toForm(), StandardCharsets.UTF_8));
        if (bearerToken != null) {
            b.header("Authorization", "Bearer " + bearerToken);
        }
        return b.build();
    }

    private static String id(HttpResponse<String> response) throws MercurePublishException {
        if (response.statusCode() != 200) {
            throw new MercurePublishException(response.statusCode(), response.body());
        }
        String body = response.body();
        int end = body.length();
        while (end > 0 && (body.charAt(end - 1) == '\n' || body.charAt(end - 1) == '\r')) {
            end--;
        }
        return body.substring(0, end);
    }

    @Override
    public String toString() {
        return "MercurePublisher{" + hub + (bearerToken != null ? ", bearer token" : "") + '}';
    }

    /** Builds a {@link MercurePublisher}. Not thread-safe; use one builder per thread. */
    public static final class Builder {
        private final URI hub;
        private String bearerToken;
        private Duration timeout = DEFAULT_TIMEOUT;
        private HttpClient httpClient;

        private Builder(URI hub) {
            this.hub = hub;
        }

        /** The publisher's access token, sent as {@code Authorization: Bearer <token>}; {@code null} for none. */
        public Builder bearerToken(String bearerToken) {
            this.bearerToken = Checks.checkBearerToken(bearerToken);
            return this;
        }

        /** How long the hub may take to answer. Default {@link MercurePublisher#DEFAULT_TIMEOUT}. */
        public Builder timeout(Duration timeout) {
            requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
            }
            this.timeout = timeout;
            return this;
        }

        /** The HTTP client; {@code null} (the default) shares the event sources' client. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        /** The publisher. */
        public MercurePublisher build() {
            return new MercurePublisher(this);
        }
    }
}
