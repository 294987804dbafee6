package org.originhub.routing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.originhub.config.OriginHubProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * One {@link PartnerSender} per partner, each with its own Qpid JMS connection to the partner's broker and
 * credentials, so that partners never share a connection and one partner's outage touches no other.
 *
 * <p>When Camel starts stopping, every sender is told to give up waiting for an outcome, so a forward stuck on a
 * partner that never settles rolls back at once instead of holding up the graceful shutdown; the connections are
 * closed (each bounded by its {@code close-timeout}) when the Spring context is destroyed.
 */
@Component("partnerConnections")
public class PartnerConnections implements DisposableBean {
    private final Map<String, PartnerSender> senders = new LinkedHashMap<>();
    private final Map<String, PartnerDeliveryStatus> statuses = new LinkedHashMap<>();

    public PartnerConnections(OriginHubProperties props, CamelContext camel) {
        props.partners().forEach((cc, partner) -> {
            senders.put(cc, new PartnerSender(cc, partner));
            statuses.put(cc, new PartnerDeliveryStatus());
        });
        camel.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                senders.values().forEach(PartnerSender::stopWaiting);
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppingEvent;
            }
        });
    }

    /** The sender of a configured partner, or null. */
    public PartnerSender sender(String partner) {
        return senders.get(partner);
    }

    /** What the forwarder last experienced sending to a configured partner, or null. */
    public PartnerDeliveryStatus status(String partner) {
        return statuses.get(partner);
    }

    /**
     * A partner URL as logs, health details and dead-letter reasons may show it: without its query, which can hold
     * key store passwords (transport.keyStorePassword, ...).
     */
    public static String displayUrl(String url) {
        int q = url == null ? -1 : url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    @Override
    public void destroy() {
        senders.values().forEach(PartnerSender::close);
    }
}
