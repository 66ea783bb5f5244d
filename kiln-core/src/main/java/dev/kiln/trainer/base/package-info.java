/**
 * The base every trainer type extends, whatever runs its jobs: {@link dev.kiln.trainer.base.AbstractModelTrainer}
 * (accepting a training, the job table by training id with retention in completion order, listeners, purge, close)
 * and {@link dev.kiln.trainer.base.AbstractTrainingJob} (the state machine, waiting, loading the model), with the
 * pieces they use: the checks a training passes before it is accepted, its id, where its model is saved, and the
 * purge of the model it saved.
 */
package dev.kiln.trainer.base;
