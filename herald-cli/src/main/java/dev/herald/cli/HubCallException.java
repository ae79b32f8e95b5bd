package dev.herald.cli;

/**
 * A client command could not do what it was asked because of the hub: refused (exit code
 * {@link HeraldCommand#EXIT_REFUSED}), unreachable ({@link HeraldCommand#EXIT_UNREACHABLE}) or failing
 * ({@link HeraldCommand#EXIT_HUB_ERROR}). The message is one line for the user. Immutable.
 */
final class HubCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    HubCallException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
