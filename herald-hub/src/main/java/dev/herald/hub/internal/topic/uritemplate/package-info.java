/**
 * RFC 6570 URI Templates for matching pre-1.0 Mercure topic selectors (Mercure appendix "Changes
 * from Pre-Standardization Deployments": {@code topic} selectors were URI Templates or plain
 * strings).
 *
 * <h2>What "a topic matches a template" means</h2>
 * RFC 6570 defines expansion only; matching is its inverse, approximated the way the hubs of the
 * pre-1.0 protocol did, so that subscriptions and tokens written for them select the same topics:
 * <ul>
 *   <li>Literal text matches itself, byte for byte (a percent-encoded triplet in the template matches
 *       that same triplet).</li>
 *   <li>An expression matches the empty string (every variable undefined), or the operator's prefix
 *       ({@code #}, {@code .}, {@code /}, {@code ;}, {@code ?}, {@code &}; none for simple and
 *       {@code +} expansion) followed by one value per variable joined by the operator's separator
 *       ({@code ,} for simple, {@code +} and {@code #}; else the prefix character, {@code &} for
 *       {@code ?}). An expression with n variables takes at most n values, unless a variable is
 *       exploded ({@code *}), which allows any number.</li>
 *   <li>A value is any run of the characters the operator leaves unencoded — RFC 3986 unreserved
 *       characters for simple, {@code .}, {@code /}, {@code ;}, {@code ?}, {@code &} expansion;
 *       unreserved and reserved characters for {@code +} and {@code #} — plus percent-encoded
 *       octets, {@code ,} (list items) and, for named operators and exploded variables, {@code =}.
 *       So {@code https://example.com/books/{id}} matches {@code https://example.com/books/1} but
 *       not {@code https://example.com/books/1/reviews}, which {@code https://example.com/books/{+rest}}
 *       matches.</li>
 *   <li>Prefix modifiers ({@code {id:3}}) are parsed but not enforced: a value longer than the prefix
 *       still matches, as with the pre-1.0 hubs.</li>
 * </ul>
 *
 * <h2>Bounds</h2>
 * A template compiles to a single re2j expression, matched in time linear in the topic; the number of
 * expressions, variables and program instructions is bounded (see
 * {@link dev.herald.hub.internal.topic.uritemplate.UriTemplate}). No library on Maven Central matches
 * topics against RFC 6570 templates in bounded time (the available ones expand only, or match with
 * backtracking regular expressions), hence this small translator on the re2j already used for URL
 * patterns.
 */
package dev.herald.hub.internal.topic.uritemplate;
