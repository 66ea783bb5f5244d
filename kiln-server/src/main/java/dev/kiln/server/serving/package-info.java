/** The server's side of serving: what the journal and the trainers tell the model catalog, and the local models poll. */
package dev.kiln.server.serving;
