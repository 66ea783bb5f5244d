/**
 * The server's view of trainings: live futures from the trainers (through the trainer SPI only) merged with the
 * journal's records, the listener that journals every event before anyone hears of it, the event hub behind the
 * event streams, the submission path that validates a request at the edge, and the reconciliation at start of the
 * trainings the journal shows unfinished (kept when their trainer's jobs outlive the server, interrupted otherwise).
 */
package dev.kiln.server.jobs;
