package dev.herald.hub.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.herald.hub.internal.auth.TokenPresentation.Kind;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Mercure §"Presenting the Access Token": header syntax, cookie parsing, and their precedence. */
class TokenExtractorTest {

    static final String TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl";
    static final String COOKIE = AuthConfig.DEFAULT_COOKIE_NAME;
    static final TokenExtractor EXTRACTOR = TokenExtractor.ofCookieName(COOKIE);

    static Stream<Arguments> authorizationHeaders() {
        return Stream.of(
                arguments("Bearer " + TOKEN, Kind.PRESENT, TOKEN),
                arguments("bearer " + TOKEN, Kind.PRESENT, TOKEN),
                arguments("BEARER " + TOKEN, Kind.PRESENT, TOKEN),
                arguments(" \tBearer " + TOKEN + " \t", Kind.PRESENT, TOKEN),
                arguments("Bearer abc==", Kind.PRESENT, "abc=="),
                arguments("Bearer a-._~+/Z9", Kind.PRESENT, "a-._~+/Z9"),
                arguments("Bearer  " + TOKEN, Kind.MALFORMED, null),
                arguments("Bearer\t" + TOKEN, Kind.MALFORMED, null),
                arguments("Bearer" + TOKEN, Kind.MALFORMED, null),
                arguments("Bearer", Kind.MALFORMED, null),
                arguments("Bearer ", Kind.MALFORMED, null),
                arguments("", Kind.MALFORMED, null),
                arguments("Basic dXNlcjpwYXNz", Kind.MALFORMED, null),
                arguments("Bearer " + TOKEN + " extra", Kind.MALFORMED, null),
                arguments("Bearer " + TOKEN + ", Bearer " + TOKEN, Kind.MALFORMED, null),
                arguments("Bearer =abc", Kind.MALFORMED, null),
                arguments("Bearer abc=def", Kind.MALFORMED, null),
                arguments("Bearer abc\"", Kind.MALFORMED, null),
                arguments("Bearer tok\u00e9n", Kind.MALFORMED, null));
    }

    @ParameterizedTest(name = "[{0}] is {1}")
    @MethodSource("authorizationHeaders")
    void parsesAuthorizationHeader(String header, Kind kind, String token) {
        TokenPresentation presented = EXTRACTOR.extract(header, null);

        assertThat(presented.kind()).isEqualTo(kind);
        assertThat(presented.token().orElse(null)).isEqualTo(token);
        assertThat(presented.source()).hasValue(TokenSource.AUTHORIZATION_HEADER);
        assertThat(presented.toString()).doesNotContain(TOKEN);
    }

    static Stream<Arguments> cookieHeaders() {
        return Stream.of(
                arguments(COOKIE + "=" + TOKEN, Kind.PRESENT, TOKEN),
                arguments("a=b; " + COOKIE + "=" + TOKEN + "; c=d", Kind.PRESENT, TOKEN),
                arguments("a=b;" + COOKIE + "=" + TOKEN, Kind.PRESENT, TOKEN),
                arguments(COOKIE + "=\"" + TOKEN + "\"", Kind.PRESENT, TOKEN),
                arguments(COOKIE + "=first; " + COOKIE + "=second", Kind.PRESENT, "first"),
                arguments("a=b; c=d", Kind.ABSENT, null),
                arguments("", Kind.ABSENT, null),
                arguments(COOKIE + "=", Kind.ABSENT, null),
                arguments(COOKIE + "=\"\"", Kind.ABSENT, null),
                arguments("x" + COOKIE + "=" + TOKEN, Kind.ABSENT, null),
                arguments(COOKIE + "_old=" + TOKEN, Kind.ABSENT, null),
                arguments("mercureAuthorization=" + TOKEN, Kind.ABSENT, null),
                arguments(COOKIE + "=a b", Kind.MALFORMED, null),
                arguments(COOKIE + "=a,b", Kind.MALFORMED, null));
    }

    @ParameterizedTest(name = "[{0}] is {1}")
    @MethodSource("cookieHeaders")
    void parsesCookieHeaderWhenThereIsNoAuthorizationHeader(String cookie, Kind kind, String token) {
        TokenPresentation presented = EXTRACTOR.extract(null, cookie);

        assertThat(presented.kind()).isEqualTo(kind);
        assertThat(presented.token().orElse(null)).isEqualTo(token);
        if (kind != Kind.ABSENT) {
            assertThat(presented.source()).hasValue(TokenSource.COOKIE);
        }
        assertThat(presented.toString()).doesNotContain(TOKEN);
    }

    @Test
    void nothingPresentedIsAbsent() {
        assertThat(EXTRACTOR.extract(null, null).kind()).isEqualTo(Kind.ABSENT);
        assertThat(EXTRACTOR.extract(null, null).source()).isEmpty();
    }

