/** The model manager: named trainers from configuration, routing by training id, and model loading. */
package dev.kiln.manager;
