/**
 * The browser dashboard: a page at {@code /} with its scripts, styles and charting library, all served from the
 * server's class path. The page holds no data of its own; it reads and changes trainings only through the public
 * HTTP API, with the same token a client needs.
 */
package dev.kiln.server.dashboard;
