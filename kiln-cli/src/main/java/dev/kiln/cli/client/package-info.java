/**
 * How commands reach trainings: {@link dev.kiln.cli.client.TrainingClient} is the seam; the local client trains in
 * this process with the model manager and reads runs recorded by other kiln processes, and the remote client sends
 * the same requests to a Kiln server and follows its trainings through their event streams.
 */
package dev.kiln.cli.client;
