package dev.herald.cli;

/** Bad configuration given on the command line or in the environment; exits with code 2. Immutable. */
final class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConfigurationException(String message) {
        super(message);
    }

    ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
