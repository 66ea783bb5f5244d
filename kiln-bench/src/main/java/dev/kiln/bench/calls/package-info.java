/**
 * The cost of a cold thread-mode round trip counted rather than timed: the methods one train→await enters, read
 * through the JDK's debugger interface from a JVM of its own.
 */
package dev.kiln.bench.calls;
