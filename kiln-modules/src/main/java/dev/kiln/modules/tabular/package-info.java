/**
 * The TabularClassifier and TabularRegressor modules: linear SGD models (Tribuo) over rows of numeric and categorical
 * columns, with a named target column.
 */
package dev.kiln.modules.tabular;
