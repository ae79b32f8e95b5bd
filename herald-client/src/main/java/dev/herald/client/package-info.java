/**
 * A WHATWG {@code EventSource} client for Java services, on {@code java.net.http.HttpClient}.
 *
 * <p>{@link dev.herald.client.EventSource#connect} follows a stream described by an immutable
 * {@link dev.herald.client.EventSourceConfig} and reports to an
 * {@link dev.herald.client.EventSourceListener}; {@link dev.herald.client.EventStream} offers the same
 * events as a blocking iterator. Failures arrive as subclasses of
 * {@link dev.herald.client.EventSourceException}. Events are {@link dev.herald.sse.SseEvent} values of
 * {@code herald-sse}, whose parser does all the interpreting of the stream.
 *
 * <p>Every public type says whether it is thread-safe; the event source and its configuration are.
 */
package dev.herald.client;
