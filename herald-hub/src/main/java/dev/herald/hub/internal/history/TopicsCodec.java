package dev.herald.hub.internal.history;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The topics of an update as one column value: a 4-byte count, then each topic as a 4-byte length
 * and its UTF-8 bytes. Length-prefixed rather than separated, since the protocol does not forbid
 * any separator character in a topic. Stateless and thread-safe.
 */
public final class TopicsCodec {

    private TopicsCodec() {
    }

    public static byte[] encode(List<String> topics) {
        byte[][] parts = new byte[topics.size()][];
        int size = 4;
        for (int i = 0; i < parts.length; i++) {
            parts[i] = topics.get(i).getBytes(StandardCharsets.UTF_8);
            size += 4 + parts[i].length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(parts.length);
        for (byte[] p : parts) {
            b.putInt(p.length).put(p);
        }
        return b.array();
    }

    /** The size {@link #encode} produces, without encoding. */
    static int encodedLength(List<String> topics) {
        int size = 4;
        for (String t : topics) {
            size += 4 + utf8Length(t);
        }
        return size;
    }

    /**
     * @throws IllegalArgumentException if {@code bytes} is not an encoding (a damaged row)
     */
    public static List<String> decode(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            int n = b.getInt();
            if (n < 0 || n > bytes.length / 4) {
                throw new IllegalArgumentException("topics: bad count " + n);
            }
            List<String> topics = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int len = b.getInt();
                if (len < 0 || len > b.remaining()) {
                    throw new IllegalArgumentException("topics: bad length " + len);
                }
                topics.add(new String(bytes, b.position(), len, StandardCharsets.UTF_8));
                b.position(b.position() + len);
            }
            return topics;
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("topics: truncated", e);
        }
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n++; // a lone surrogate: String.getBytes writes '?'
            } else {
                n += 3;
            }
        }
        return n;
    }
}
