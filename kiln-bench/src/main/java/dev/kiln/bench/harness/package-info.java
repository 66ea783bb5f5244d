/** The benchmark harness's entry point: runs the chosen scenarios and prints their figures. */
package dev.kiln.bench.harness;
