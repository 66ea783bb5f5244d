package dev.kiln.server.http;

import dev.kiln.config.Settings;
import dev.kiln.error.KilnException;
import java.time.Duration;

/**
 * How long the server waits for slow clients, read once from {@code runtime.http}: the bounds that cut off a client
 * that sends its request too slowly, so it holds neither a connection nor a thread for long.
 *
 * @param headerTimeout the longest a request's headers may take to arrive, from their first byte
 *     ({@code request_header_timeout_seconds})
 * @param idleTimeout the longest a connection may stay silent, in the middle of a request body or between requests
 *     ({@code idle_timeout_seconds})
 * @param minDataRate the slowest a request body may arrive, in bytes per second on average; 0 for no minimum
 *     ({@code min_request_data_rate})
 * @param minDataRateGrace how long a body may arrive more slowly before the minimum applies
 *     ({@code min_request_data_rate_grace_seconds})
 */
public record ClientLimits(Duration headerTimeout, Duration idleTimeout, long minDataRate, Duration minDataRateGrace) {
    /** The defaults: 10 s for headers, 30 s of silence (Jetty's own), 240 bytes/s after 5 s (as ASP.NET's Kestrel). */
    public static final ClientLimits DEFAULTS =
            new ClientLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), 240, Duration.ofSeconds(5));

    public ClientLimits {
        requirePositive(headerTimeout, "request_header_timeout_seconds");
        requirePositive(idleTimeout, "idle_timeout_seconds");
        if (minDataRate < 0) {
            throw KilnException.invalidArgument("Invalid value '" + minDataRate
                    + "' for runtime.http.min_request_data_rate: expected 0 or more bytes per second");
        }
        if (minDataRateGrace.isNegative()) {
            throw KilnException.invalidArgument("Invalid value '" + minDataRateGrace
                    + "' for runtime.http.min_request_data_rate_grace_seconds: expected 0 or more");
        }
    }

    private static void requirePositive(Duration d, String key) {
        if (d.isNegative() || d.isZero()) {
            throw KilnException.invalidArgument(
                    "Invalid value '" + d + "' for runtime.http." + key + ": expected more than 0 seconds");
        }
    }

    /**
     * Reads the limits from the {@code runtime.http} section.
     *
     * @throws KilnException INVALID_ARGUMENT naming a bad key and value
     */
    public static ClientLimits from(Settings http) {
        return new ClientLimits(
                http.duration("request_header_timeout_seconds").orElse(DEFAULTS.headerTimeout()),
                http.duration("idle_timeout_seconds").orElse(DEFAULTS.idleTimeout()),
                http.integerAtLeast("min_request_data_rate", 0).orElse(DEFAULTS.minDataRate()),
                http.duration("min_request_data_rate_grace_seconds").orElse(DEFAULTS.minDataRateGrace()));
    }
}
