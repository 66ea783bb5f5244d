/**
 * Batch predictions in child JVMs: with {@code use_subprocess: true} in the job predictor's settings, each batch runs
 * in a worker JVM of its own through the same child-JVM machinery and worker protocol as LOCAL trainings, so it can
 * be killed when cancelled and cannot take the server down with it.
 */
package dev.kiln.predict.child;
