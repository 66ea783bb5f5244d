/**
 * Kiln's HTTP server: {@link dev.kiln.server.KilnServer} serves caikit's training API (and Kiln's additions) over
 * trainers reached through the trainer SPI, with a durable journal of every training;
 * {@link dev.kiln.server.ServerMain} starts it from the command line.
 */
package dev.kiln.server;
