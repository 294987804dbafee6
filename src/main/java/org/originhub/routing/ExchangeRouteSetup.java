package org.originhub.routing;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.originhub.config.OriginHubProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Instantiates the route templates of {@code routes/*.yaml} for the configuration: one single-window intake route per
 * party and one forwarding route (with its own AMQP connection, PartnerConnections) per partner. Adding a party or a partner is
 * configuration only; the YAML templates stay as they are.
 */
@Component
public class ExchangeRouteSetup implements CamelContextConfiguration {
    private static final Logger log = LoggerFactory.getLogger(ExchangeRouteSetup.class);

    private final OriginHubProperties props;

    public ExchangeRouteSetup(OriginHubProperties props) {
        this.props = props;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        // Nothing: the partners' connections are PartnerConnections' (plain Qpid JMS, no Camel component).
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        props.parties().forEach((cc, party) -> {
            String id = TemplatedRouteBuilder.builder(camel, "sw-outbox-intake")
                    .routeId("sw-outbox-intake-" + cc)
                    .parameter("party", cc)
                    .parameter("queue", party.outboxQueue(cc))
                    .add();
            log.info("Route {}: {} ({}) -> {}", id, party.outboxQueue(cc), party.format(), props.queues().outbound());
        });
        props.partners().forEach((cc, partner) -> {
            String id = TemplatedRouteBuilder.builder(camel, "partner-forward")
                    .routeId("partner-forward-" + cc)
                    .parameter("partner", cc)
                    .parameter("queue", props.queues().partnerQueue(cc))
                    .add();
            log.info("Route {}: {} -> {} address {}", id, props.queues().partnerQueue(cc),
                    PartnerConnections.displayUrl(partner.amqpUrl()), partner.address());
        });
    }
}
