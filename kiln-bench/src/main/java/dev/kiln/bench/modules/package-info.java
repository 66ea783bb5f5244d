/** Trivial modules the benchmarks train, so figures measure Kiln's own overhead rather than any training work. */
package dev.kiln.bench.modules;
