/**
 * File-system operations that never follow a symbolic link below the directory they start from, so a link swapped
 * in by someone else cannot redirect a write or a delete outside the directories Kiln owns.
 */
package dev.kiln.files;
