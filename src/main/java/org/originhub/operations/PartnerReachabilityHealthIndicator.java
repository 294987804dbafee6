package org.originhub.operations;

import jakarta.jms.Connection;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.originhub.config.OriginHubProperties;
import org.originhub.routing.PartnerDeliveryStatus;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Whether one partner's broker is reachable: opens an AMQP 1.0 connection to {@code originhub.partners.<CC>.amqp-url}
 * with the partner's credentials (TCP, TLS where the URL says so, SASL, AMQP open) and closes it again, within
 * {@code originhub.health.partner-probe-timeout}. No session is created and no message is sent. A partner with
 * {@code enabled: false} is reported {@link HubHealthStatus#DISABLED} without probing.
 *
 * <p>A partner that connects but whose last send failed (no outcome within its {@code send-timeout}, released, a link
 * error) is DOWN too, with the forwarder's figures ({@link PartnerDeliveryStatus}): the probe alone would call a
 * partner that accepts connections and never settles UP while its queue waits.
 */
public class PartnerReachabilityHealthIndicator implements HealthIndicator {
    private static final ExecutorService PROBES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "partner-health-probe");
        t.setDaemon(true);
        return t;
    });

    private final String partner;
    private final OriginHubProperties.Partner config;
    private final Duration timeout;
    private final PartnerDeliveryStatus sends;

    public PartnerReachabilityHealthIndicator(String partner, OriginHubProperties.Partner config, Duration timeout) {
        this(partner, config, timeout, null);
    }

    /** @param sends what the forwarder experienced sending to this partner, or null (probe only) */
    public PartnerReachabilityHealthIndicator(String partner, OriginHubProperties.Partner config, Duration timeout,
                                              PartnerDeliveryStatus sends) {
        this.partner = partner;
        this.config = config;
        this.timeout = timeout;
        this.sends = sends;
    }

    @Override
    public Health health() {
        Health.Builder builder = new Health.Builder()
                .withDetail("url", org.originhub.routing.PartnerConnections.displayUrl(config.amqpUrl()))
                .withDetail("address", config.address());
        if (config.username() != null && !config.username().isBlank()) {
            builder.withDetail("user", config.username());
        }
        if (sends != null) {
            builder.withDetails(sends.details());
        }
        if (!config.enabled()) {
            return builder.status(HubHealthStatus.DISABLED)
                    .withDetail("reason", "originhub.partners." + partner + ".enabled is false: its messages are dead-lettered")
                    .build();
        }
        long start = System.nanoTime();
        Future<?> probe = PROBES.submit(() -> {
            connectAndClose();
            return null;
        });
        try {
            probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            builder.withDetail("connectMillis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            if (sends != null && sends.failing()) {
                return builder.down().withDetail("error", "connects, but the last send failed ("
                        + sends.details().get("lastFailureKind") + "): messages wait in partner." + partner + ".out").build();
            }
            return builder.up().build();
        } catch (TimeoutException e) {
            probe.cancel(true);
            return builder.down().withDetail("error", "no AMQP connection within " + timeout).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            probe.cancel(true);
            return builder.down().withDetail("error", "interrupted").build();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return builder.down().withDetail("error", cause.getClass().getSimpleName() + ": " + cause.getMessage()).build();
        }
    }

    private void connectAndClose() throws Exception {
        JmsConnectionFactory factory = new JmsConnectionFactory(config.amqpUrl());
        if (config.username() != null && !config.username().isBlank()) {
            factory.setUsername(config.username());
            factory.setPassword(config.password());
        }
        factory.setClientIDPrefix("origin-hub-health-" + partner + "-");
        factory.setConnectTimeout(timeout.toMillis());
        factory.setCloseTimeout(timeout.toMillis());
        try (Connection connection = factory.createConnection()) {
            // start() makes Qpid JMS send the AMQP open and wait for the broker's answer (after SASL).
            connection.start();
        }
    }
}
