package dev.herald.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in configuration values before they are shown ({@code herald serve --print-config}).
 * Three rules, so that options added later are covered without being listed here:
 *
 * <ul>
 *   <li>a setting whose key has a word {@code key}, {@code secret}, {@code password} or {@code token}
 *       ({@code publisher-jwt-key}, {@code redis-password}) shows {@value #MASK}, unless its value is an
 *       {@code @FILE} reference, which names a file and is shown as is;
 *   <li>an issuer specification {@code ISS=hmac:SECRET} shows {@code ISS=hmac:****} (an {@code @FILE}
 *       secret is shown);
 *   <li>a URL's password ({@code redis://user:pass@host}) shows as {@code redis://user:****@host}.
 * </ul>
 *
 * The TLS private key option {@code --key} names a file, not a secret, and is shown. Stateless and
 * thread-safe.
 */
final class Secrets {

    /** What a masked value shows. */
    static final String MASK = "****";

    private static final Pattern SECRET_NAME = Pattern.compile("(^|.*-)(key|secret|password|token)(-.*|$)");
    private static final Pattern HMAC_SPEC = Pattern.compile("(?i)(.*=hmac(?:\\+[^:]*)?:)(.*)");
    private static final Pattern URL_PASSWORD = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^/@:\\s]*:)([^/@\\s]+)(@)");

    private Secrets() {
    }

    /** Whether a setting named {@code key} holds a secret. */
    static boolean isSecretName(String key) {
        return !key.equals("key") && SECRET_NAME.matcher(key).matches();
    }

    /** {@code value} of the setting {@code key}, with any secret in it masked. */
    static String mask(String key, String value) {
        if (value == null) {
            return null;
        }
        if (isSecretName(key)) {
            return value.startsWith("@") ? value : MASK;
        }
        Matcher hmac = HMAC_SPEC.matcher(value);
        if (hmac.matches()) {
            return hmac.group(2).startsWith("@") ? value : hmac.group(1) + MASK;
        }
        return URL_PASSWORD.matcher(value).replaceAll("$1" + MASK + "$3");
    }
}
