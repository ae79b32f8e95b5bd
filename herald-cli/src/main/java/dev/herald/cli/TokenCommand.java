package dev.herald.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code herald token}: mints an access token. */
@Command(name = "token",
        mixinStandardHelpOptions = true,
        description = "Mint a Mercure access token (at+jwt) granting publish and/or subscribe.",
        footer = {"",
                "Examples:",
                "  export HERALD_TOKEN=$(herald token --publish '*')  # HERALD_PUBLISHER_JWT_KEY",
                "  herald token --key @hub.key --publish https://example.com/books/1 \\",
                "      --lifetime 10m",
                "  herald token --subscribe 'https://example.com/users/42/:path*' \\",
                "      --url-patterns --lifetime 1h --subject user-42 \\",
                "      --audience https://hub.example.com/.well-known/mercure",
                "  herald token --alg ES256 --key @issuer-private.pem \\",
                "      --issuer https://auth.example.com --publish '*'",
                "",
                "The token goes to standard output; nothing else does. Exit codes: 0 minted;",
                "2 bad usage (no matcher, a key too short for its algorithm, an unreadable key",
                "file)."})
final class TokenCommand implements Callable<Integer> {

    @Option(names = "--key", defaultValue = "${env:HERALD_PUBLISHER_JWT_KEY}",
            description = "HMAC secret, or PEM private key, to sign with, or @FILE to read it from a file "
                    + "(env HERALD_PUBLISHER_JWT_KEY; one of the two is needed).")
    String key;

    @Option(names = "--alg", defaultValue = "${env:HERALD_PUBLISHER_JWT_ALG:-HS256}",
            description = "Signature algorithm (default: ${DEFAULT-VALUE}).")
    String algorithm;

    @Option(names = "--issuer", defaultValue = "${env:HERALD_JWT_ISSUER:-herald}", description = "iss claim (default: ${DEFAULT-VALUE}).")
    String issuer;

    @Option(names = "--audience", defaultValue = "${env:HERALD_JWT_AUDIENCE:-http://localhost:8080/.well-known/mercure}",
            description = "aud claim: the hub's resource identifier (default: ${DEFAULT-VALUE}).")
    String audience;

    @Option(names = "--subject", defaultValue = "herald-cli", description = "sub claim (default: ${DEFAULT-VALUE}).")
    String subject;

    @Option(names = "--publish", description = "Topic matcher granted publish; repeatable; '*' for all.")
    List<String> publish = new ArrayList<>();

    @Option(names = "--subscribe", description = "Topic matcher granted subscribe; repeatable; '*' for all.")
    List<String> subscribe = new ArrayList<>();

    @Option(names = "--url-patterns", description = "The matchers are URL patterns, not exact topics.")
    boolean urlPatterns;

    @Option(names = "--lifetime", defaultValue = "1h", converter = Converters.DurationConverter.class,
            description = "How long the token is valid (default: ${DEFAULT-VALUE}).")
    Duration lifetime;

    @Override
    public Integer call() {
        if (key == null || key.isEmpty()) {
            throw new ConfigurationException("give --key or set HERALD_PUBLISHER_JWT_KEY: the key to sign the token with");
        }
        if (publish.isEmpty() && subscribe.isEmpty()) {
            throw new ConfigurationException("give at least one --publish or --subscribe matcher");
        }
        if (lifetime.isZero() || lifetime.isNegative()) {
            throw new ConfigurationException("--lifetime: " + lifetime + " (expected: > 0)");
        }
        System.out.println(TokenMinter.mint(KeyOptions.key(key, "--key"), algorithm, issuer, audience, subject, publish, subscribe, urlPatterns,
                lifetime));
        return 0;
    }
}
