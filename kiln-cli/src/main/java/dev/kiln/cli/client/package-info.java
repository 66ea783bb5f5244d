/**
 * How commands reach trainings: {@link dev.kiln.cli.client.TrainingClient} is the seam; the local client trains in
 * this process with the model manager and reads runs recorded by other kiln processes. A client for a Kiln server
 * implements the same interface.
 */
package dev.kiln.cli.client;
