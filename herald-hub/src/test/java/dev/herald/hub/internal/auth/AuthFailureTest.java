package dev.herald.hub.internal.auth;

import static dev.herald.hub.internal.auth.Mint.METADATA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Mercure §"Error Responses" (RFC 6750 §3, RFC 9728 §5.1): exact statuses and challenges. */
class AuthFailureTest {

    static Stream<Arguments> challenges() {
        return Stream.of(
                arguments(AuthFailure.missingToken(METADATA), 401,
                        "Bearer resource_metadata=\"" + METADATA + "\""),
                arguments(AuthFailure.invalidToken(METADATA), 401,
                        "Bearer error=\"invalid_token\", resource_metadata=\"" + METADATA + "\""),
                arguments(AuthFailure.insufficientScope(METADATA), 403,
                        "Bearer error=\"insufficient_scope\", resource_metadata=\"" + METADATA + "\""),
                arguments(AuthFailure.invalidRequest(), 400, "Bearer error=\"invalid_request\""),
                arguments(AuthFailure.of(AuthFailure.Kind.INVALID_REQUEST, METADATA), 400,
                        "Bearer error=\"invalid_request\""),
                arguments(AuthFailure.missingToken(null), 401, "Bearer"),
                arguments(AuthFailure.invalidToken(null), 401, "Bearer error=\"invalid_token\""),
                arguments(AuthFailure.insufficientScope(null), 403, "Bearer error=\"insufficient_scope\""));
    }

    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("challenges")
    void producesExactChallenge(AuthFailure failure, int status, String wwwAuthenticate) {
        assertThat(failure.status()).isEqualTo(status);
        assertThat(failure.wwwAuthenticate()).isEqualTo(wwwAuthenticate);
        assertThat(failure.body()).isNotBlank().doesNotContain("expired", "signature", "iss", "aud");
    }

    @Test
    void quotesAndEscapesParameterValues() {
        assertThat(AuthFailure.quoted("a\"b\\c\td")).isEqualTo("\"a\\\"b\\\\c\td\"");
    }

    @Test
    void refusesValuesThatCouldInjectHeaderLines() {
        assertThatThrownBy(() -> AuthFailure.missingToken("https://x.example/\r\nSet-Cookie: a=b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+000D");
        assertThatThrownBy(() -> AuthFailure.missingToken("https://x.example/\u00e9"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
