package dev.herald.hub.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.hub.Hub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Calls the Subscription API of a test hub and reads its answers (Mercure §"Subscription API"). */
public final class SubscriptionsApi {

    /** The subscriptions namespace of {@link TestHubs}' hubs. */
    public static final String NAMESPACE = "/.well-known/mercure/subscriptions";
    /** A URL pattern selecting every subscription event and API resource, and the collection itself. */
    public static final String EVERYTHING = "urlpattern:" + NAMESPACE + "{/*}?";

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CURSOR = Pattern.compile("last-event-id=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private SubscriptionsApi() {
    }

    /** A token that may read every subscription event and API resource. */
    public static String watcherToken() {
        return Tokens.mint().subject("watcher").subscribe(EVERYTHING)
                .expiresIn(Duration.ofMinutes(10)).sign();
    }

    /** GETs {@code path} (already encoded) on the hub's address, with a bearer token when not {@code null}. */
    public static HttpResponse<String> get(Hub hub, String path, String token, String... headerPairs) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.address().getPort() + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headerPairs.length; i += 2) {
            b.header(headerPairs[i], headerPairs[i + 1]);
        }
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The {@code last-event-id} of the response's {@code rel="mercure"} Link, unquoted. */
    public static String cursor(HttpResponse<?> r) {
        String link = r.headers().firstValue("link").orElseThrow(() -> new AssertionError("no Link header"));
        Matcher m = CURSOR.matcher(link);
        if (!m.find()) {
            throw new AssertionError("no last-event-id in " + link);
        }
        return m.group(1).replaceAll("\\\\(.)", "$1");
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** RFC 6570 expansion of one variable, as the hub must do it (unreserved characters kept). */
    public static String expand(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

    /** The query string component {@code name=value}, form-encoded. */
    public static String param(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
