/**
 * {@code application/x-www-form-urlencoded} parsing per the WHATWG URL Standard, strict about UTF-8
 * and bounded in size and field count, for subscription queries and bodies and publish bodies.
 */
package dev.herald.hub.internal.form;
