/**
 * The server's view of trainings: live futures from the trainers (through the trainer SPI only) merged with the
 * journal's records, the listener that journals every event before anyone hears of it, the event hub behind the
 * event streams, and the submission path that validates a request at the edge.
 */
package dev.kiln.server.jobs;
