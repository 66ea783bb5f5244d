/**
 * How commands reach trainings: {@link dev.kiln.cli.client.TrainingClient} is the seam, and the remote client sends
 * its requests to a Kiln server and follows its trainings through their event streams. The local client is in
 * {@code dev.kiln.cli.runs}.
 */
package dev.kiln.cli.client;
