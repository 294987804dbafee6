package org.originhub.routing;

import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.originhub.config.OriginHubProperties;
import org.originhub.deadletter.DeadLetters;
import org.originhub.exchange.HubHeaders;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.originhub.exchange.TrustBoundary;
import org.originhub.history.MessageHistory;
import org.originhub.history.MessageState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Sends a signed envelope to its partner's broker over AMQP 1.0 ({@link PartnerSender}: durable, unsettled, no
 * AMQP transaction), retrying on the partner's schedule (initial delay, multiplier, max delay, max attempts;
 * 0 attempts = while queueing). Retrying here, inside the consuming transaction, keeps the partner queue in order:
 * nothing overtakes a message that is waiting for its partner. The local transaction commits only after the partner's
 * {@code accepted}.
 *
 * <p>Outcomes by meaning: {@code rejected} is permanent (dead-lettered at once as
 * {@link RejectionReason#PARTNER_REJECTED} with the partner's condition and description); {@code released},
 * {@code modified}, no outcome within the send timeout, and link or connection errors are retried. When attempts run
 * out, the message is dead-lettered as {@link RejectionReason#PARTNER_UNREACHABLE}; when the hub stops, the
 * transaction rolls back and the message waits in the queue for the next start. Each failed attempt is counted in
 * {@code originhub_partner_send_failures_total{partner,kind}} and shown in the partner's health entry
 * ({@link PartnerDeliveryStatus}).
 */
@Component("partnerForwarder")
public class PartnerForwarder {
    private static final Logger log = LoggerFactory.getLogger(PartnerForwarder.class);

    private final OriginHubProperties props;
    private final CamelContext camel;
    private final PartnerConnections connections;
    private final TrustBoundary boundary;
    private final MessageHistory history;
    private final ObjectProvider<MeterRegistry> meters;

    public PartnerForwarder(OriginHubProperties props, CamelContext camel, PartnerConnections connections,
                            TrustBoundary boundary, MessageHistory history, ObjectProvider<MeterRegistry> meters) {
        this.props = props;
        this.boundary = boundary;
        this.history = history;
        this.camel = camel;
        this.connections = connections;
        this.meters = meters;
    }

    public void forward(Exchange exchange) throws Exception {
        String partner = exchange.getMessage().getHeader(HubHeaders.PARTNER, String.class);
        OriginHubProperties.Partner config = props.partners().get(partner);
        if (config == null) {
            throw new MessageRejectedException(RejectionReason.UNKNOWN_PARTNER, "no partner " + partner + " is configured");
        }
        PartnerSender sender = connections.sender(partner);
        PartnerDeliveryStatus status = connections.status(partner);
        OriginHubProperties.Retry retry = config.retry();
        long delay = retry.initialDelay().toMillis();
        String messageId = exchange.getMessage().getHeader(HubHeaders.MESSAGE_ID, String.class);
        for (int attempt = 1; ; attempt++) {
            Exchange attemptExchange = exchange.copy();
            // Only the envelope's documented identity headers go to the partner, never the hub's internal ones.
            boundary.toPartner(attemptExchange.getMessage());
            if (messageId != null) {
                // The partner's broker detects a resend by the plain messageId, also when the local copy is a replay
                // (whose duplicate-detection id on this hub's broker has a replay suffix).
                attemptExchange.getMessage().setHeader(HubHeaders.DUPLICATE_ID, messageId);
            }
            Exception failure = null;
            try {
                sender.send(attemptExchange.getMessage().getBody(), properties(attemptExchange));
            } catch (Exception e) {
                failure = e;
            }
            if (failure instanceof PartnerRejectedException rejected && !partnerHoldsItAlready(failure)) {
                count(partner, "rejected");
                status.rejected();
                exchange.setProperty(DeadLetters.ATTEMPTS, attempt);
                throw new MessageRejectedException(RejectionReason.PARTNER_REJECTED, "partner " + partner + " at "
                        + PartnerConnections.displayUrl(config.amqpUrl()) + " rejected message " + messageId
                        + ": condition " + rejected.condition() + ", description: " + rejected.description(), failure);
            }
            if (failure != null && partnerHoldsItAlready(failure)) {
                if (!mayHaveSentBefore(exchange, attempt)) {
                    // Nothing of ours can be there: the id was used first by someone else. Not delivered; say so.
                    throw new MessageRejectedException(RejectionReason.DUPLICATE_ID_CONFLICT, "partner " + partner
                            + "'s broker refused message " + messageId + " as a duplicate, but this hub never sent it there"
                            + " before: another sender used the same id; the message was NOT delivered", failure);
                }
                // An earlier attempt reached the partner's broker but its answer was lost (e.g. the broker went down
                // before acknowledging); its duplicate detection refused this resend. Delivered: do not retry forever.
                log.info("Partner {} already holds message {} (its broker refused the resend as a duplicate)", partner, messageId);
                failure = null;
            }
            if (failure == null) {
                status.accepted();
                if (attempt > 1) {
                    log.info("Message {} reached partner {} at attempt {}", exchange.getMessage().getHeader(HubHeaders.MESSAGE_ID), partner, attempt);
                }
                exchange.getMessage().setHeader(HubHeaders.FAILED_ATTEMPTS, attempt - 1);
                return;
            }
            count(partner, failureKind(failure));
            status.failed(failureKind(failure), rootMessage(failure));
            if (retry.maxAttempts() > 0 && attempt >= retry.maxAttempts()) {
                // For the dead letter's attempt count (the broker delivered it once; the partner was tried this often).
                exchange.setProperty(DeadLetters.ATTEMPTS, attempt);
                throw new MessageRejectedException(RejectionReason.PARTNER_UNREACHABLE, "partner " + partner + " at "
                        + PartnerConnections.displayUrl(config.amqpUrl()) + " did not take the message after " + attempt + " attempts: " + rootMessage(failure), failure);
            }
            log.warn("Partner {} did not take message {} (attempt {}): {}; next attempt in {} ms", partner,
                    exchange.getMessage().getHeader(HubHeaders.MESSAGE_ID), attempt, rootMessage(failure), delay);
            if (!waitUnlessStopping(delay)) {
                // Roll back: the message stays first in the partner's queue for the next start.
                throw new IllegalStateException("hub stopping while partner " + partner + " is unreachable", failure);
            }
            delay = Math.min((long) (delay * retry.multiplier()), retry.maxDelay().toMillis());
        }
    }

    /** The message's headers as AMQP application properties (already reduced to {@link TrustBoundary#TO_PARTNER}). */
    private static Map<String, Object> properties(Exchange exchange) {
        return new LinkedHashMap<>(exchange.getMessage().getHeaders());
    }

    private void count(String partner, String kind) {
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            registry.counter("originhub.partner.send.failures", "partner", partner, "kind", kind).increment();
        }
    }

    /** For the failure counter: what kind of failure an attempt ended in. */
    static String failureKind(Throwable failure) {
        if (failure instanceof PartnerSender.PartnerTimeoutException) {
            return "timeout";
        }
        if (PartnerSender.releasedOrModified(failure)) {
            return "released";
        }
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof org.apache.qpid.jms.provider.exceptions.ProviderSendTimedOutException
                    || c instanceof org.apache.qpid.jms.JmsSendTimedOutException) {
                return "timeout";
            }
        }
        return "connection";
    }

    /**
     * Whether an earlier send of this very message by this hub may have reached the partner: an earlier attempt in
     * this delivery, an earlier delivery of it from the partner queue (the hub stopped or crashed mid-send), or an
     * operator's replay of a message that failed before. Only then is the partner's "duplicate" a delivery.
     */
    private boolean mayHaveSentBefore(Exchange exchange, int attempt) {
        String messageId = exchange.getMessage().getHeader(HubHeaders.MESSAGE_ID, String.class);
        return mayHaveSentBefore(attempt, Boolean.TRUE.equals(exchange.getMessage().getHeader("JMSRedelivered", Boolean.class)),
                exchange.getMessage().getHeader(HubHeaders.DELIVERY_COUNT, Integer.class),
                messageId == null ? java.util.Optional.empty() : history.lastState(messageId));
    }

    /** The rule itself: a first send's last recorded state is SIGNED; anything past it means it was on its way before. */
    static boolean mayHaveSentBefore(int attempt, boolean redelivered, Integer deliveryCount,
                                     java.util.Optional<MessageState> lastState) {
        if (attempt > 1 || redelivered || (deliveryCount != null && deliveryCount > 1)) {
            return true;
        }
        return lastState.filter(s -> s == MessageState.FAILED || s == MessageState.REPLAYED || s == MessageState.SENT
                || s == MessageState.ACKNOWLEDGED).isPresent();
    }

    private boolean waitUnlessStopping(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            if (camel.isStopping() || camel.isStopped()) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(Math.min(200, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
        }
        return !(camel.isStopping() || camel.isStopped());
    }

    /**
     * Whether the partner's broker refused the send because it already holds a message with this duplicate-detection
     * id ("Duplicate message detected", as ActiveMQ Artemis says when it refuses a duplicate; a non-transacted send to
     * Artemis is accepted and the duplicate dropped silently instead, see SECURITY.md).
     */
    static boolean partnerHoldsItAlready(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains("Duplicate message detected")) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
