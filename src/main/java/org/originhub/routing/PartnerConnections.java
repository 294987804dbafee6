package org.originhub.routing;

import java.util.Locale;
import org.apache.camel.CamelContext;
import org.apache.camel.component.amqp.AMQPComponent;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.originhub.config.OriginHubProperties;
import org.originhub.exchange.JmsHeaderFilter;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * One camel-amqp component per partner ({@code amqp-<cc>}), each with its own Qpid JMS connection to the partner's
 * broker and credentials, so that partners never share a connection and one partner's outage touches no other.
 */
public final class PartnerConnections {
    private PartnerConnections() {
    }

    public static String componentName(String partner) {
        return "amqp-" + partner.toLowerCase(Locale.ROOT);
    }

    /** The endpoint a partner's messages are sent to: its broker's address, as a queue (anycast). */
    public static String endpointUri(String partner, OriginHubProperties.Partner config) {
        return componentName(partner) + ":queue:" + config.address();
    }

    /**
     * A partner URL as logs, health details and dead-letter reasons may show it: without its query, which can hold
     * key store passwords (transport.keyStorePassword, ...).
     */
    public static String displayUrl(String url) {
        int q = url == null ? -1 : url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    public static void register(CamelContext camel, OriginHubProperties props) {
        props.partners().forEach((cc, partner) -> {
            JmsConnectionFactory qpid = new JmsConnectionFactory(partner.amqpUrl());
            if (partner.username() != null && !partner.username().isBlank()) {
                qpid.setUsername(partner.username());
                qpid.setPassword(partner.password());
            }
            qpid.setClientIDPrefix("origin-hub-to-" + cc + "-");
            CachingConnectionFactory cached = new CachingConnectionFactory(qpid);
            cached.setSessionCacheSize(4);
            cached.setReconnectOnException(true);
            AMQPComponent amqp = new AMQPComponent(cached);
            amqp.setHeaderFilterStrategy(new JmsHeaderFilter());
            // Every send waits for the partner broker's acknowledgement (persistent delivery), so a commit of the
            // local transaction means the partner holds the message.
            amqp.getConfiguration().setDeliveryPersistent(true);
            camel.addComponent(componentName(cc), amqp);
        });
    }
}
