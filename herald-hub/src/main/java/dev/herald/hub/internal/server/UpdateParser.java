package dev.herald.hub.internal.server;

import dev.herald.hub.HubConfig;
import dev.herald.hub.Update;
import dev.herald.hub.internal.form.FormData;
import dev.herald.hub.internal.form.FormException;
import dev.herald.hub.internal.form.FormLimitException;
import dev.herald.hub.internal.form.FormParser;
import dev.herald.hub.internal.topic.InvalidFieldException;
import dev.herald.hub.internal.topic.TopicRules;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads a publish request's form into an {@link Update} (Mercure §"Publication"): fields
 * {@code topic} (repeatable), {@code data}, {@code private} (present = private, whatever its value),
 * {@code id}, {@code type}, {@code retry}, and Herald's {@code herald-conflation-key}; unknown fields ignored. Size limits answer 413, the rest
 * 400 or 415. Thread-safe.
 */
final class UpdateParser {

    static final String FORM = "application/x-www-form-urlencoded";
    /** Fields tolerated besides the topics: data, id, type, retry, private and future extensions. */
    static final int EXTRA_FIELDS = 64;

    private final HubConfig config;
    private final FormParser formParser;

    UpdateParser(HubConfig config) {
        this.config = config;
        this.formParser = FormParser.of(config.maxTopicsPerUpdate() + EXTRA_FIELDS, Integer.MAX_VALUE);
    }

    Update parse(FullHttpRequest req) throws BadRequestException {
        String contentType = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null || !isForm(contentType)) {
            throw new BadRequestException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "publish with Content-Type: " + FORM + " (got: "
                            + (contentType == null ? "none" : Sanitize.excerpt(contentType)) + ")");
        }
        FormData form;
        try {
            form = formParser.parse(req.content().nioBuffer());
        } catch (FormLimitException e) {
            throw new BadRequestException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, e.getMessage());
        } catch (FormException e) {
            throw new BadRequestException(e.getMessage());
        }
        List<String> topics = form.all("topic");
        if (topics.isEmpty()) {
            throw new BadRequestException("missing topic field (expected: at least one)");
        }
        if (topics.size() > config.maxTopicsPerUpdate()) {
            throw new BadRequestException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "too many topic fields: " + topics.size() + " (expected: <= " + config.maxTopicsPerUpdate() + ")");
        }
        for (String topic : topics) {
            if (topic.length() > config.maxTopicLength()) {
                throw new BadRequestException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        "topic too long: " + topic.length() + " characters (expected: <= " + config.maxTopicLength() + ")");
            }
        }
        String data = form.first("data").orElse("");
        if (data.length() > config.maxDataBytes() // cheap bound first: UTF-8 is never shorter than its chars
                || data.getBytes(StandardCharsets.UTF_8).length > config.maxDataBytes()) {
            throw new BadRequestException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "data too large (expected: <= " + config.maxDataBytes() + " bytes)");
        }
        Update.Builder b = Update.builder().data(data).privateUpdate(form.contains("private"));
        topics.forEach(b::topic);
        String id = form.first("id").orElse(null);
        if (id != null && !id.isEmpty()) {
            checkLength("id", id);
            b.id(id);
        }
        String type = form.first("type").orElse(null);
        if (type != null && !type.isEmpty()) {
            checkLength("type", type);
            b.type(type);
        }
        List<String> keys = form.all(Update.CONFLATION_KEY_FIELD);
        if (keys.size() > 1) {
            throw new BadRequestException(Update.CONFLATION_KEY_FIELD + ": given " + keys.size()
                    + " times (expected: at most once)");
        }
        if (!keys.isEmpty()) {
            b.conflationKey(keys.get(0)); // checked with the other rules by PublishService.validate
        }
        String retry = form.first("retry").orElse(null);
        if (retry != null) {
            try {
                b.retry(TopicRules.parseRetry(retry));
            } catch (InvalidFieldException e) {
                throw new BadRequestException(e.getMessage());
            }
        }
        return b.build();
    }

    private void checkLength(String field, String value) throws BadRequestException {
        if (value.length() > config.maxTopicLength()) {
            throw new BadRequestException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    field + " too long: " + value.length() + " characters (expected: <= " + config.maxTopicLength() + ")");
        }
    }

    /** Whether the media type's essence is the form type (parameters such as charset ignored). */
    static boolean isForm(String contentType) {
        int semicolon = contentType.indexOf(';');
        String essence = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return AsciiString.contentEqualsIgnoreCase(essence, FORM);
    }
}
