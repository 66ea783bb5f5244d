/**
 * Kiln's whole-process benchmark harness: it trains trivial modules through the LOCAL trainer and prints one JSON
 * object per figure on stdout, named and shaped like the caikit reference harness's output so the two line up.
 */
package dev.kiln.bench;
