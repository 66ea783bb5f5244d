/**
 * Epoch-by-epoch training with Tribuo's linear SGD building blocks (its parameters, objectives and models) in a loop
 * Kiln owns: it reports progress and checks cancellation between epochs, and checkpoints so that an interrupted
 * training resumes to exactly the model an uninterrupted one would have.
 */
package dev.kiln.modules.sgd;
