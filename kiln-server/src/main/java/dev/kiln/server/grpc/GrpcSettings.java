package dev.kiln.server.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.config.KilnConfig;
import dev.kiln.config.Settings;
import dev.kiln.error.KilnException;
import java.nio.file.Path;

/**
 * The gRPC server's configuration, read from caikit's keys.
 *
 * @param enabled whether to serve gRPC ({@code runtime.grpc.enabled})
 * @param port the port, 0 for any free one ({@code runtime.grpc.port})
 * @param maxReceiveBytes the largest request message accepted
 *     ({@code runtime.grpc.options."grpc.max_receive_message_length"}, gRPC's 4 MiB by default)
 * @param tlsKey the server's private key in PEM ({@code runtime.tls.server.key}), or null for plain text
 * @param tlsCert the server's certificate chain in PEM ({@code runtime.tls.server.cert}), or null
 * @param clientCa the CA that client certificates must chain to ({@code runtime.tls.client.cert}); when set, clients
 *     must present one (mutual TLS), as caikit's server requires
 */
public record GrpcSettings(boolean enabled, int port, int maxReceiveBytes, Path tlsKey, Path tlsCert, Path clientCa) {
    /** gRPC's own default message size limit. */
    public static final int DEFAULT_MESSAGE_BYTES = 4 * 1024 * 1024;

    /**
     * Reads the settings.
     *
     * @throws KilnException INVALID_ARGUMENT naming a bad key and value
     */
    public static GrpcSettings from(KilnConfig config) {
        Settings grpc = config.section("runtime.grpc");
        long port = grpc.integer("port").orElse(8085L);
        if (port < 0 || port > 65_535) {
            throw grpc.invalid("port", grpc.json().get("port"), "expected 0 to 65535");
        }
        Settings options = grpc.section("options");
        Settings server = config.section("runtime.tls.server");
        Path key = pem(server, "key");
        Path cert = pem(server, "cert");
        if ((key == null) != (cert == null)) {
            throw server.invalid(
                    key == null ? "key" : "cert",
                    server.json().get(key == null ? "key" : "cert"),
                    "TLS needs both runtime.tls.server.key and runtime.tls.server.cert");
        }
        return new GrpcSettings(
                grpc.bool("enabled", true),
                (int) port,
                size(options, "grpc.max_receive_message_length"),
                key,
                cert,
                pem(config.section("runtime.tls.client"), "cert"));
    }

    private static Path pem(Settings section, String key) {
        return section.string(key).filter(s -> !s.isBlank()).map(Path::of).orElse(null);
    }

    private static int size(Settings options, String key) {
        JsonNode v = options.json().get(key);
        if (v == null || v.isNull()) {
            return DEFAULT_MESSAGE_BYTES;
        }
        if (!v.canConvertToInt() || v.asInt() < 1) {
            throw options.invalid(key, v, "expected a number of bytes from 1 to " + Integer.MAX_VALUE);
        }
        return v.asInt();
    }

    /** Whether the server speaks TLS. */
    public boolean tls() {
        return tlsCert != null;
    }

    /** These settings with another port. */
    public GrpcSettings withPort(int value) {
        return new GrpcSettings(enabled, value, maxReceiveBytes, tlsKey, tlsCert, clientCa);
    }
}
