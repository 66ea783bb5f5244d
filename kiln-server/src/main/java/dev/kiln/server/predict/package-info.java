/**
 * The server's prediction jobs: caikit's job predictor over the models the server serves, and Kiln's batches that
 * run a data stream through a model into a JSON Lines file.
 */
package dev.kiln.server.predict;
