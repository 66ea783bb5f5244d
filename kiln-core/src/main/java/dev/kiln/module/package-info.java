/** The module API: module types, models, typed parameters and the training context. */
package dev.kiln.module;
