/** Checkpoints of trainings on disk: written atomically, checksummed, the newest few kept. */
package dev.kiln.checkpoint;
