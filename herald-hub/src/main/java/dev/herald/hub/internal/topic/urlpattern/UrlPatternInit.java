package dev.herald.hub.internal.topic.urlpattern;

/**
 * The component pattern strings of a URL pattern before compilation (the standard's
 * {@code URLPatternInit} without {@code baseURL}); {@code null} means "not given".
 *
 * <p>Mutable, confined to the compiling thread.
 */
final class UrlPatternInit {

    String protocol;
    String username;
    String password;
    String hostname;
    String port;
    String pathname;
    String search;
    String hash;

    /** Sets the component named like a constructor-string parser state (e.g. {@code PATHNAME}). */
    void set(String component, String value) {
        switch (component) {
            case "PROTOCOL":
                protocol = value;
                break;
            case "USERNAME":
                username = value;
                break;
            case "PASSWORD":
                password = value;
                break;
            case "HOSTNAME":
                hostname = value;
                break;
            case "PORT":
                port = value;
                break;
            case "PATHNAME":
                pathname = value;
                break;
            case "SEARCH":
                search = value;
                break;
            case "HASH":
                hash = value;
                break;
            default:
                throw new IllegalArgumentException(component);
        }
    }
}
