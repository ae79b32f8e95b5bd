package dev.herald.hub.internal.topic.uritemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6570 templates as pre-1.0 Mercure topic selectors: what matches, what does not parse, the bounds. */
class UriTemplateTest {

    /** Template, topic, whether it matches. */
    static Stream<Arguments> matching() {
        return Stream.of(
                // level 1: simple string expansion, values of unreserved characters and pct-encoded octets
                arguments("https://example.com/books/{id}", "https://example.com/books/1", true),
                arguments("https://example.com/books/{id}", "https://example.com/books/dune-1965_v2.~x", true),
                arguments("https://example.com/books/{id}", "https://example.com/books/caf%C3%A9", true),
                arguments("https://example.com/books/{id}", "https://example.com/books/", true),
                arguments("https://example.com/books/{id}", "https://example.com/books/1/reviews", false),
                arguments("https://example.com/books/{id}", "https://example.com/books/a?b", false),
                arguments("https://example.com/books/{id}", "https://example.com/books/caf\u00e9", false),
                arguments("https://example.com/books/{id}", "https://example.com/books/%zz", false),
                arguments("https://example.com/books/{id}", "https://example.com/book/1", false),
                arguments("https://example.com/books/{id}", "https://example.com/books/1 ", false),
                arguments("https://example.com/books/{id}", "http://example.com/books/1", false),
                arguments("https://example.com/books/{id}", "xhttps://example.com/books/1", false),
                arguments("/users/{user}/books/{book}", "/users/kevin/books/42", true),
                arguments("/users/{user}/books/{book}", "/users/kevin/books", false),
                // a list value is comma-joined
                arguments("/colors/{list}", "/colors/red,green,blue", true),
                // literals are regular-expression-safe
                arguments("https://example.com/a.b/{id}", "https://example.com/aXb/1", false),
                arguments("https://example.com/(x)+[y]/{id}", "https://example.com/(x)+[y]/1", true),
                arguments("https://example.com/%41/{id}", "https://example.com/%41/1", true),
                arguments("https://example.com/%41/{id}", "https://example.com/A/1", false),
                arguments("urn:caf\u00e9:{id}", "urn:caf\u00e9:1", true),
                // level 2: reserved expansion keeps reserved characters; fragment expansion
                arguments("https://example.com/{+path}", "https://example.com/books/1/reviews?page=2", true),
                arguments("https://example.com/{+path}", "https://example.com/", true),
                arguments("https://example.com/page{#section}", "https://example.com/page#intro/part", true),
                arguments("https://example.com/page{#section}", "https://example.com/page", true),
                arguments("https://example.com/page{#section}", "https://example.com/page?x", false),
                // level 3: several variables, and the . / ; ? & operators
                arguments("/map?{x,y}", "/map?1024,768", true),
                arguments("{/a,b}", "/x/y", true),
                arguments("{/a,b}", "/x/y/z", false),
                arguments("/books{/id}", "/books/1", true),
                arguments("/books{/id}", "/books", true),
                arguments("/books{/id}", "/books1", false),
                arguments("www{.domain}", "www.example", true),
                arguments("/path{;x,y}", "/path;x=1;y=2", true),
                arguments("/search{?q,lang}", "/search?q=dune&lang=en", true),
                arguments("/search{?q,lang}", "/search?q=dune&lang=en&x=1", false),
                arguments("/search{?q}", "/search", true),
                arguments("/search{?q}", "/search?q=a/b", false),
                arguments("/search?fixed=1{&q}", "/search?fixed=1&q=dune", true),
                // level 4: explode allows any number of values; prefixes are not enforced
                arguments("{/segments*}", "/a/b/c/d", true),
                arguments("/search{?filters*}", "/search?a=1&b=2&c=3", true),
                arguments("/books/{id:3}", "/books/12345", true),
                // the pre-1.0 subscription event topic template
                arguments("/.well-known/mercure/subscriptions{/topic}{/subscriber}",
                        "/.well-known/mercure/subscriptions/https%3A%2F%2Fexample.com%2Fbooks%2F1/urn%3Auuid%3Aabc", true),
                arguments("/.well-known/mercure/subscriptions{/topic}{/subscriber}",
                        "/.well-known/mercure/subscriptions", true));
    }

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @MethodSource("matching")
    void aTopicMatchesWhenTheTemplateCouldExpandToIt(String template, String topic, boolean matches) throws Exception {
        assertThat(UriTemplate.compile(template).matches(topic)).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://example.com/{", "https://example.com/{id", "https://example.com/}", "https://example.com/{}",
        "https://example.com/{=id}", "https://example.com/{,id}", "https://example.com/{!id}", "https://example.com/{@id}",
        "https://example.com/{|id}", "https://example.com/{id,}", "https://example.com/{.}", "https://example.com/{a..b}",
        "https://example.com/{a.}", "https://example.com/{a-b}", "https://example.com/{a:0}", "https://example.com/{a:}",
        "https://example.com/{a:12345}", "https://example.com/{a*b}", "https://example.com/{a{b}}",
        "https://example.com/a b/{id}", "https://example.com/<{id}>", "https://example.com/%4/{id}",
        "https://example.com/%/{id}", "https://example.com/'{id}'", "https://example.com/{a%2}"})
    void refusesWhatIsNotAUriTemplateWithoutClaimingALimit(String template) {
        assertThatThrownBy(() -> UriTemplate.compile(template))
                .isInstanceOf(UriTemplateException.class)
                .hasMessageStartingWith("not a URI template: ")
                .satisfies(e -> assertThat(((UriTemplateException) e).limitExceeded()).isFalse());
    }

    @Test
    void acceptsEveryRfc6570Form() throws Exception {
        for (String t : new String[] {"{var}", "{+var}", "{#var}", "{.var}", "{/var}", "{;var}", "{?var}", "{&var}",
                "{var:3}", "{var:9999}", "{list*}", "{x,y,z}", "{a.b_c%41}", "X{x}Y{+y}Z", ""}) {
            assertThat(UriTemplate.compile(t).source()).isEqualTo(t);
        }
    }

    @Test
    void boundsTheNumberOfExpressionsAndVariables() throws Exception {
        UriTemplate.compile("{a}".repeat(UriTemplate.MAX_EXPRESSIONS));
        assertThatThrownBy(() -> UriTemplate.compile("{a}".repeat(UriTemplate.MAX_EXPRESSIONS + 1)))
                .isInstanceOf(UriTemplateException.class)
                .hasMessage("URI template too complex: more than 8 expressions")
                .satisfies(e -> assertThat(((UriTemplateException) e).limitExceeded()).isTrue());
        String vars = "{" + "a,".repeat(UriTemplate.MAX_VARIABLES) + "a}";
        assertThatThrownBy(() -> UriTemplate.compile(vars))
                .isInstanceOf(UriTemplateException.class)
                .hasMessage("URI template too complex: more than 16 variables");
    }

    @Test
    void boundsTheCompiledProgramSoMatchingStaysLinearAndCheap() throws Exception {
        // the longest matcher Herald accepts (2048 characters) of literal text fits the bound
        UriTemplate literal = UriTemplate.compile("https://example.com/" + "x".repeat(2020) + "{id}");
        assertThat(literal.programSize()).isLessThanOrEqualTo(UriTemplate.MAX_PROGRAM_SIZE);
        // the most expressions and variables allowed, too
        String busy = ("{/a,b}".repeat(UriTemplate.MAX_EXPRESSIONS - 1) + "{?" + "c,".repeat(MAX_VARS_LEFT) + "c}");
        assertThat(UriTemplate.compile(busy).programSize()).isLessThanOrEqualTo(UriTemplate.MAX_PROGRAM_SIZE);
        assertThatThrownBy(() -> UriTemplate.compile("x".repeat(UriTemplate.MAX_PROGRAM_SIZE + 1)))
                .isInstanceOf(UriTemplateException.class)
                .hasMessageStartingWith("URI template too complex: ")
                .satisfies(e -> assertThat(((UriTemplateException) e).limitExceeded()).isTrue());
    }

    /** Variables left for the last expression of the busiest template once the two-variable ones are in. */
    private static final int MAX_VARS_LEFT = UriTemplate.MAX_VARIABLES - 2 * (UriTemplate.MAX_EXPRESSIONS - 1) - 1;

    @Test
    void aHostileTopicAgainstTheBusiestTemplateIsAnsweredNotBacktracked() throws Exception {
        // nested optional repetitions: exponential for a backtracking engine, linear for re2j
        UriTemplate t = UriTemplate.compile("{a}".repeat(UriTemplate.MAX_EXPRESSIONS) + "!");
        assertThat(t.matches("a".repeat(2048))).isFalse();
        assertThat(t.matches("a".repeat(2047) + "!")).isTrue();
    }
}
