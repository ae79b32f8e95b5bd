package dev.herald.hub.internal.topic.urlpattern;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.internal.topic.url.WhatwgUrl;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class UrlPatternPropertiesTest {

    private static final WhatwgUrl HUB = WhatwgUrl.parse("https://hub.example.com/.well-known/mercure").orElseThrow();

    @Provide
    Arbitrary<String> paths() {
        // path characters, pattern syntax characters (escaped below), dots, percent signs and non-ASCII
        return Arbitraries.strings().withChars("abcXYZ019-._~!$&'()*+,;=:@%/{}? \u00e9\u4e2d")
                .withCharRange('\uD83D', '\uD83D').ofMaxLength(24)
                .map(s -> s.replace("\uD83D", "\uD83D\uDE00"))
                // '?' would start the search; the URL parser trims trailing spaces off a whole topic
                .filter(s -> s.indexOf('?') < 0 && !s.endsWith(" "));
    }

    @Property
    void anEscapedLiteralPathMatchesTheTopicWithThatPath(@ForAll("paths") String path) throws UrlPatternException {
        UrlPattern pattern = UrlPattern.compile("https://example.com/" + UrlPattern.escapePatternString(path), HUB);

        WhatwgUrl topic = WhatwgUrl.parse("https://example.com/" + path).orElseThrow();

        assertThat(pattern.matches(topic)).as(pattern.describe()).isTrue();
    }

    @Provide
    Arbitrary<String> segments() {
        return Arbitraries.strings().withChars("ab0-_~/").ofMaxLength(12);
    }

    @Property
    void aNamedGroupMatchesExactlyOneNonEmptySegment(@ForAll("segments") String rest) throws UrlPatternException {
        UrlPattern pattern = UrlPattern.compile("https://example.com/p/:id", HUB);
        UrlPattern wildcard = UrlPattern.compile("https://example.com/p/*", HUB);

        WhatwgUrl topic = WhatwgUrl.parse("https://example.com/p/" + rest).orElseThrow();

        assertThat(pattern.matches(topic)).isEqualTo(!rest.isEmpty() && !rest.contains("/"));
        assertThat(wildcard.matches(topic)).isTrue();
    }
}
