package dev.herald.hub.internal.topic;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The character rules Mercure puts on topics, matcher values and the {@code id} and {@code type}
 * publish fields (§"Terminology", §"Subscription", §"Publication"): no C0 control (U+0000–U+001F),
 * no U+007F, no C1 control (U+0080–U+009F), no format character (general category {@code Cf}, such
 * as U+200B or U+202E), and valid UTF-8 — for a Java string, no unpaired surrogate.
 *
 * <p>{@code Cf} is taken from the running JDK's Unicode tables, plus the code points that Unicode 14
 * and 15 added to {@code Cf} (U+0890, U+0891, U+13439–U+1343F), which JDK 17's Unicode 13 tables
 * leave unassigned; §"Terminology" allows rejecting characters later versions assign to {@code Cf}.
 *
 * <p>Stateless and thread-safe.
 */
public final class TopicText {

    private TopicText() {
    }

    /** Whether {@code codePoint} is forbidden in a topic, matcher value, {@code id} or {@code type}. */
    public static boolean isForbidden(int codePoint) {
        return isControl(codePoint) || isFormat(codePoint);
    }

    /**
     * Why {@code value} breaks the character rules, e.g. {@code "control character U+000A at index
     * 3"} (index in code points), or empty when it does not.
     */
    public static Optional<String> violation(String value) {
        requireNonNull(value, "value");
        int index = 0;
        for (int i = 0; i < value.length(); index++) {
            int cp = value.codePointAt(i);
            if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
                return Optional.of("unpaired surrogate at index " + index);
            }
            if (isControl(cp)) {
                return Optional.of("control character " + codePointName(cp) + " at index " + index);
            }
            if (isFormat(cp)) {
                return Optional.of("format character " + codePointName(cp) + " at index " + index);
            }
            i += Character.charCount(cp);
        }
        return Optional.empty();
    }

    /** {@code U+XXXX}, at least four hex digits. */
    static String codePointName(int codePoint) {
        return String.format("U+%04X", codePoint);
    }

    private static boolean isControl(int cp) {
        return cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F);
    }

    private static boolean isFormat(int cp) {
        return Character.getType(cp) == Character.FORMAT
                || cp == 0x0890 || cp == 0x0891 || (cp >= 0x13439 && cp <= 0x1343F);
    }
}
