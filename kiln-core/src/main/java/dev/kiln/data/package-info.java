/** Lazy, re-iterable, typed data streams and their caikit-shaped JSON descriptors. */
package dev.kiln.data;
