package dev.herald.hub.internal.form;

/**
 * An {@code application/x-www-form-urlencoded} input was refused: either it is malformed
 * ({@link MalformedFormException}, answered with 400) or over a configured limit
 * ({@link FormLimitException}, answered with 413 for a publish body, 400 or 414 for a query). The
 * message is safe to return to the client: it names positions and field names, never values.
 *
 * <p>Like any exception, safe to hand to another thread once thrown.
 */
public abstract sealed class FormException extends Exception permits MalformedFormException, FormLimitException {

    private static final long serialVersionUID = 1L;

    FormException(String message) {
        super(message);
    }
}
