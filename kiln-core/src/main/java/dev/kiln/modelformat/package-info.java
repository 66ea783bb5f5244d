/** Kiln's model format: atomic saves of a directory with {@code config.yml}, loading by module id, models as bytes. */
package dev.kiln.modelformat;
