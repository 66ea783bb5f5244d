/**
 * Kiln's types as JSON: the shared mappers, the Jackson module that carries data streams as descriptors and models as
 * bytes, and the binding of JSON parameters to a module's parameters record.
 */
package dev.kiln.json;
