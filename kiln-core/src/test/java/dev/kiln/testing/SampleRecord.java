package dev.kiln.testing;

/** One training record for {@link SampleModule}. */
public record SampleRecord(int number, String label) {}
