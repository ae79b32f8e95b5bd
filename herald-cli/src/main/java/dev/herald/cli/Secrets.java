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
 *   <li>a URL's password shows as {@value #MASK}, in every form Lettuce reads a Redis URI's user info
 *       ({@code io.lettuce.core.RedisURI}): {@code redis://user:pass@host} shows
 *       {@code redis://user:****@host}, {@code redis://:pass@host} shows {@code redis://:****@host}, and
 *       {@code redis://pass@host} (no colon: Lettuce takes the whole user info as the password) shows
 *       {@code redis://****@host}, whatever the scheme ({@code rediss}, {@code redis-sentinel},
 *       {@code redis-socket}, {@code https} …). The user info ends at the authority's <em>last</em> {@code @}, as
 *       Lettuce reads it, so a password holding an {@code @} is masked whole; in a {@code redis*} URI it
 *       ends at the value's last {@code @}, so that a password with a stray {@code /}, {@code ?} or
 *       {@code #} (which would end the authority) is not shown either;
 *   <li>a URL query parameter whose name has {@code pass}, {@code pwd}, {@code secret}, {@code token},
 *       {@code key}, {@code auth} or {@code credential} in it ({@code ?password=…}, {@code ?access_token=…})
 *       shows {@value #MASK}. Lettuce reads no password from the query, but other URLs (a JWK Set's) may carry
 *       one there.
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
    /** A Redis URI's user info: up to the value's last {@code @}, even past a {@code /}, {@code ?} or {@code #}. */
    private static final Pattern REDIS_USER_INFO = Pattern.compile("(?i)(redis[a-z+-]*://)(\\S*)@");
    /** Another URL's user info: up to the authority's last {@code @} (RFC 3986 §3.2: the authority ends at / ? #). */
    private static final Pattern URL_USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)([^/?#\\s]*)@");
    private static final Pattern SECRET_QUERY = Pattern.compile(
            "(?i)([?&;][^=&;#\\s]*(?:pass|pwd|secret|token|key|auth|credential)[^=&;#\\s]*=)[^&;#\\s]*");

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
        Matcher redis = REDIS_USER_INFO.matcher(value);
        String masked = redis.lookingAt() ? maskUserInfo(redis) : maskUserInfo(URL_USER_INFO.matcher(value));
        return SECRET_QUERY.matcher(masked).replaceAll("$1" + MASK);
    }

    /**
     * Each user info {@code m} finds, with its password masked: Lettuce reads {@code user:pass} as a
     * user and a password, {@code :pass} and {@code pass} (no colon) as a password alone. An empty
     * password ({@code user:@}) has nothing to hide, and is what an issuer's {@code ISS=pem:@FILE} looks like.
     */
    private static String maskUserInfo(Matcher m) {
        return m.reset().replaceAll(r -> {
            String userInfo = r.group(2);
            int colon = userInfo.indexOf(':');
            if (colon == userInfo.length() - 1) {
                return Matcher.quoteReplacement(r.group());
            }
            String shown = colon < 0 ? MASK : userInfo.substring(0, colon + 1) + MASK;
            return Matcher.quoteReplacement(r.group(1) + shown + "@");
        });
    }
}
