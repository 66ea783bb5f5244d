/**
 * Serving trained models without HTTP: a catalog of model ids (trained, local and deployed models), a cache that
 * loads each model once on first use and keeps the most recently used within a memory bound, and a facade that runs
 * predictions in caikit's task shapes. Any JVM service can embed it; Kiln's server puts HTTP in front of it.
 */
package dev.kiln.serving;
