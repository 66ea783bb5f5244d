/** Kiln's trainable modules on Tribuo: text classification, tabular classification and tabular regression. */
package dev.kiln.modules;
