/**
 * Epoch-by-epoch training on Tribuo's linear SGD trainers: Kiln's trainers subclass Tribuo's, watch its loop through
 * the objective and the parameters it creates, and report progress and check cancellation between epochs.
 */
package dev.kiln.modules.sgd;
