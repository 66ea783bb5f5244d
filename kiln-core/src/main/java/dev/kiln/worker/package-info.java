/**
 * The worker: the entry point ({@link dev.kiln.worker.WorkerMain}) that runs one training in a JVM of its own, and
 * the versioned protocol it speaks with whoever started it — a LOCAL trainer over pipes, or a batch script over
 * files in a shared job directory. See {@code docs/worker-protocol.md}.
 */
package dev.kiln.worker;
