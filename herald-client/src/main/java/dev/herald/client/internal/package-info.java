/**
 * The implementation behind {@link dev.herald.client.EventSource}: the state machine
 * ({@code EventSourceEngine}), the HTTP exchanges it runs (over the JDK client, or written by hand for
 * header octets the JDK client cannot send), the backoff, and the resources event sources share.
 * Not part of the public API: types here may change without notice.
 */
package dev.herald.client.internal;
