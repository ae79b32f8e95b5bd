package dev.herald.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.sse.SseEncoder;
import dev.herald.sse.SseEvent;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Prints the updates {@code herald subscribe} receives, in one of its {@link SubscribeCommand.Format}s:
 *
 * <ul>
 *   <li>{@code pretty}: a line {@code TYPE  ID}, then the data (indented when it is JSON), then a blank line;
 *   <li>{@code raw}: the event in {@code text/event-stream} form ({@code id:}, {@code event:},
 *       {@code data:} lines and a blank line), re-encoded from what was parsed;
 *   <li>{@code json}: one JSON object per line, {@code {"id":…,"type":…,"data":…}}, for {@code jq}
 *       and scripts.
 * </ul>
 *
 * Flushes after every update, so a pipe sees it at once. Not thread-safe: used by one event source's
 * callbacks, which run one at a time.
 */
final class Printer {

    private static final ObjectMapper JSON = new ObjectMapper();

    final SubscribeCommand.Format format;
    private final PrintStream out;

    Printer(SubscribeCommand.Format format, PrintStream out) {
        this.format = format;
        this.out = out;
    }

    void print(SseEvent event) {
        switch (format) {
            case RAW -> out.print(new String(SseEncoder.encode(event), StandardCharsets.UTF_8));
            case JSON -> {
                ObjectNode o = JSON.createObjectNode();
                o.put("id", event.id());
                o.put("type", event.type());
                o.put("data", event.data());
                out.println(o.toString());
            }
            default -> {
                out.println(event.type() + (event.id().isEmpty() ? "" : "  " + event.id()));
                out.println(pretty(event.data()));
                out.println();
            }
        }
        out.flush();
    }

    /** {@code data} indented when it is a JSON object or array, else as is. */
    static String pretty(String data) {
        String t = data.strip();
        if (t.startsWith("{") || t.startsWith("[")) {
            try {
                JsonNode node = JSON.readTree(t);
                return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
            } catch (JsonProcessingException notJson) {
                return data;
            }
        }
        return data;
    }
}
