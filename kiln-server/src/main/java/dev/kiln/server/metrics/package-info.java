/**
 * The server's metrics: Micrometer meters scraped by its Prometheus registry, with Micrometer's JVM, process and
 * thread-pool binders.
 */
package dev.kiln.server.metrics;
