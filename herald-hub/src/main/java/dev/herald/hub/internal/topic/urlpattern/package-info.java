/**
 * WHATWG URL Pattern (https://urlpattern.spec.whatwg.org/) for Mercure's {@code urlpattern} matcher
 * type, matched with re2j so that evaluation is linear in the topic length (Mercure §"URL Pattern",
 * §"URL-Pattern Denial of Service").
 *
 * <h2>Supported</h2>
 * The constructor-string syntax in full: protocol, username, password, hostname (including IPv6
 * literals written {@code [\:\:1]}), port, pathname, search and hash components; named groups
 * {@code :id}; wildcards {@code *}; modifiers {@code ?}, {@code +}, {@code *}; {@code {...}} groups
 * with prefix and suffix; {@code \} escapes; custom regexp groups {@code (...)} (see
 * {@link dev.herald.hub.internal.topic.urlpattern.RegexTranslator} for the regular-expression subset);
 * default-port and protocol canonicalization; percent-encoding, IDNA and dot-segment
 * canonicalization of literal text; relative patterns resolved against the hub's URL.
 *
 * <h2>Departures from the standard</h2>
 * <ul>
 *   <li>Only relative patterns (no protocol) take the hub's URL as base; a pattern with a protocol is
 *       compiled as with {@code new URLPattern(input)}, so {@code urn\:uuid\:*} matches
 *       {@code urn:uuid:...} instead of getting the hub's directory prefixed to its path.</li>
 *   <li>{@code ignoreCase} does not exist (Mercure forbids it). Hostnames are compared
 *       case-insensitively for every scheme, also non-special ones whose hosts the URL Standard
 *       keeps as written (Mercure §"URL Pattern").</li>
 *   <li>Regular expressions: no lookaround, no backreferences, no {@code \p{...}}, no
 *       {@code \q{...}}, no {@code (?i:...)} modifiers, no duplicate group names; nested
 *       repetition counts are bounded by 1,000 and each component's program by 1,000 re2j
 *       instructions. All of these are refused at compile time.</li>
 *   <li>Literal hostname text is canonicalized as a special-scheme host, so {@code %} in it is
 *       refused; non-ASCII domains go through {@link java.net.IDN} (IDNA2003) with the UTS #46
 *       deviation characters refused; literal port text must be ASCII digits; a {@code ?} or
 *       {@code #} inside literal opaque-path text is refused.</li>
 *   <li>Group values are never captured: only whether a topic matches is computed.</li>
 * </ul>
 * A pattern that uses unsupported syntax throws
 * {@link dev.herald.hub.internal.topic.urlpattern.UrlPatternException}; it is never compiled into
 * something that matches differently.
 */
package dev.herald.hub.internal.topic.urlpattern;
