/** Kiln's root exception and its transport-neutral error codes. */
package dev.kiln.error;
