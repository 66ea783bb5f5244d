package dev.kiln.modules.text;

/**
 * One text to classify; other fields (such as a label) are ignored.
 *
 * @param text the text
 */
public record TextInput(String text) {}
