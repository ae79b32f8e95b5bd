package dev.herald.redis.internal;

import java.nio.charset.StandardCharsets;

/**
 * The keys of one hub cluster, all under its prefix: the stream of updates ({@code PREFIX:stream},
 * entry ids {@code <sequence>-0}), the sequence counter ({@code PREFIX:seq}), the event id to
 * sequence map ({@code PREFIX:ids}, a hash, to an id's earliest kept occurrence), the later
 * occurrences of reused ids ({@code PREFIX:idnext}, a hash: sequence to the next sequence with the
 * same id; {@code PREFIX:idlast}, a hash: id to its latest sequence) and the bytes kept
 * ({@code PREFIX:bytes}), for retention.
 *
 * <p>With active subscriptions: the set of live hubs ({@code PREFIX:nodes}), each hub's heartbeat
 * ({@code PREFIX:node:ID}, a string that expires unless refreshed) and its subscriptions
 * ({@code PREFIX:subs:ID}, a hash: topic to {@code <start sequence>:<record>}); the hashes of hubs
 * taken for dead, renamed {@code PREFIX:orphan:ID:NONCE}, listed in {@code PREFIX:orphans} until
 * their ends are published, the claim of the hub publishing them ({@code PREFIX:claim:ORPHAN}), and
 * the marker telling a hub taken for dead that its ends were published ({@code PREFIX:taken:ID}).
 * The scripts build the per-hub names from the same prefixes ({@link #nodePrefix} …).
 *
 * <p>Stream tickets: {@code PREFIX:ticket:ID}, a string (the ticket's record) expiring with the
 * ticket, {@code ID} the SHA-256 digest of the ticket in base64url ({@link dev.herald.hub.TicketStore}),
 * so that no key or value redeems a ticket.
 *
 * <p>Immutable and thread-safe.
 */
final class Keys {

    final byte[] stream;
    final byte[] sequence;
    final byte[] ids;
    final byte[] idNext;
    final byte[] idLast;
    final byte[] bytes;
    final byte[] nodes;
    final byte[] orphans;
    final String nodePrefix;
    final String subsPrefix;
    final String orphanPrefix;
    final String takenPrefix;
    private final String claimPrefix;
    private final String ticketPrefix;

    Keys(String prefix) {
        this.stream = key(prefix + ":stream");
        this.sequence = key(prefix + ":seq");
        this.ids = key(prefix + ":ids");
        this.idNext = key(prefix + ":idnext");
        this.idLast = key(prefix + ":idlast");
        this.bytes = key(prefix + ":bytes");
        this.nodes = key(prefix + ":nodes");
        this.orphans = key(prefix + ":orphans");
        this.nodePrefix = prefix + ":node:";
        this.subsPrefix = prefix + ":subs:";
        this.orphanPrefix = prefix + ":orphan:";
        this.takenPrefix = prefix + ":taken:";
        this.claimPrefix = prefix + ":claim:";
        this.ticketPrefix = prefix + ":ticket:";
    }

    /** The heartbeat of hub {@code id}. */
    byte[] node(String id) {
        return key(nodePrefix + id);
    }

    /** The subscriptions of hub {@code id}. */
    byte[] subscriptions(String id) {
        return key(subsPrefix + id);
    }

    /** The marker left for hub {@code id} when it is taken for dead. */
    byte[] taken(String id) {
        return key(takenPrefix + id);
    }

    /** A name for the subscriptions of hub {@code id} once it is gone. */
    byte[] orphan(String id, String nonce) {
        return key(orphanPrefix + id + ":" + nonce);
    }

    /** The record of the stream ticket whose digest is {@code id}. */
    byte[] ticket(String id) {
        return key(ticketPrefix + id);
    }

    /** The claim on publishing the ends of {@code orphan}. */
    byte[] claim(byte[] orphan) {
        return key(claimPrefix + new String(orphan, StandardCharsets.UTF_8));
    }

    private static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