    @Test
    void authorizationHeaderWinsOverCookie() {
        TokenPresentation presented = EXTRACTOR.extract("Bearer header-token", COOKIE + "=cookie-token");

        assertThat(presented.token()).hasValue("header-token");
        assertThat(presented.source()).hasValue(TokenSource.AUTHORIZATION_HEADER);
    }

    @Test
    void malformedCookieIsIgnoredWhenAuthorizationHeaderIsPresent() {
        TokenPresentation presented = EXTRACTOR.extract("Bearer header-token", COOKIE + "=not a token");

        assertThat(presented.kind()).isEqualTo(Kind.PRESENT);
        assertThat(presented.token()).hasValue("header-token");
    }

    @Test
    void malformedAuthorizationHeaderDoesNotFallBackToCookie() {
        TokenPresentation presented = EXTRACTOR.extract("Bearer", COOKIE + "=" + TOKEN);

        assertThat(presented.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(presented.source()).hasValue(TokenSource.AUTHORIZATION_HEADER);
        assertThat(presented.problem()).isPresent();
    }

    @Test
    void cookieNameIsConfigurable() {
        TokenExtractor extractor = TokenExtractor.ofCookieName("hub2_token");

        assertThat(extractor.extract(null, COOKIE + "=a; hub2_token=b").token()).hasValue("b");
    }

    @Test
    void headerOnlyExtractorIgnoresCookies() {
        TokenExtractor extractor = TokenExtractor.of(AuthConfig.builder(Mint.HUB).cookieAuthentication(false).build());

        assertThat(extractor.extract(null, COOKIE + "=" + TOKEN).kind()).isEqualTo(Kind.ABSENT);
        assertThat(extractor.extract("Bearer " + TOKEN, null).token()).hasValue(TOKEN);
    }

    static final TokenExtractor LEGACY = TokenExtractor.of(AuthConfig.builder(Mint.HUB).mercure0x(true).build());
    static final String OLD_COOKIE = AuthConfig.LEGACY_COOKIE_NAME;

    @Test
    void inCompatibilityModeTheAuthorizationQueryParameterIsAnExplicitPresentation() {
        TokenPresentation fromQuery = LEGACY.extract(null, List.of(TOKEN), COOKIE + "=cookie-token");
        assertThat(fromQuery.token()).hasValue(TOKEN);
        assertThat(fromQuery.source()).hasValue(TokenSource.QUERY_PARAMETER);
        assertThat(fromQuery.toString()).doesNotContain(TOKEN);

        // two explicit presentations are one too many (RFC 6750 §2)
        TokenPresentation both = LEGACY.extract("Bearer " + TOKEN, List.of(TOKEN), null);
        assertThat(both.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(LEGACY.extract(null, List.of(TOKEN, TOKEN), null).kind()).isEqualTo(Kind.MALFORMED);
        assertThat(LEGACY.extract(null, List.of("not a token"), null).kind()).isEqualTo(Kind.MALFORMED);
    }

    @Test
    void withoutCompatibilityATokenInTheUrlIsRefusedNotIgnored() {
        TokenPresentation alone = EXTRACTOR.extract(null, List.of(TOKEN), COOKIE + "=" + TOKEN);
        assertThat(alone.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(alone.source()).hasValue(TokenSource.QUERY_PARAMETER);
        assertThat(alone.problem()).hasValue(TokenExtractor.URL_TOKEN_REFUSED);
        // beside an Authorization header it is no presentation at all, and the header is used
        assertThat(EXTRACTOR.extract("Bearer header-token", List.of(TOKEN), null).token()).hasValue("header-token");
    }

    @Test
    void inCompatibilityModeThePreOneCookieIsReadAfterTheConfiguredOne() {
        assertThat(LEGACY.extract(null, OLD_COOKIE + "=" + TOKEN).token()).hasValue(TOKEN);
        assertThat(LEGACY.extract(null, OLD_COOKIE + "=" + TOKEN).source()).hasValue(TokenSource.COOKIE);
        assertThat(LEGACY.extract(null, OLD_COOKIE + "=old; " + COOKIE + "=new").token()).hasValue("new");
        assertThat(LEGACY.extract(null, COOKIE + "=; " + OLD_COOKIE + "=old").token()).hasValue("old");
        assertThat(LEGACY.extract(null, OLD_COOKIE + "=not a token").kind()).isEqualTo(Kind.MALFORMED);
        assertThat(EXTRACTOR.extract(null, OLD_COOKIE + "=" + TOKEN).kind()).isEqualTo(Kind.ABSENT);
    }
}
