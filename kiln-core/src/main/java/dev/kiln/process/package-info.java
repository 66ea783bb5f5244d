/** The processes a process started, found without reading the status of every process on the machine. */
package dev.kiln.process;
