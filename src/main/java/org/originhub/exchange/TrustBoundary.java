package org.originhub.exchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The hub's rule for message headers at its trust boundaries, stated once: outsiders (a single window on its outbox,
 * a partner on {@code hub.inbound}) give the hub a document and nothing else. Every property they set is dropped on
 * entry except the few the broker itself vouches for ({@link #FROM_OUTSIDE}); the hub then sets its own. What
 * leaves the hub carries only documented headers: {@link #TO_SINGLE_WINDOW} to a single window's inbox,
 * {@link #TO_PARTNER} to a partner's broker. Internal headers (routing queues, idempotency keys) never leave.
 *
 * <p>Camel's control headers ({@code Camel*} in any case) are also removed at every JMS/AMQP endpoint by
 * {@link JmsHeaderFilter}; this class is the second, positive layer: an allow-list, not a deny-list.
 */
@Component("trustBoundary")
public class TrustBoundary {
    /**
     * What survives entry: the broker's own facts about the delivery (its message id, time, redelivery count) and the
     * broker account that sent it, which the broker stamps over anything the sender wrote
     * ({@code org.originhub.broker.AuthenticatedSender}).
     */
    public static final Set<String> FROM_OUTSIDE = names("JMSMessageID", "JMSTimestamp", "JMSRedelivered",
            HubHeaders.DELIVERY_COUNT, HubHeaders.AUTHENTICATED_ACCOUNT);

    /** What a single window receives on its inbox (README, "Flows" and "Operations"). */
    public static final Set<String> TO_SINGLE_WINDOW = names(HubHeaders.MESSAGE_ID, HubHeaders.MESSAGE_TYPE,
            HubHeaders.SENDER, HubHeaders.RECEIVER, HubHeaders.DOCUMENT_NUMBER, HubHeaders.PARTY, HubHeaders.FORMAT,
            HubHeaders.IN_REPLY_TO, HubHeaders.SIGNER, HubHeaders.ORIGINAL_DOCUMENT, HubHeaders.ORIGINAL_DOCUMENT_FORMAT,
            HubHeaders.ORIGINAL_DOCUMENT_SHA256, HubHeaders.LIFECYCLE_WARNINGS, HubHeaders.FAILURE_REASON,
            HubHeaders.DUPLICATE_ID, HubHeaders.GROUP_ID);

    /** What a partner's broker receives with a signed envelope: its identity, for routing and duplicate detection. */
    public static final Set<String> TO_PARTNER = names(HubHeaders.MESSAGE_ID, HubHeaders.MESSAGE_TYPE,
            HubHeaders.SENDER, HubHeaders.RECEIVER, HubHeaders.DOCUMENT_NUMBER, HubHeaders.DUPLICATE_ID, HubHeaders.GROUP_ID);

    /** The first step at an entry queue: everything the outsider set is dropped but {@link #FROM_OUTSIDE}. */
    public void enter(Exchange exchange) {
        keepOnly(exchange.getMessage(), FROM_OUTSIDE);
    }

    /** Before a message goes to a single window's inbox. */
    public void toSingleWindow(Exchange exchange) {
        keepOnly(exchange.getMessage(), TO_SINGLE_WINDOW);
    }

    /** Before a message goes to a partner's broker. */
    public void toPartner(Message message) {
        keepOnly(message, TO_PARTNER);
    }

    /**
     * A message from an entry queue that failed before the hub set its own headers, on its way to a dead-letter queue:
     * the outsider's own properties stay for the operator to see, but none in the hub's or Camel's name space, which
     * the hub would otherwise read as its own (a forged {@code OriginHubMessageId} would file the failure under another
     * message's history).
     */
    public void quarantine(Message message) {
        List<String> drop = new ArrayList<>();
        for (String name : message.getHeaders().keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if ((lower.startsWith("originhub") || lower.startsWith("_amq_") || lower.startsWith("jmsx")
                    || JmsHeaderFilter.isCamelControlHeader(name)) && !FROM_OUTSIDE.contains(name)) {
                drop.add(name);
            }
        }
        drop.forEach(message::removeHeader);
    }

    static void keepOnly(Message message, Set<String> allowed) {
        List<String> drop = new ArrayList<>();
        for (String name : message.getHeaders().keySet()) {
            if (!allowed.contains(name)) {
                drop.add(name);
            }
        }
        drop.forEach(message::removeHeader);
    }

    private static Set<String> names(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(names));
        return java.util.Collections.unmodifiableSet(set);
    }
}
