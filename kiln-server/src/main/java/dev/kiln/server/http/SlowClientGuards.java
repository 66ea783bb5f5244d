package dev.kiln.server.http;

import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Sets up Jetty so slow clients are cut off and cannot starve the server: the connector's idle timeout, the header
 * deadline, and the handler that reads bodies without holding threads and enforces the minimum data rate.
 */
public final class SlowClientGuards {
    private SlowClientGuards() {}

    /**
     * Installs the guards and the connector on {@code host}:{@code port}.
     *
     * @param maxBodyBytes the largest body read ahead; larger ones are left to the route's 413
     */
    public static void install(JavalinConfig cfg, String host, int port, ClientLimits limits, long maxBodyBytes) {
        long idleMillis = limits.idleTimeout().toMillis();
        cfg.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(idleMillis));
        cfg.jetty.modifyServer(server -> server.insertHandler(new BodyPrefetchHandler(limits, maxBodyBytes)));
        cfg.jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(idleMillis);
            connector.addBean(new HeaderDeadline(limits.headerTimeout(), server.getScheduler()));
            return connector;
        });
    }
}
