package dev.kiln.server.api;

import java.util.Map;

/**
 * What {@code GET /info/version} answers.
 *
 * @param runtimeVersion the Kiln version, as caikit's {@code runtime_version}
 * @param javaVersion the JVM's version
 * @param modules each module's name and version
 */
public record VersionInfo(String runtimeVersion, String javaVersion, Map<String, String> modules) {}
