/** Configuration in caikit's keys and layers: defaults, YAML files, environment variables. */
package dev.kiln.config;
