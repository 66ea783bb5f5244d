/** Shared Jackson mappers and the Jackson module that teaches them Kiln's types. */
package dev.kiln.json;
