/** The TextClassifier module: logistic regression over word n-grams, trained with Tribuo. */
package dev.kiln.modules.text;
