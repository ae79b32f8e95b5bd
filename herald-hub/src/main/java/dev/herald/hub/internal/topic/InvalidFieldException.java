package dev.herald.hub.internal.topic;

import static java.util.Objects.requireNonNull;

/**
 * A publish field breaks a rule of Mercure §"Publication" ({@code topic}, {@code id}, {@code type}
 * or {@code retry}); the hub answers 400 whatever the access token. The message is
 * {@code "<field>: <reason>"} and is safe to return to the client (values are never echoed).
 *
 * <p>Like any exception, safe to hand to another thread once thrown.
 */
public final class InvalidFieldException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String reason;

    public InvalidFieldException(String field, String reason) {
        super(requireNonNull(field, "field") + ": " + requireNonNull(reason, "reason"));
        this.field = field;
        this.reason = reason;
    }

    /** The publish field: {@code topic}, {@code id}, {@code type} or {@code retry}. */
    public String field() {
        return field;
    }

    /** Why the value was refused. */
    public String reason() {
        return reason;
    }
}
