/**
 * What every trainer keeps of its jobs, whatever runs them: the table by training id with retention in completion
 * order, the listeners, the checks a training passes before it is accepted, where its model is saved, and the purge
 * of the model it saved.
 */
package dev.kiln.trainer.base;
