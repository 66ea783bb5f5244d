/** The log a training keeps of what its module logged, whatever the logging backend is set to print. */
package dev.kiln.logging;
