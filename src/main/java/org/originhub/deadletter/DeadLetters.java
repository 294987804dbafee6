package org.originhub.deadletter;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.jms.JmsEndpoint;
import org.originhub.config.OriginHubProperties;
import org.originhub.exchange.HubHeaders;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.TrustBoundary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Prepares a message that can never succeed for its dead-letter queue ({@code DLQ.<the route's input queue>}): the
 * original message, unchanged, with headers that say which route failed, why (the rule, in words), with which
 * exception and after how many deliveries. Used by the one error-handling route configuration.
 */
@Component("deadLetters")
public class DeadLetters {
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final int MAX_HEADER = 1000;
    /**
     * Exchange property: how many times the failing step tried, when it retried by itself within one delivery (the
     * partner forwarder); the attempt count of the dead letter then, instead of the broker's delivery count.
     */
    public static final String ATTEMPTS = "OriginHubAttempts";

    private final OriginHubProperties props;
    private final TrustBoundary boundary;

    public DeadLetters(OriginHubProperties props, TrustBoundary boundary) {
        this.props = props;
        this.boundary = boundary;
    }

    /** A queue outsiders write to: a party's outbox or the partners' inbound queue. */
    private boolean isEntryQueue(String queue) {
        return props.queues().inbound().equals(queue)
                || props.parties().entrySet().stream().anyMatch(e -> e.getValue().outboxQueue(e.getKey()).equals(queue));
    }

    public void prepare(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message message = exchange.getMessage();
        String input = inputQueue(exchange.getFromEndpoint());
        if (isEntryQueue(input) && message.getHeader(DeadLetterReplay.REPLAYS) == null) {
            // The original as an outsider sent it: none of its properties may pass for the hub's own. (A replay, which
            // only the hub's account can send, keeps the identity the hub gave it when it first failed.)
            boundary.quarantine(message);
        }
        String reason = MessageRejectedException.reasonCodeOf(error);
        String detail = error instanceof MessageRejectedException r ? r.explanation() : String.valueOf(error);
        message.setHeader(HubHeaders.FAILURE_REASON, reason);
        message.setHeader(HubHeaders.FAILURE_DETAIL, truncate(detail));
        message.setHeader(HubHeaders.FAILURE_CLASS, error == null ? null : error.getClass().getName());
        message.setHeader(HubHeaders.FAILED_ROUTE, exchange.getFromRouteId());
        message.setHeader(HubHeaders.FAILED_QUEUE, input);
        message.setHeader(HubHeaders.FAILED_AT, OffsetDateTime.now(ZoneOffset.UTC).toString());
        Object attempts = exchange.getProperty(ATTEMPTS);
        if (attempts == null) {
            attempts = message.getHeader(HubHeaders.DELIVERY_COUNT);
        }
        message.setHeader(HubHeaders.FAILED_ATTEMPTS, attempts == null ? 1 : attempts);
        if (message.getHeader(HubHeaders.MESSAGE_ID) == null) {
            // Failed before the hub gave it an identity: the broker's message id names it for history and replay.
            String jmsId = message.getHeader("JMSMessageID", String.class);
            message.setHeader(HubHeaders.MESSAGE_ID, jmsId != null ? jmsId : message.getMessageId());
        }
        String dlq = props.queues().deadLetterQueue(input);
        exchange.setProperty(HubHeaders.DEAD_LETTER_QUEUE, dlq);
        log.warn("Dead-lettering message {} from {} (route {}) to {}: {}", message.getHeader(HubHeaders.MESSAGE_ID, message.getMessageId(), String.class),
                input, exchange.getFromRouteId(), dlq, detail);
    }

    static String inputQueue(Endpoint from) {
        if (from instanceof JmsEndpoint jms) {
            return jms.getDestinationName();
        }
        return from == null ? "unknown" : from.getEndpointKey().replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String truncate(String s) {
        return s == null || s.length() <= MAX_HEADER ? s : s.substring(0, MAX_HEADER) + "...";
    }
}
