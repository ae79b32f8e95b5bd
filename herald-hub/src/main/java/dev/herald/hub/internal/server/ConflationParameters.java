package dev.herald.hub.internal.server;

import dev.herald.hub.internal.dispatch.ConflationOptions;
import dev.herald.hub.internal.form.FormData;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a subscription's conflation parameters, Herald extensions to Mercure's subscription URL:
 * {@code herald-conflate=1} asks for conflation while the connection is congested, and
 * {@code herald-max-rate=R} caps the stream at {@code R} events with a conflation key per second
 * (which implies conflation). Mercure reserves the {@code match} namespace and names its own
 * parameters with lowercase words and underscores ({@code last_event_id}); a hyphenated name with the
 * hub's prefix stays clear of both, now and in future versions.
 *
 * <p>Stateless and thread-safe.
 */
final class ConflationParameters {

    static final String CONFLATE = "herald-conflate";
    static final String MAX_RATE = "herald-max-rate";
    /** Lowest rate accepted: one event every 100 seconds. */
    static final double MIN_RATE = 0.01;
    /** Highest rate accepted, events per second; beyond, a cap would not be one. */
    static final double MAX_RATE_LIMIT = 10_000;

    /** Up to five integer digits and two decimals: no exponent, sign, NaN or infinity to think about. */
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,5}(\\.[0-9]{1,2})?");

    private ConflationParameters() {
    }

    /**
     * What the parameters ask for, or {@code null} for plain delivery.
     *
     * @param maxKeys the hub's limit on the keys a conflating subscriber holds
     * @throws BadRequestException (400) naming the parameter and what it expects
     */
    static ConflationOptions parse(FormData params, int maxKeys) throws BadRequestException {
        String conflate = single(params, CONFLATE);
        String rate = single(params, MAX_RATE);
        Boolean on = conflate == null ? null : switch (conflate) {
            case "1", "true" -> Boolean.TRUE;
            case "0", "false" -> Boolean.FALSE;
            default -> throw new BadRequestException(CONFLATE + ": " + Sanitize.excerpt(conflate)
                    + " (expected: 1, true, 0 or false)");
        };
        if (rate == null) {
            return Boolean.TRUE.equals(on) ? new ConflationOptions(ConflationOptions.NO_RATE_LIMIT, maxKeys) : null;
        }
        double maxRate = DECIMAL.matcher(rate).matches() ? Double.parseDouble(rate) : -1;
        if (maxRate < MIN_RATE || maxRate > MAX_RATE_LIMIT) {
            throw new BadRequestException(MAX_RATE + ": " + Sanitize.excerpt(rate)
                    + " (expected: events per second, a decimal number from 0.01 to 10000)");
        }
        if (Boolean.FALSE.equals(on)) {
            throw new BadRequestException(MAX_RATE + " needs conflation (" + CONFLATE + "=" + conflate
                    + " given): a capped stream replaces pending updates instead of queueing them");
        }
        return new ConflationOptions(maxRate, maxKeys);
    }

    private static String single(FormData params, String name) throws BadRequestException {
        List<String> values = params.all(name);
        if (values.size() > 1) {
            throw new BadRequestException(name + ": given " + values.size() + " times (expected: at most once)");
        }
        return values.isEmpty() ? null : values.get(0);
    }
}
