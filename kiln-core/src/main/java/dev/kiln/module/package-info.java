/** The module API: module types, models and how they write and read their artifacts, and the training context. */
package dev.kiln.module;
