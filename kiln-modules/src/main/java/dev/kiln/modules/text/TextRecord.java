package dev.kiln.modules.text;

/**
 * One labelled text for training; other fields in a record are ignored.
 *
 * @param text the text
 * @param label its label
 */
public record TextRecord(String text, String label) {}
