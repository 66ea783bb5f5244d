package dev.kiln.server.grpc;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.server.jobs.Trainings;
import dev.kiln.serving.ModelServing;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * caikit's gRPC API over the server's trainings, on grpc-java with its shaded Netty: the generated services, health
 * ({@code grpc.health.v1.Health}, SERVING until a stop begins) and server reflection (v1 and v1alpha), with the
 * bearer token, TLS and message size limit of the configuration.
 */
public final class GrpcServer {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcServer.class);

    /** How many finished prediction jobs are kept for their status and result. */
    static final int KEPT_PREDICTIONS = 10_000;

    private final Server server;
    private final HealthStatusManager health;
    private final ExecutorService executor;
    private final AtomicBoolean terminal = new AtomicBoolean();

    private GrpcServer(Server server, HealthStatusManager health, ExecutorService executor) {
        this.server = server;
        this.health = health;
        this.executor = executor;
    }

    /**
     * Starts serving.
     *
     * @param host the address to bind
     * @param serving the models that predictions, model info and deployments reach
     * @param authToken the bearer token calls need, or null for none
     * @throws KilnException UNAVAILABLE if the address cannot be bound, INVALID_ARGUMENT for unreadable TLS files
     */
    // v1alpha reflection is deprecated in grpc-java, but grpcurl and older clients still ask for it
    @SuppressWarnings("deprecation")
    public static GrpcServer start(
            GrpcSettings settings,
            String host,
            KilnSchema schema,
            Trainings trainings,
            ModelServing serving,
            String authToken) {
        HealthStatusManager health = new HealthStatusManager();
        List<ServerServiceDefinition> services = new ArrayList<>(new TrainingServices(schema, trainings).definitions());
        ExecutorService executor = Executors.newCachedThreadPool(new Named());
        ModelServices models =
                new ModelServices(schema, serving, new PredictionJobs(executor, Clock.systemUTC(), KEPT_PREDICTIONS));
        services.addAll(models.definitions());
        services.add(new InfoServices(schema, models).definition());
        NettyServerBuilder b = NettyServerBuilder.forAddress(
                        new InetSocketAddress(host, settings.port()), credentials(settings))
                .executor(executor)
                .maxInboundMessageSize(settings.maxReceiveBytes())
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(ProtoReflectionService.newInstance());
        for (ServerServiceDefinition s : services) {
            b.addService(
                    authToken == null ? s : ServerInterceptors.intercept(s, new BearerTokenInterceptor(authToken)));
        }
        Server server = b.build();
        try {
            server.start();
        } catch (IOException e) {
            executor.shutdownNow();
            throw new KilnException(
                    ErrorCode.UNAVAILABLE,
                    "Cannot serve gRPC on " + host + ":" + settings.port() + " (runtime.grpc.port): " + e.getMessage(),
                    e);
        }
        LOG.info("Kiln gRPC server listening on {}:{}{}", host, server.getPort(), settings.tls() ? " (TLS)" : "");
        return new GrpcServer(server, health, executor);
    }

    private static ServerCredentials credentials(GrpcSettings s) {
        if (!s.tls()) {
            return InsecureServerCredentials.create();
        }
        try {
            TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
                    .keyManager(s.tlsCert().toFile(), s.tlsKey().toFile());
            if (s.clientCa() != null) {
                tls.trustManager(s.clientCa().toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            }
            return tls.build();
        } catch (IOException | RuntimeException e) {
            throw KilnException.invalidArgument("Cannot read the TLS files (runtime.tls.server.cert "
                    + s.tlsCert() + ", runtime.tls.server.key " + s.tlsKey() + ", runtime.tls.client.cert "
                    + s.clientCa() + "): " + e.getMessage());
        }
    }

    /** The port it listens on (the bound one when configured with 0). */
    public int port() {
        return server.getPort();
    }

    /** Health checks answer NOT_SERVING from now on: the server is stopping. */
    public void stopping() {
        if (terminal.compareAndSet(false, true)) {
            health.enterTerminalState();
        }
    }

    /** Stops taking calls, lets running ones finish for up to {@code grace}, then ends the rest. */
    public void stop(Duration grace) {
        stopping();
        server.shutdown();
        try {
            if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }

    private static final class Named implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "kiln-grpc-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
