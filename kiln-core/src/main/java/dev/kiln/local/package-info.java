/** The LOCAL trainer: jobs in threads or child JVMs, a FIFO queue, timeouts and retention. */
package dev.kiln.local;
