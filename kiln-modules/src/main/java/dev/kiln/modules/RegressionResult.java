package dev.kiln.modules;

/**
 * A regressor's answer for one input.
 *
 * @param value the predicted value, in the target column's units
 */
public record RegressionResult(double value) {}
