package dev.herald.redis.internal;

import java.nio.charset.StandardCharsets;

/**
 * The keys of one hub cluster, all under its prefix: the stream of updates ({@code PREFIX:stream},
 * entry ids {@code <sequence>-0}), the sequence counter ({@code PREFIX:seq}), the event id to
 * sequence map ({@code PREFIX:ids}, a hash) and the bytes kept ({@code PREFIX:bytes}), for retention.
 *
 * <p>Immutable and thread-safe.
 */
final class Keys {

    final byte[] stream;
    final byte[] sequence;
    final byte[] ids;
    final byte[] bytes;

    Keys(String prefix) {
        this.stream = key(prefix, "stream");
        this.sequence = key(prefix, "seq");
        this.ids = key(prefix, "ids");
        this.bytes = key(prefix, "bytes");
    }

    private static byte[] key(String prefix, String name) {
        return (prefix + ":" + name).getBytes(StandardCharsets.UTF_8);
    }
}
