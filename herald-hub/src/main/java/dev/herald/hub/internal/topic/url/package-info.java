/**
 * The WHATWG URL Standard's URL parser, host parser and percent-encoding, used to resolve topics
 * against the hub's URL (Mercure §"URL Pattern", §"Publication") and to canonicalize URL Pattern
 * literal text the same way.
 */
package dev.herald.hub.internal.topic.url;
