/**
 * JMH microbenchmarks of the LOCAL trainer's thread-mode hot paths; run them with
 * {@code java -cp kiln-bench/target/kiln-bench.jar org.openjdk.jmh.Main [regex]}.
 */
package dev.kiln.bench.jmh;
