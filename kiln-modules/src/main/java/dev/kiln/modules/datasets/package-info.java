/** The small real datasets shipped with the modules, for the demo, examples and tests. */
package dev.kiln.modules.datasets;
