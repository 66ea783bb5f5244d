/** The trainer SPI: trainers, futures, options, events and the factory that makes trainers by type. */
package dev.kiln.trainer;
