/** The harness's benchmarks, one class per figure family, each emitting the lines the reference harness names. */
package dev.kiln.bench.scenario;
