package dev.herald.hub.internal.server;

import dev.herald.hub.UiTokenMinter;
import dev.herald.hub.internal.form.FormData;
import dev.herald.hub.internal.form.FormException;
import dev.herald.hub.internal.form.FormParser;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /ui/api/token}: the web UI's token minter (development only). The body is a form:
 * {@code publish} and {@code subscribe} (repeatable matchers), {@code urlpatterns=on},
 * {@code lifetime} (seconds) and {@code subject}; the answer is JSON {@code {"token", "expiresAt"}}, or
 * 400 with a reason. Inputs are bounded ({@value #MAX_MATCHERS} matchers per action, lifetimes up to
 * {@link #MAX_LIFETIME}), so the route cannot be made to sign arbitrary amounts of data.
 *
 * <p>Thread-safe: immutable, and the minter is.
 */
final class TokenMintRoute {

    static final String PATH = "/ui/api/token";
    static final int MAX_MATCHERS = 20;
    static final Duration MAX_LIFETIME = Duration.ofDays(30);
    static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    static final String DEFAULT_SUBJECT = "herald-ui";
    static final int MAX_SUBJECT_LENGTH = 200;
    private static final FormParser FORMS = FormParser.of(2 * MAX_MATCHERS + 8, 64 * 1024);

    private final UiTokenMinter minter;
    private final int maxTopicLength;

    TokenMintRoute(UiTokenMinter minter, int maxTopicLength) {
        this.minter = minter;
        this.maxTopicLength = maxTopicLength;
    }

    /** The answer to a {@code POST}. */
    FullHttpResponse mint(FullHttpRequest req) {
        FormData form;
        try {
            form = FORMS.parse(ByteBufUtil.getBytes(req.content()));
        } catch (FormException e) {
            return Responses.text(HttpResponseStatus.BAD_REQUEST, "token request: " + e.getMessage());
        }
        try {
            List<String> publish = matchers(form, "publish");
            List<String> subscribe = matchers(form, "subscribe");
            if (publish.isEmpty() && subscribe.isEmpty()) {
                throw new IllegalArgumentException("give at least one publish or subscribe matcher");
            }
            Duration lifetime = lifetime(form.first("lifetime").orElse(null));
            String subject = form.first("subject").map(String::strip).filter(v -> !v.isEmpty()).orElse(DEFAULT_SUBJECT);
            if (subject.length() > MAX_SUBJECT_LENGTH || subject.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("subject: at most " + MAX_SUBJECT_LENGTH + " printable characters");
            }
            boolean urlPatterns = form.first("urlpatterns").isPresent();
            String token = minter.mint(publish, subscribe, urlPatterns, lifetime, subject);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("token", token);
            body.put("expiresAt", Instant.now().plus(lifetime).toString());
            return OpsRoutes.ok(req, OpsRoutes.json(body), OpsRoutes.JSON, "no-store");
        } catch (IllegalArgumentException e) {
            return Responses.text(HttpResponseStatus.BAD_REQUEST, "token request: " + e.getMessage());
        }
    }

    private List<String> matchers(FormData form, String action) {
        List<String> out = new ArrayList<>();
        for (String v : form.all(action)) {
            for (String m : v.split("[\\s,]+")) { // one field per matcher, or several separated by spaces or commas
                if (m.isEmpty()) {
                    continue;
                }
                if (m.length() > maxTopicLength) {
                    throw new IllegalArgumentException(action + " matcher longer than " + maxTopicLength + " characters");
                }
                out.add(m);
            }
        }
        if (out.size() > MAX_MATCHERS) {
            throw new IllegalArgumentException(action + ": " + out.size() + " matchers (expected: at most " + MAX_MATCHERS + ")");
        }
        return out;
    }

    private static Duration lifetime(String seconds) {
        if (seconds == null || seconds.isBlank()) {
            return DEFAULT_LIFETIME;
        }
        long s;
        try {
            s = Long.parseLong(seconds.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("lifetime: '" + Sanitize.excerpt(seconds) + "' (expected: seconds)");
        }
        if (s <= 0 || s > MAX_LIFETIME.toSeconds()) {
            throw new IllegalArgumentException("lifetime: " + s + " s (expected: 1 to " + MAX_LIFETIME.toSeconds() + ")");
        }
        return Duration.ofSeconds(s);
    }
}
