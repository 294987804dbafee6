package org.originhub.operations;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import java.util.function.Supplier;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * Health of the hub's own broker ({@code broker}): when it is embedded, the Artemis server must be started and active
 * (not a passive backup); in every case a new JMS connection with the hub's account must open and start. Details:
 * the broker's name, version, state and uptime, and whether the connection worked.
 */
public class BrokerHealthIndicator extends AbstractHealthIndicator {
    private final Supplier<ActiveMQServer> embedded;
    private final ConnectionFactory connectionFactory;

    /**
     * @param embedded the embedded server, or a supplier of null when the broker is external
     * @param connectionFactory the hub's connection factory (a caching factory is bypassed, so a real connection opens)
     */
    public BrokerHealthIndicator(Supplier<ActiveMQServer> embedded, ConnectionFactory connectionFactory) {
        super("broker health check failed");
        this.embedded = embedded;
        this.connectionFactory = connectionFactory instanceof CachingConnectionFactory caching
                && caching.getTargetConnectionFactory() != null ? caching.getTargetConnectionFactory() : connectionFactory;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        ActiveMQServer server = embedded.get();
        builder.withDetail("embedded", server != null);
        if (server != null) {
            builder.withDetail("name", String.valueOf(server.getConfiguration().getName()))
                    .withDetail("version", server.getVersion().getFullVersion())
                    .withDetail("state", String.valueOf(server.getState()));
            if (!server.isStarted() || !server.isActive()) {
                builder.down().withDetail("error", "the embedded broker is not active (state " + server.getState() + ")");
                return;
            }
            builder.withDetail("uptime", server.getUptime());
        }
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
        }
        builder.up().withDetail("connection", "ok");
    }
}
