/**
 * A client of the server's HTTP API on {@code java.net.http}, for {@code kiln … --server URL}: train, status,
 * list, cancel, logs and the event stream, with the server's errors turned back into Kiln's error codes.
 */
package dev.kiln.server.client;
