/**
 * Prediction jobs, the sibling of the LOCAL trainer on the same job model: one inference or a batch over a data
 * stream runs in the background with QUEUED → RUNNING → terminal states, can be cancelled, and is forgotten after
 * its retention, as caikit's {@code LocalJobPredictor} does.
 */
package dev.kiln.predict;
