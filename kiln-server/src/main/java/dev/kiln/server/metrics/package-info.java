/** The server's metrics in Prometheus's text exposition format, written by hand (it is a small format). */
package dev.kiln.server.metrics;
