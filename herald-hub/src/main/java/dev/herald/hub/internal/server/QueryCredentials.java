package dev.herald.hub.internal.server;

import dev.herald.hub.internal.form.FormData;
import dev.herald.hub.internal.form.FormException;
import dev.herald.hub.internal.form.FormParser;
import java.util.List;

/**
 * The credentials a request carries in its URL query: stream tickets ({@value #TICKET}, a Herald
 * extension) and pre-1.0 access tokens ({@value #AUTHORIZATION}, Mercure appendix "Changes from
 * Pre-Standardization Deployments"). {@link #toString()} never shows them. A query that does not
 * parse carries none here; the endpoint refuses it with its own 400.
 *
 * <p>Immutable and thread-safe.
 *
 * @param tokens the {@value #AUTHORIZATION} parameter values, in order
 * @param tickets the {@value #TICKET} parameter values, in order
 */
record QueryCredentials(List<String> tokens, List<String> tickets) {

    /** The stream ticket parameter, outside the reserved {@code match} namespace. */
    static final String TICKET = "ticket";
    /** The pre-1.0 token parameter. */
    static final String AUTHORIZATION = "authorization";

    private static final QueryCredentials NONE = new QueryCredentials(List.of(), List.of());

    QueryCredentials {
        tokens = List.copyOf(tokens);
        tickets = List.copyOf(tickets);
    }

    /** The credentials in {@code uri}'s query, parsed with {@code parser} (which bounds the work). */
    static QueryCredentials of(String uri, FormParser parser) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return NONE;
        }
        int hash = uri.indexOf('#', q);
        FormData query;
        try {
            query = parser.parse(uri.substring(q + 1, hash < 0 ? uri.length() : hash));
        } catch (FormException e) {
            return NONE;
        }
        List<String> tokens = query.all(AUTHORIZATION);
        List<String> tickets = query.all(TICKET);
        return tokens.isEmpty() && tickets.isEmpty() ? NONE : new QueryCredentials(tokens, tickets);
    }

    @Override
    public String toString() {
        return "QueryCredentials[" + tokens.size() + " tokens, " + tickets.size() + " tickets]";
    }
}
