package dev.herald.cli;

import dev.herald.hub.JwtIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads the key and issuer options of {@code herald serve}:
 *
 * <ul>
 *   <li>a key value starting with {@code @} is read from that file ({@code @/run/secrets/key.pem}),
 *       so secrets and PEM text stay out of the process list and the shell history; one trailing
 *       line break is dropped from an HMAC secret read this way;
 *   <li>an issuer is {@code ISSUER=KIND[+ALG,ALG...]:VALUE}, {@code KIND} one of {@code hmac}
 *       (VALUE the secret or @FILE), {@code pem} (VALUE @FILE of a public key or certificate) or
 *       {@code jwks} (VALUE the JWK Set URL), the optional algorithms narrowing what the key may
 *       verify: {@code https://auth.example.com=jwks:https://auth.example.com/jwks.json},
 *       {@code https://app.example.com=pem+ES256:@/etc/herald/app.pem}.
 * </ul>
 *
 * Error messages name the option and never repeat a secret. Stateless and thread-safe.
 */
final class KeyOptions {

    private KeyOptions() {
    }

    /** {@code value}, or the content of the file it names with a leading {@code @}. */
    static String key(String value, String option) {
        if (value == null || !value.startsWith("@")) {
            return value;
        }
        Path file = Path.of(value.substring(1));
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            if (content.startsWith("-----BEGIN")) {
                return content;
            }
            return withoutFinalLineBreak(content);
        } catch (IOException e) {
            throw new ConfigurationException(option + ": cannot read key file " + file + " (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    /** {@code text} without the one line break ({@code \n} or {@code \r\n}) a file or {@code echo} ends it with. */
    static String withoutFinalLineBreak(String text) {
        return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    /** The issuer an {@code ISSUER=KIND[+ALGS]:VALUE} specification describes. */
    static JwtIssuer issuer(String spec, String option) {
        int kindStart = kindStart(spec);
        if (kindStart < 0) {
            throw new ConfigurationException(option + ": '" + excerpt(spec) + "' is not ISSUER=KIND:VALUE"
                    + " (KIND: hmac, pem or jwks; e.g. https://auth.example.com=jwks:https://auth.example.com/jwks.json)");
        }
        String issuer = spec.substring(0, kindStart - 1);
        int colon = spec.indexOf(':', kindStart);
        String kind = spec.substring(kindStart, colon);
        String[] algorithms = new String[0];
        int plus = kind.indexOf('+');
        if (plus >= 0) {
            algorithms = kind.substring(plus + 1).split(",");
            kind = kind.substring(0, plus);
        }
        String value = spec.substring(colon + 1);
        JwtIssuer.Builder b = JwtIssuer.builder(issuer);
        try {
            switch (kind.toLowerCase(Locale.ROOT)) {
                case "hmac" -> b.hmacSecret(key(value, option), algorithms);
                case "pem" -> b.publicKeyPem(key(value, option), algorithms);
                default -> b.jwksUrl(new URI(value), algorithms);
            }
            return b.build();
        } catch (URISyntaxException e) {
            throw new ConfigurationException(option + ": JWK Set URL of " + issuer + " is not a URL: " + e.getReason());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(option + ": " + e.getMessage());
        }
    }

    /** Where {@code KIND} starts: just after the last {@code =} that is followed by a known kind and a colon. */
    private static int kindStart(String spec) {
        for (int eq = spec.lastIndexOf('='); eq > 0; eq = spec.lastIndexOf('=', eq - 1)) {
            String rest = spec.substring(eq + 1).toLowerCase(Locale.ROOT);
            for (String kind : new String[] {"hmac", "pem", "jwks"}) {
                if (rest.startsWith(kind + ":") || rest.startsWith(kind + "+") && rest.indexOf(':') > kind.length()) {
                    return eq + 1;
                }
            }
        }
        return -1;
    }

    /** The issuer part of a specification, for messages (never the secret after it). */
    private static String excerpt(String spec) {
        int eq = spec.indexOf('=');
        return eq < 0 ? "(value not shown)" : spec.substring(0, eq) + "=…";
    }
}
