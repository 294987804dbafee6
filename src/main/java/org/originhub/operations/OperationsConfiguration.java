package org.originhub.operations;

import jakarta.jms.ConnectionFactory;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.originhub.broker.HubQueues;
import org.originhub.config.OriginHubProperties;
import org.originhub.routing.PartnerConnections;
import org.originhub.signature.PartyKeyRing;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the people who run the hub watch, besides Hawtio: the health contributors {@code broker}, {@code partners}
 * (one entry per partner) and {@code signingCertificates} (one per party) under {@code /actuator/health}, and the
 * message and dead-letter metrics under {@code /actuator/prometheus}.
 */
@Configuration(proxyBeanMethods = false)
public class OperationsConfiguration {

    static Supplier<ActiveMQServer> embeddedServer(ObjectProvider<EmbeddedActiveMQ> embedded) {
        return () -> {
            EmbeddedActiveMQ broker = embedded.getIfAvailable();
            return broker == null ? null : broker.getActiveMQServer();
        };
    }

    @Bean("broker")
    public HealthIndicator brokerHealth(ObjectProvider<EmbeddedActiveMQ> embedded, ConnectionFactory connectionFactory) {
        return new BrokerHealthIndicator(embeddedServer(embedded), connectionFactory);
    }

    @Bean("partners")
    public HealthContributor partnersHealth(OriginHubProperties props, PartnerConnections connections) {
        if (props.partners().isEmpty()) {
            return (HealthIndicator) () -> Health.unknown().withDetail("reason", "no partner configured").build();
        }
        Map<String, HealthContributor> partners = new LinkedHashMap<>();
        props.partners().forEach((cc, partner) -> partners.put(cc,
                new PartnerReachabilityHealthIndicator(cc, partner, props.health().partnerProbeTimeout(), connections.status(cc))));
        return CompositeHealthContributor.fromMap(partners);
    }

    @Bean("signingCertificates")
    public HealthContributor signingCertificatesHealth(PartyKeyRing keys, OriginHubProperties props) {
        Map<String, HealthContributor> parties = new LinkedHashMap<>();
        keys.all().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> parties.put(e.getKey(),
                new CertificateExpiryHealthIndicator(e.getValue().certificate(), props.health().certificateExpiryWarning(),
                        Clock.systemUTC())));
        return CompositeHealthContributor.fromMap(parties);
    }

    @Bean
    public MessageMetrics messageMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        return new MessageMetrics(registry);
    }

    @Bean
    public DeadLetterGauges deadLetterGauges(ObjectProvider<EmbeddedActiveMQ> embedded, HubQueues queues) {
        return new DeadLetterGauges(embeddedServer(embedded), queues.deadLetterQueues());
    }
}
