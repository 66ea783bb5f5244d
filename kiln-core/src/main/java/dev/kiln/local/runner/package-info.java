/**
 * What the LOCAL trainer asks of a runner (a thread of this JVM, a child JVM): {@link dev.kiln.local.runner.JobRunner}
 * starts and stops jobs, and reports through the {@link dev.kiln.local.runner.RunnerJob} it is given.
 */
package dev.kiln.local.runner;
