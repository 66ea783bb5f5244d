package dev.kiln.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DynamicMessage;
import dev.kiln.KilnVersion;
import dev.kiln.server.testing.TestServer;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS from caikit's {@code runtime.tls} keys, with certificates made by openssl for each test. */
class GrpcTlsTest {
    @TempDir
    Path tmp;

    private void openssl(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java.util.stream.Stream.concat(
                                java.util.stream.Stream.of("openssl"), java.util.Arrays.stream(args))
                        .toList())
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as("openssl " + String.join(" ", args) + ": " + out)
                .isZero();
    }

    /** A CA, and a certificate it signs for {@code name} (with 127.0.0.1 as an alternative name). */
    private void certificates() throws Exception {
        openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "1",
                "-subj",
                "/CN=kiln-test-ca");
        Files.writeString(tmp.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        for (String name : List.of("server", "client")) {
            openssl(
                    "req",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-keyout",
                    name + ".key",
                    "-out",
                    name + ".csr",
                    "-subj",
                    "/CN=" + name);
            openssl(
                    "x509",
                    "-req",
                    "-in",
                    name + ".csr",
                    "-CA",
                    "ca.pem",
                    "-CAkey",
                    "ca.key",
                    "-CAcreateserial",
                    "-out",
                    name + ".pem",
                    "-days",
                    "1",
                    "-extfile",
                    "san.ext");
        }
    }

    private String yaml(boolean mutual) {
        return """
                runtime:
                  tls:
                    server:
                      key: %s
                      cert: %s
                    client:
                      cert: "%s"
                """.formatted(tmp.resolve("server.key"), tmp.resolve("server.pem"), mutual ? tmp.resolve("ca.pem") : "");
    }

    private static String runtimeVersion(int port, ChannelCredentials credentials, KilnSchema schema)
            throws InterruptedException {
        ManagedChannel channel =
                NettyChannelBuilder.forAddress("127.0.0.1", port, credentials).build();
        try {
            var method = schema.service(KilnSchema.INFO).findMethodByName("GetRuntimeInfo");
            DynamicMessage answer = ClientCalls.blockingUnaryCall(
                    channel,
                    DynamicService.method(method),
                    CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                    DynamicMessage.getDefaultInstance(method.getInputType()));
            return (String) GrpcClient.get(answer, "runtime_version");
        } finally {
            channel.shutdownNow();
            channel.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void tlsServesClientsThatTrustItsCertificateOnly() throws Exception {
        certificates();
        try (TestServer server = TestServer.start(tmp.resolve("s"), yaml(false), Map.of())) {
            KilnSchema schema = new GrpcClient(TestServer.config(tmp.resolve("s"), ""), 1, null).schema;
            int port = server.server().grpcPort();
            ChannelCredentials trusting = TlsChannelCredentials.newBuilder()
                    .trustManager(tmp.resolve("ca.pem").toFile())
                    .build();
            assertThat(runtimeVersion(port, trusting, schema)).isEqualTo(KilnVersion.get());
            StatusRuntimeException plain = GrpcClient.failure(() -> {
                try {
                    runtimeVersion(port, InsecureChannelCredentials.create(), schema);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(plain.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        }
    }

    @Test
    void withAClientCaOnlyClientsWithACertificateItSignedGetIn() throws Exception {
        certificates();
        try (TestServer server = TestServer.start(tmp.resolve("s"), yaml(true), Map.of())) {
            KilnSchema schema = new GrpcClient(TestServer.config(tmp.resolve("s"), ""), 1, null).schema;
            int port = server.server().grpcPort();
            ChannelCredentials withCert = TlsChannelCredentials.newBuilder()
                    .trustManager(tmp.resolve("ca.pem").toFile())
                    .keyManager(
                            tmp.resolve("client.pem").toFile(),
                            tmp.resolve("client.key").toFile())
                    .build();
            assertThat(runtimeVersion(port, withCert, schema)).isEqualTo(KilnVersion.get());
            ChannelCredentials without = TlsChannelCredentials.newBuilder()
                    .trustManager(tmp.resolve("ca.pem").toFile())
                    .build();
            StatusRuntimeException refused = GrpcClient.failure(() -> {
                try {
                    runtimeVersion(port, without, schema);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        }
    }
}
