package dev.herald.hub.internal.topic.url;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WhatwgUrlTest {

    private static final WhatwgUrl HUB = WhatwgUrl.parse("https://hub.example.com/.well-known/mercure").orElseThrow();

    /** Absolute input and its serialization per the URL Standard, or null when parsing fails. */
    static Stream<Arguments> absolute() {
        return Stream.of(
                // scheme and host canonicalization, default ports
                Arguments.of("https://EXAMPLE.com/a/b", "https://example.com/a/b"),
                Arguments.of("HTTP://example.com:80/", "http://example.com/"),
                Arguments.of("https://example.com:443", "https://example.com/"),
                Arguments.of("https://example.com:8443/x", "https://example.com:8443/x"),
                Arguments.of("https://example.com:0080/", "https://example.com:80/"),
                Arguments.of("http://example.com:/", "http://example.com/"),
                Arguments.of("https://example.com:65536/", null),
                Arguments.of("https://example.com:99999999999999999999/", null),
                Arguments.of("https://example.com:8a/", null),
                Arguments.of("  https://example.com/\t\n ", "https://example.com/"),
                Arguments.of("https://exa\tmple.com/", "https://example.com/"),
                Arguments.of("https:///example.com/x", "https://example.com/x"),
                Arguments.of("https:example.com", "https://example.com/"),
                Arguments.of("http://", null),
                Arguments.of("https://a b/", null),
                Arguments.of("https://a<b/", null),
                Arguments.of("https://EXAMPLE.COM./", "https://example.com./"),
                Arguments.of("https://ex%41mple.com/", "https://example.com/"),
                Arguments.of("https://ex%00mple/", null),
                Arguments.of("https://a%25b/", null),
                Arguments.of("https://caf\u00e9.com/", "https://xn--caf-dma.com/"),
                Arguments.of("https://xn--caf-dma.com/", "https://xn--caf-dma.com/"),
                // userinfo
                Arguments.of("https://user:pa ss@host/", "https://user:pa%20ss@host/"),
                Arguments.of("https://@host/", "https://host/"),
                Arguments.of("https://user@/", null),
                Arguments.of("https://a:b:c@host/", "https://a:b%3Ac@host/"),
                Arguments.of("https://a@b@host/", "https://a%40b@host/"),
                // IPv4 and IPv6
                Arguments.of("https://0x7f.1/", "https://127.0.0.1/"),
                Arguments.of("https://192.168.257/", "https://192.168.1.1/"),
                Arguments.of("https://017.0.0.1/", "https://15.0.0.1/"),
                Arguments.of("https://1.2.3.256/", null),
                Arguments.of("https://999999999999/", null),
                Arguments.of("https://1.2.3.4.5/", null),
                Arguments.of("https://[::1]/", "https://[::1]/"),
                Arguments.of("https://[0:0:0:0:0:0:0:1]:8080/", "https://[::1]:8080/"),
                Arguments.of("https://[1:0:0:2::3:0]/", "https://[1::2:0:0:3:0]/"),
                Arguments.of("https://[::ffff:192.168.0.1]/", "https://[::ffff:c0a8:1]/"),
                Arguments.of("https://[ABCD::]/", "https://[abcd::]/"),
                Arguments.of("https://[::1/", null),
                Arguments.of("https://[g::1]/", null),
                Arguments.of("https://[1:2:3:4:5:6:7:8:9]/", null),
                Arguments.of("https://[1::2::3]/", null),
                // paths
                Arguments.of("https://example.com/a/./b/../c", "https://example.com/a/c"),
                Arguments.of("https://example.com/a/%2e%2E/c", "https://example.com/c"),
                Arguments.of("https://example.com/a/.%2e", "https://example.com/"),
                Arguments.of("https://example.com/a/..", "https://example.com/"),
                Arguments.of("https://example.com/a/.", "https://example.com/a/"),
                Arguments.of("https://example.com/../../x", "https://example.com/x"),
                Arguments.of("https://example.com/foo bar", "https://example.com/foo%20bar"),
                Arguments.of("https://example.com/\u00e9?\u00e9#\u00e9", "https://example.com/%C3%A9?%C3%A9#%C3%A9"),
                Arguments.of("https://example.com/a\\b", "https://example.com/a/b"),
                Arguments.of("https://example.com/{}|^`\"<>", "https://example.com/%7B%7D|%5E%60%22%3C%3E"),
                Arguments.of("https://example.com/%zz%6d", "https://example.com/%zz%6d"),
                // queries and fragments
                Arguments.of("https://example.com/?a='b' c", "https://example.com/?a=%27b%27%20c"),
                Arguments.of("https://example.com/?a?b/c", "https://example.com/?a?b/c"),
                Arguments.of("https://example.com/#a b`#", "https://example.com/#a%20b%60#"),
                Arguments.of("https://example.com/?", "https://example.com/?"),
                Arguments.of("https://example.com/#", "https://example.com/#"),
                // non-special URLs: opaque hosts and opaque paths keep case and most characters
                Arguments.of("foo://EXAMPLE.com/?a='b'", "foo://EXAMPLE.com/?a='b'"),
                Arguments.of("foo://host/a\\b", "foo://host/a\\b"),
                Arguments.of("foo://a b/", null),
                Arguments.of("foo:///x", "foo:///x"),
                Arguments.of("foo:/a/../b", "foo:/b"),
                Arguments.of("non-spec:/.//p", "non-spec:/.//p"),
                Arguments.of("urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66", "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"),
                Arguments.of("mailto:Joe@Example.COM", "mailto:Joe@Example.COM"),
                Arguments.of("data:text/plain,a b", "data:text/plain,a b"),
                Arguments.of("data:a ?x", "data:a%20?x"),
                Arguments.of("urn:caf\u00e9", "urn:caf%C3%A9"),
                // file URLs
                Arguments.of("file:///C:/x", "file:///C:/x"),
                Arguments.of("file://localhost/x", "file:///x"),
                Arguments.of("file:/x/../y", "file:///y"),
                // relative references need a base
                Arguments.of("foo", null),
                Arguments.of("/x", null),
                Arguments.of("", null),
                Arguments.of("1http://x", null));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("absolute")
    void parsesAbsoluteUrlsLikeTheUrlStandard(String input, String expected) {
        assertThat(WhatwgUrl.parse(input).map(WhatwgUrl::href).orElse(null)).isEqualTo(expected);
    }

    /** Input resolved against the default hub URL. */
    static Stream<Arguments> relative() {
        return Stream.of(
                Arguments.of("/foo", "https://hub.example.com/foo"),
                Arguments.of("foo", "https://hub.example.com/.well-known/foo"),
                Arguments.of("./foo/../bar", "https://hub.example.com/.well-known/bar"),
                Arguments.of("../x", "https://hub.example.com/x"),
                Arguments.of("?q", "https://hub.example.com/.well-known/mercure?q"),
                Arguments.of("#f", "https://hub.example.com/.well-known/mercure#f"),
                Arguments.of("", "https://hub.example.com/.well-known/mercure"),
                Arguments.of("//other.example/x", "https://other.example/x"),
                Arguments.of("\\\\other.example\\x", "https://other.example/x"),
                Arguments.of("http:foo", "http://foo/"),
                Arguments.of("https:foo", "https://hub.example.com/.well-known/foo"),
                Arguments.of("urn:x", "urn:x"),
                Arguments.of("/.well-known/%6Dercure/x", "https://hub.example.com/.well-known/%6Dercure/x"),
                Arguments.of("/.well-known/mercure/../mercure/x", "https://hub.example.com/.well-known/mercure/x"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("relative")
    void resolvesRelativeReferencesAgainstTheBase(String input, String expected) {
        assertThat(WhatwgUrl.parse(input, HUB).map(WhatwgUrl::href)).contains(expected);
    }

    @Test
    void anOpaqueBaseOnlyResolvesFragments() {
        WhatwgUrl base = WhatwgUrl.parse("urn:x").orElseThrow();

        assertThat(WhatwgUrl.parse("y", base)).isEmpty();
        assertThat(WhatwgUrl.parse("#f", base).map(WhatwgUrl::href)).contains("urn:x#f");
    }

    @Test
    void exposesTheComponentsUrlPatternMatches() {
        WhatwgUrl url = WhatwgUrl.parse("HTTPS://u:p@EXAMPLE.com:8443/a/%7e/b?q=1#frag").orElseThrow();

        assertThat(url.scheme()).isEqualTo("https");
        assertThat(url.username()).isEqualTo("u");
        assertThat(url.password()).isEqualTo("p");
        assertThat(url.host()).isEqualTo("example.com");
        assertThat(url.port()).isEqualTo(8443);
        assertThat(url.pathname()).isEqualTo("/a/%7e/b");
        assertThat(url.query()).isEqualTo("q=1");
        assertThat(url.fragment()).isEqualTo("frag");
        assertThat(url.hasOpaquePath()).isFalse();
        assertThat(url.isSpecial()).isTrue();

        WhatwgUrl urn = WhatwgUrl.parse("urn:uuid:1").orElseThrow();
        assertThat(urn.host()).isNull();
        assertThat(urn.port()).isEqualTo(-1);
        assertThat(urn.pathname()).isEqualTo("uuid:1");
        assertThat(urn.query()).isNull();
        assertThat(urn.hasOpaquePath()).isTrue();
    }

    @Test
    void refusesTheIdnaDeviationCharactersRatherThanMappingThemTheIdna2003Way() {
        // UTS #46 non-transitional keeps U+00DF (xn--fa-hia.de); java.net.IDN would map it to "ss"
        assertThat(WhatwgUrl.parse("https://fa\u00df.de/")).isEmpty();
        assertThat(WhatwgUrl.parse("https://fass.de/")).isPresent();
    }

    @Test
    void turnsLoneSurrogatesIntoReplacementCharacters() {
        assertThat(WhatwgUrl.parse("https://example.com/\uD800").map(WhatwgUrl::pathname)).contains("/%EF%BF%BD");
    }
}
