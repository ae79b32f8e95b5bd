package dev.herald.hub.internal.form;

/**
 * The input is larger than the parser's byte limit or has more fields than its field limit
 * (Mercure §"Publication": over-limit publish requests get 413 "Content Too Large").
 *
 * <p>Like any exception, safe to hand to another thread once thrown.
 */
public final class FormLimitException extends FormException {

    private static final long serialVersionUID = 1L;

    public FormLimitException(String message) {
        super(message);
    }
}
