/**
 * Trainings run on this machine: the local client, which trains in this process with the model manager, and the
 * records it keeps on disk ({@code $KILN_HOME/runs}), so that {@code kiln status}, {@code list}, {@code cancel} and
 * {@code logs} in one terminal see a {@code kiln train} running in another.
 */
package dev.kiln.cli.runs;
