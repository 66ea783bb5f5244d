/** The job model: states, transitions, immutable snapshots and errors as data. Depends on nothing else in Kiln. */
package dev.kiln.job;
