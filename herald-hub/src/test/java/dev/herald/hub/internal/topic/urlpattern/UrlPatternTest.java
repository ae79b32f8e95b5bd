package dev.herald.hub.internal.topic.urlpattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.herald.hub.internal.topic.url.WhatwgUrl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UrlPatternTest {

    private static final WhatwgUrl HUB = WhatwgUrl.parse("https://hub.example.com/.well-known/mercure").orElseThrow();

    private static Arguments row(String pattern, String topic, boolean matches) {
        return Arguments.of(pattern, topic, matches);
    }

    /** Pattern, topic (resolved against the hub URL), and whether the pattern selects the topic. */
    static Stream<Arguments> table() {
        List<Arguments> rows = new ArrayList<>();
        // named groups stop at '/', full wildcards cross it
        String books = "https://example.com/books/:id";
        rows.add(row(books, "https://example.com/books/1", true));
        rows.add(row(books, "https://example.com/books/the-hobbit.html", true));
        rows.add(row(books, "https://example.com/books/1/reviews", false));
        rows.add(row(books, "https://example.com/books/", false));
        rows.add(row(books, "https://example.com/books", false));
        rows.add(row(books, "https://example.com/books/1?page=2#top", true));
        rows.add(row(books, "https://example.com/BOOKS/1", false));
        rows.add(row(books, "http://example.com/books/1", false));
        rows.add(row(books, "wss://example.com/books/1", false));
        rows.add(row(books, "https://example.org/books/1", false));
        rows.add(row(books, "https://sub.example.com/books/1", false));
        rows.add(row(books, "https://user:pass@example.com/books/1", true));
        // hosts are case-insensitive, default ports are canonicalized, other ports are not
        rows.add(row(books, "https://EXAMPLE.COM/books/1", true));
        rows.add(row("https://EXAMPLE.com/books/:id", "https://example.com/books/1", true));
        rows.add(row(books, "https://example.com:443/books/1", true));
        rows.add(row("https://example.com:443/books/:id", "https://example.com/books/1", true));
        rows.add(row(books, "https://example.com:8443/books/1", false));
        rows.add(row("https://example.com:8443/books/:id", "https://example.com:8443/books/1", true));
        rows.add(row("https://example.com:*/books/:id", "https://example.com:8443/books/1", true));
        rows.add(row("https://example.com:*/books/:id", "https://example.com/books/1", true));
        rows.add(row("http://example.com:80/*", "http://example.com/x", true));
        rows.add(row("HTTPS://example.com/*", "https://example.com/x", true));
        String all = "https://example.com/users/42/*";
        rows.add(row(all, "https://example.com/users/42/", true));
        rows.add(row(all, "https://example.com/users/42/books/1/reviews", true));
        rows.add(row(all, "https://example.com/users/42", false));
        rows.add(row(all, "https://example.com/users/420/x", false));
        rows.add(row("https://example.com/*", "https://example.com/", true));
        rows.add(row("https://example.com", "https://example.com/any/path?q#h", true));
        rows.add(row("https://example.com", "https://example.com:8443/", false));
        rows.add(row("https://*", "https://anything.example/x", true));
        rows.add(row("https://*", "https://anything.example:1234/x", false));
        rows.add(row("https://*:*", "https://anything.example:1234/x", true));
        rows.add(row("*://example.com/*", "ftp://example.com/x", true));
        // paths are case-sensitive and compared after canonicalization
        rows.add(row("https://example.com/Foo", "https://example.com/foo", false));
        rows.add(row("https://example.com/a/b", "https://example.com/a/./x/../b", true));
        rows.add(row("https://example.com/a/../b", "https://example.com/b", true));
        rows.add(row("https://example.com/caf\u00e9", "https://example.com/caf%C3%A9", true));
        rows.add(row("https://example.com/caf\u00e9", "https://example.com/caf\u00e9", true));
        rows.add(row("https://example.com/caf%c3%a9", "https://example.com/caf\u00e9", false));
        rows.add(row("https://example.com/a b", "https://example.com/a%20b", true));
        rows.add(row("https://caf\u00e9.com/*", "https://xn--caf-dma.com/x", true));
        rows.add(row("https://xn--caf-dma.com/*", "https://caf\u00e9.com/x", true));
        // modifiers and groups
        String optional = "https://example.com/foo/:bar?";
        rows.add(row(optional, "https://example.com/foo", true));
        rows.add(row(optional, "https://example.com/foo/x", true));
        rows.add(row(optional, "https://example.com/foo/", false));
        rows.add(row(optional, "https://example.com/foobar", false));
        rows.add(row(optional, "https://example.com/foo/x/y", false));
        String oneOrMore = "https://example.com/foo/:bar+";
        rows.add(row(oneOrMore, "https://example.com/foo/x/y/z", true));
        rows.add(row(oneOrMore, "https://example.com/foo", false));
        rows.add(row(oneOrMore, "https://example.com/foo/", false));
        String zeroOrMore = "https://example.com/foo/:bar*";
        rows.add(row(zeroOrMore, "https://example.com/foo", true));
        rows.add(row(zeroOrMore, "https://example.com/foo/x/y", true));
        rows.add(row(zeroOrMore, "https://example.com/foo/", false));
        rows.add(row("https://example.com/foo{/bar}?", "https://example.com/foo", true));
        rows.add(row("https://example.com/foo{/bar}?", "https://example.com/foo/bar", true));
        rows.add(row("https://example.com/foo{/bar}?", "https://example.com/foo/baz", false));
        rows.add(row("https://example.com/foo{/bar}+", "https://example.com/foo/bar/bar", true));
        rows.add(row("https://example.com/foo{/bar}*", "https://example.com/foo", true));
        rows.add(row("https://example.com/foo{/bar}*", "https://example.com/foo/bar/baz", false));
        rows.add(row("https://example.com/:name.html", "https://example.com/index.html", true));
        rows.add(row("https://example.com/:name.html", "https://example.com/index.htm", false));
        rows.add(row("https://example.com/{:name.}?html", "https://example.com/html", true));
        rows.add(row("https://example.com/files/*.pdf", "https://example.com/files/a/b.pdf", true));
        rows.add(row("https://example.com/files/*.pdf", "https://example.com/files/a/b.txt", false));
        rows.add(row("https://example.com/(foo|bar)", "https://example.com/bar", true));
        rows.add(row("https://example.com/(foo|bar)", "https://example.com/baz", false));
        rows.add(row("https://example.com/:id(\\d+)", "https://example.com/123", true));
        rows.add(row("https://example.com/:id(\\d+)", "https://example.com/12a", false));
        rows.add(row("https://example.com/:id(\\d{2,3})", "https://example.com/1234", false));
        rows.add(row("https://example.com/:id([a-f0-9\\-]{3})", "https://example.com/a-1", true));
        rows.add(row("https://example.com/:id([a-f0-9\\-]{36})", "https://example.com/123", false));
        rows.add(row("https://example.com/:id([[a-z]--[aeiou]]+)", "https://example.com/bcd", true));
        rows.add(row("https://example.com/:id([[a-z]--[aeiou]]+)", "https://example.com/bad", false));
        rows.add(row("https://example.com/([\\d&&[0-1]])", "https://example.com/0", true));
        rows.add(row("https://example.com/([\\d&&[0-1]])", "https://example.com/3", false));
        rows.add(row("https://example.com/([^\\/]+)/x", "https://example.com/a/x", true));
        rows.add(row("https://example.com/([^\\/]+?)/x", "https://example.com/a/b/x", false));
        rows.add(row("https://example.com/(.*)", "https://example.com/a/b/c", true));
        rows.add(row("https://example.com/(\\w+)\\.(json|xml)", "https://example.com/data.xml", true));
        rows.add(row("https://example.com/(\\w+(?:\\.json|\\.xml))", "https://example.com/data.json", true));
        rows.add(row("https://example.com/((?<year>\\d{4})-\\d{2})", "https://example.com/2024-05", true));
        rows.add(row("https://example.com/(a\\/b)", "https://example.com/a/b", true));
        rows.add(row("https://example.com/:a-:b", "https://example.com/x-y", true));
        // hostnames: ':sub' stops at '.', '*' crosses it
        rows.add(row("https://:sub.example.com/*", "https://api.example.com/x", true));
        rows.add(row("https://:sub.example.com/*", "https://a.b.example.com/x", false));
        rows.add(row("https://*.example.com/*", "https://a.b.example.com/x", true));
        rows.add(row("https://*.example.com/*", "https://example.com/x", false));
        rows.add(row("https://{*.}?example.com/*", "https://example.com/x", true));
        rows.add(row("http{s}?://{*.}?example.com/:product/:endpoint", "https://sub.example.com/foo/bar", true));
        rows.add(row("http{s}?://{*.}?example.com/:product/:endpoint", "http://example.com/foo/bar", true));
        rows.add(row("http{s}?://{*.}?example.com/:product/:endpoint", "ws://example.com/foo/bar", false));
        rows.add(row("http://[\\:\\:1]/", "http://[::1]/", true));
        rows.add(row("http://[\\:\\:1]/", "http://[0:0::1]/", true));
        rows.add(row("http://[:address]/", "http://[::1]/", true));
        rows.add(row("http://127.0.0.1/*", "http://0x7f.1/x", true));
        // search and hash
        rows.add(row("https://example.com/x?foo", "https://example.com/x?foo", true));
        rows.add(row("https://example.com/x?foo", "https://example.com/x?bar", false));
        rows.add(row("https://example.com/x?foo", "https://example.com/x", false));
        rows.add(row("https://example.com/x", "https://example.com/x?anything", true));
        rows.add(row("https://example.com/x?*", "https://example.com/x", true));
        rows.add(row("https://example.com/x?lang=:lang", "https://example.com/x?lang=fr", true));
        rows.add(row("https://example.com/x#frag", "https://example.com/x#frag", true));
        rows.add(row("https://example.com/x#frag", "https://example.com/x?q#frag", false));
        rows.add(row("https://example.com/x#frag", "https://example.com/x#other", false));
        rows.add(row("https://example.com/x?q#*", "https://example.com/x?q#any", true));
        rows.add(row("https://example.com/*\\?foo", "https://example.com/?foo", true));
        rows.add(row("https://example.com/:name\\?foo", "https://example.com/bar?foo", true));
        rows.add(row("https://example.com/:name?foo", "https://example.com/bar?foo", false));
        // escaping
        rows.add(row("https://example.com/\\:literal", "https://example.com/:literal", true));
        rows.add(row("https://example.com/a\\*b", "https://example.com/a*b", true));
        rows.add(row("https://example.com/a\\*b", "https://example.com/aXb", false));
        rows.add(row("https://example.com/a\\(b\\)", "https://example.com/a(b)", true));
        // relative patterns resolve against the hub URL (Mercure §"URL Pattern")
        String events = "/.well-known/mercure/subscriptions/:type/:topic/:subscriber";
        rows.add(row(events, "/.well-known/mercure/subscriptions/exact/https%3A%2F%2Fexample.com%2F1/urn%3Auuid%3A1",
                true));
        rows.add(row(events, "https://hub.example.com/.well-known/mercure/subscriptions/a/b/c", true));
        rows.add(row(events, "https://HUB.example.com:443/.well-known/mercure/subscriptions/a/b/c", true));
        rows.add(row(events, "https://other.example/.well-known/mercure/subscriptions/a/b/c", false));
        rows.add(row(events, "http://hub.example.com/.well-known/mercure/subscriptions/a/b/c", false));
        rows.add(row(events, "https://hub.example.com:8443/.well-known/mercure/subscriptions/a/b/c", false));
        rows.add(row(events, "/.well-known/mercure/subscriptions/a/b", false));
        rows.add(row("/books/:id", "/books/1", true));
        rows.add(row("/books/:id", "https://hub.example.com/books/1", true));
        rows.add(row("/books/:id", "books/1", false));
        rows.add(row("books/:id", "/.well-known/books/1", true));
        rows.add(row("../books/*", "/books/x", true));
        rows.add(row("?topic=:t", "https://hub.example.com/.well-known/mercure?topic=x", true));
        rows.add(row("?topic=:t", "https://hub.example.com/other?topic=x", false));
        rows.add(row("#:id", "#42", true));
        rows.add(row("", "/.well-known/", true));
        // non-special schemes: absolute patterns get no base, opaque paths match literally
        rows.add(row("urn\\:uuid\\:*", "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66", true));
        rows.add(row("urn\\:uuid\\:*", "urn:isbn:0451450523", false));
        rows.add(row("urn\\:isbn\\::isbn", "urn:isbn:0451450523", true));
        rows.add(row("data\\:foobar", "data:foobar", true));
        rows.add(row("data\\:foobar", "data:foobaz", false));
        rows.add(row("foo://bar/*", "foo://bar/x", true));
        rows.add(row("foo://bar/*", "foo://BAR/x", true));
        rows.add(row("foo://bar/*", "foo://baz/x", false));
        // topics that are not URL references never match
        rows.add(row("*://*/*", "https://exa mple.com/", false));
        rows.add(row("https://*/*", "https://[::1/", false));
        return rows.stream();
    }

    @ParameterizedTest(name = "[{index}] {0} ~ {1} -> {2}")
    @MethodSource("table")
    void matchesTopicsPerTheUrlPatternStandard(String pattern, String topic, boolean expected)
            throws UrlPatternException {
        UrlPattern compiled = UrlPattern.compile(pattern, HUB);

        boolean actual = WhatwgUrl.parse(topic, HUB).map(compiled::matches).orElse(false);

        assertThat(actual).as(compiled.describe()).isEqualTo(expected);
    }

    /** Pattern and the start of the refusal message. */
    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("https://example.com/:id/:id", "pathname: duplicate group name"),
                Arguments.of("https://example.com/(\\m)", "pathname: invalid regular expression: invalid escape '\\m'"),
                Arguments.of("https://example.com/(a)(?=b)", "pathname: unterminated regexp group"),
                Arguments.of("https://example.com/((?=a)b)", "pathname: invalid regular expression: lookaround"),
                Arguments.of("https://example.com/((?!a)b)", "pathname: invalid regular expression: lookaround"),
                Arguments.of("https://example.com/((?<=a)b)", "pathname: invalid regular expression: lookaround"),
                Arguments.of("https://example.com/(a\\1)", "pathname: invalid regular expression: backreferences"),
                Arguments.of("https://example.com/((?<x>a)\\k<x>)", "pathname: invalid regular expression: backreferences"),
                Arguments.of("https://example.com/(\\p{L}+)", "pathname: invalid regular expression: Unicode property"),
                Arguments.of("https://example.com/([\\q{abc}])", "pathname: invalid regular expression: class string"),
                Arguments.of("https://example.com/((?i:a))", "pathname: invalid regular expression: unsupported group"),
                Arguments.of("https://example.com/([a-])", "pathname: invalid regular expression: unescaped ']'"),
                Arguments.of("https://example.com/([z-a])", "pathname: invalid regular expression: character class range out of order"),
                Arguments.of("https://example.com/([a&&&b])", "pathname: invalid regular expression: '&&&'"),
                Arguments.of("https://example.com/([ab--c])", "pathname: invalid regular expression: mixed class set operators"),
                Arguments.of("https://example.com/([a!!b])", "pathname: invalid regular expression: reserved double punctuator"),
                Arguments.of("https://example.com/(a{2,1})", "pathname: invalid regular expression: numbers out of order"),
                Arguments.of("https://example.com/(a{)", "pathname: invalid regular expression: incomplete quantifier"),
                Arguments.of("https://example.com/(a**)", "pathname: invalid regular expression: nothing to repeat"),
                Arguments.of("https://example.com/(a])", "pathname: invalid regular expression: lone ']'"),
                Arguments.of("https://example.com/(^*)", "pathname: invalid regular expression: nothing to repeat"),
                Arguments.of("https://example.com/(\\uD800)", "pathname: invalid regular expression: lone surrogates"),
                Arguments.of("https://example.com/((?:a{1000}){2})", "pathname: invalid regular expression: nested repetition"),
                Arguments.of("https://example.com/(a{1001})", "pathname: invalid regular expression: repetition count over 1000"),
                Arguments.of("https://example.com/(caf\u00e9)", "pathname: non-ASCII character in a regexp group"),
                Arguments.of("https://example.com/(a(b))", "pathname: capturing group inside a regexp group"),
                Arguments.of("https://example.com/()", "pathname: empty regexp group"),
                Arguments.of("https://example.com/:", "pathname: ':' not followed by a group name"),
                Arguments.of("https://example.com/a\\", "pathname: trailing '\\'"),
                Arguments.of("https://example.com/{a", "pathname: unbalanced '{'"),
                Arguments.of("https://example.com/a}", "pathname: unexpected character"),
                Arguments.of("https://example.com/a++", "pathname: unexpected character"),
                Arguments.of("https://{sub{.}}example.com/foo", "hostname: unbalanced '{'"),
                Arguments.of("https://bad host/", "hostname: invalid hostname"),
                Arguments.of("https://{bad\\:host}/", "hostname: invalid hostname: ':'"),
                Arguments.of("https://example.com/(?:a)", "pathname: unterminated regexp group"),
                Arguments.of("https://example.com/([a-f0-9-])", "pathname: invalid regular expression: unescaped '-'"),
                Arguments.of("https://example.com/([^/])", "pathname: invalid regular expression: unescaped '/'"),
                Arguments.of("https://bad^host/", "hostname: invalid hostname"),
                Arguments.of("https://[\\:\\:xy]/", "hostname: invalid IPv6 hostname"),
                Arguments.of("https://example.com:99999/", "port: invalid port: over 65535"),
                Arguments.of("https://example.com:8a/", "port: invalid port"),
                Arguments.of("(caf\u00e9)://foo", "protocol: non-ASCII character in a regexp group"),
                Arguments.of("1http\\://example.com", "protocol: invalid protocol"),
                Arguments.of("/a:1", "protocol: invalid protocol"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void refusesMalformedOrUnsupportedPatterns(String pattern, String message) {
        assertThatThrownBy(() -> UrlPattern.compile(pattern, HUB))
                .isInstanceOf(UrlPatternException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void evaluatesCatastrophicBacktrackingPatternsInLinearTime() throws UrlPatternException {
        // (a+)+b, (a|a)+b and (a|aa)+b take exponential time on a backtracking engine
        List<UrlPattern> patterns = List.of(
                UrlPattern.compile("https://example.com/((?:a+)+b)", HUB),
                UrlPattern.compile("https://example.com/((?:a|a)+b)", HUB),
                UrlPattern.compile("https://example.com/((?:a|aa)+b)", HUB),
                UrlPattern.compile("https://example.com/(.*.*.*.*.*.*=x)", HUB),
                UrlPattern.compile("https://example.com/:a+:b+:c+/x", HUB));
        String a = "a".repeat(20_000);
        WhatwgUrl nearMiss = WhatwgUrl.parse("https://example.com/" + a + "c").orElseThrow();
        WhatwgUrl hit = WhatwgUrl.parse("https://example.com/" + a + "b").orElseThrow();

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (UrlPattern pattern : patterns) {
                assertThat(pattern.matches(nearMiss)).isFalse();
            }
            assertThat(patterns.get(0).matches(hit)).isTrue();
        });
    }

    @Test
    void refusesPatternsWhoseProgramIsTooLargeToMatchCheaply() {
        // each group is within RE2's repetition limit; together they exceed the program bound
        String huge = "https://example.com/" + "([ab]{0,100})".repeat(6);
        assertThat(catchUrlPatternException("https://example.com/" + "([ab]{0,100})")).isNull();

        assertThatThrownBy(() -> UrlPattern.compile(huge, HUB))
                .isInstanceOf(UrlPatternException.class)
                .hasMessageStartingWith("pathname: too complex: ");
    }

    @Test
    void leavesUnspecifiedComponentsOfAnAbsolutePatternAsWildcardsAndUnspecifiedPortsAsDefault()
            throws UrlPatternException {
        assertThat(UrlPattern.compile("https://example.com/books/:id", HUB).describe())
                .contains("protocol=<literal https>", "username=<any>", "password=<any>",
                        "hostname=<literal example.com>", "port=<literal >", "search=<any>", "hash=<any>");
        assertThat(UrlPattern.compile("/.well-known/mercure/x", HUB).describe())
                .contains("protocol=<literal https>", "hostname=<literal hub.example.com>", "port=<literal >",
                        "pathname=<literal /.well-known/mercure/x>", "search=<any>", "hash=<any>");
        assertThat(UrlPattern.compile("?q", HUB).describe())
                .contains("pathname=<literal /.well-known/mercure>", "search=<literal q>", "hash=<any>");
    }

    private static UrlPatternException catchUrlPatternException(String pattern) {
        try {
            UrlPattern.compile(pattern, HUB);
            return null;
        } catch (UrlPatternException e) {
            return e;
        }
    }

    @Test
    void relativePatternsInheritAnExplicitHubPort() throws UrlPatternException {
        WhatwgUrl hub = WhatwgUrl.parse("http://localhost:8080/.well-known/mercure").orElseThrow();
        UrlPattern pattern = UrlPattern.compile("/books/:id", hub);

        assertThat(pattern.matches(WhatwgUrl.parse("/books/1", hub).orElseThrow())).isTrue();
        assertThat(pattern.matches(WhatwgUrl.parse("http://localhost/books/1").orElseThrow())).isFalse();
    }
}
