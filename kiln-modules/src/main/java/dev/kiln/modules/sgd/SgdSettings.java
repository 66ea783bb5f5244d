package dev.kiln.modules.sgd;

/**
 * How a linear SGD model is trained.
 *
 * @param epochs passes over the training examples
 * @param learningRate AdaGrad's initial learning rate
 * @param seed the seed for Tribuo's shuffling and initialisation, so the same data and seed give the same model
 */
public record SgdSettings(int epochs, double learningRate, long seed) {}
