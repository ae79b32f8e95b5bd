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
                "  herald token --key \"$HERALD_PUBLISHER_JWT_KEY\" --publish '*'",
                "  herald token --key \"$KEY\" --subscribe 'https://example.com/users/42/*' --url-patterns --lifetime 1h"})
final class TokenCommand implements Callable<Integer> {

    @Option(names = "--key", required = true, defaultValue = "${env:HERALD_PUBLISHER_JWT_KEY}",
            description = "HMAC secret, or PEM private key, to sign with (env HERALD_PUBLISHER_JWT_KEY).")
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
        if (publish.isEmpty() && subscribe.isEmpty()) {
            throw new ConfigurationException("give at least one --publish or --subscribe matcher");
        }
        System.out.println(TokenMinter.mint(key, algorithm, issuer, audience, subject, publish, subscribe, urlPatterns,
                lifetime));
        return 0;
    }
}
