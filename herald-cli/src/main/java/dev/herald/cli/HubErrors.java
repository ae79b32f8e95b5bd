package dev.herald.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;

/**
 * Turns what went wrong talking to a hub into one line for the user and an exit code scripts can rely
 * on: 401 and 403 say whether a token was missing, refused, or too narrow; other 4xx exit with
 * {@link HeraldCommand#EXIT_REFUSED}, 5xx with {@link HeraldCommand#EXIT_HUB_ERROR}, and a hub that
 * cannot be reached with {@link HeraldCommand#EXIT_UNREACHABLE}. Never repeats the token. Stateless
 * and thread-safe.
 */
final class HubErrors {

    private static final int MAX_BODY = 200;

    private HubErrors() {
    }

    /**
     * The hub answered {@code status} instead of success.
     *
     * @param action what was refused, for the message ("publishing to https://…", "subscribing")
     * @param tokenGiven whether a token was presented (401 then means it was refused, not missing)
     * @param body the response body, or {@code null}
     */
    static HubCallException status(URI hub, String action, int status, boolean tokenGiven, String body) {
        String detail = body == null || body.isBlank() ? "" : ": " + excerpt(body);
        if (status == 401) {
            return new HubCallException(HeraldCommand.EXIT_REFUSED, tokenGiven
                    ? "the hub refused the token (401) for " + action + ": it is not signed by a key the hub trusts, is "
                            + "expired, or was minted for another audience or issuer"
                    : "the hub requires a token (401) for " + action + ": give --token or set HERALD_TOKEN");
        }
        if (status == 403) {
            return new HubCallException(HeraldCommand.EXIT_REFUSED, "the token does not allow " + action + " (403)"
                    + detail);
        }
        if (status >= 500) {
            return new HubCallException(HeraldCommand.EXIT_HUB_ERROR, "the hub at " + hub + " failed (" + status + ") "
                    + action + detail + (detail.contains("retry later") ? "" : "; retry later"));
        }
        return new HubCallException(status >= 400 ? HeraldCommand.EXIT_REFUSED : HeraldCommand.EXIT_HUB_ERROR,
                "the hub refused " + action + " (" + status + ")" + detail);
    }

    /** The request could not be sent or answered. */
    static HubCallException unreachable(URI hub, IOException e) {
        String why;
        if (e instanceof HttpConnectTimeoutException) {
            why = "connection timed out";
        } else if (e instanceof HttpTimeoutException) {
            why = "no answer in time";
        } else if (causedBy(e, UnknownHostException.class) || causedBy(e, UnresolvedAddressException.class)) {
            why = "unknown host " + hub.getHost();
        } else if (causedBy(e, ConnectException.class)) {
            why = "connection refused";
        } else if (causedBy(e, SSLException.class)) {
            why = "TLS failed (" + rootMessage(e) + ")";
        } else {
            why = rootMessage(e);
        }
        return new HubCallException(HeraldCommand.EXIT_UNREACHABLE, "cannot reach the hub at " + hub + ": " + why);
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    /** The first line of a response body, shortened. */
    private static String excerpt(String body) {
        String line = body.strip().lines().findFirst().orElse("");
        return line.length() > MAX_BODY ? line.substring(0, MAX_BODY) + "…" : line;
    }
}
