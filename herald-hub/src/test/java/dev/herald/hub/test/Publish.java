package dev.herald.hub.test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Publishes over HTTP like any Mercure publisher: a form POST with a bearer token. */
public final class Publish {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Publish() {
    }

    /** Form-encodes {@code nameValuePairs} (name, value, name, value...). */
    public static String form(String... nameValuePairs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(URLEncoder.encode(nameValuePairs[i], StandardCharsets.UTF_8));
            if (nameValuePairs[i + 1] != null) {
                b.append('=').append(URLEncoder.encode(nameValuePairs[i + 1], StandardCharsets.UTF_8));
            }
        }
        return b.toString();
    }

    /** POSTs a form body (already encoded) with an optional bearer token. */
    public static HttpResponse<String> post(URI hub, String token, String body) throws IOException, InterruptedException {
        return post(hub, token, body.getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded");
    }

    public static HttpResponse<String> post(URI hub, String token, byte[] body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(hub)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Publishes and returns the id, failing unless the hub answered 200. */
    public static String ok(URI hub, String token, String... nameValuePairs) throws IOException, InterruptedException {
        HttpResponse<String> r = post(hub, token, form(nameValuePairs));
        if (r.statusCode() != 200) {
            throw new AssertionError("publish answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }
}
