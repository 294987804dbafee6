package org.originhub.history;

import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.originhub.exchange.HubHeaders;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The routes' step that writes a message's state transition to the message history, from the identity headers the
 * hub sets on every hop (messageId, party, partner, CO number, message type) and, for failures, the exception.
 */
@Component("historyRecorder")
public class HistoryRecorder {
    private final ObjectProvider<MessageHistory> history;

    public HistoryRecorder(ObjectProvider<MessageHistory> history) {
        this.history = history;
    }

    /** Records {@code state} (a {@link MessageState} name) for the message in the exchange. */
    public void record(Exchange exchange, String state) {
        record(exchange, MessageState.valueOf(state), reasonFor(exchange, MessageState.valueOf(state)));
    }

    /**
     * In the error handler: REJECTED for a permanent fault, DUPLICATE for a repeat of a message that went on, FAILED
     * when a partner stayed unreachable or the fault could not be classified; the reason names the rule.
     */
    public void recordFailure(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        MessageState state;
        if (error instanceof MessageRejectedException r && r.reason() == RejectionReason.DUPLICATE) {
            state = MessageState.DUPLICATE; // the message itself went on; only this repeat stopped
        } else if (error instanceof MessageRejectedException r && r.reason() != RejectionReason.PARTNER_UNREACHABLE) {
            state = MessageState.REJECTED;
        } else {
            state = MessageState.FAILED;
        }
        String reason = error instanceof MessageRejectedException r ? r.reason().name() + ": " + r.explanation()
                : String.valueOf(error);
        record(exchange, state, reason);
    }

    /**
     * An Acknowledgement delivered to a single window: the message it answers is now ACKNOWLEDGED, with the partner's
     * status as the reason.
     */
    public void recordAcknowledged(Exchange exchange) {
        Message m = exchange.getMessage();
        String inReplyTo = m.getHeader(HubHeaders.IN_REPLY_TO, String.class);
        if (inReplyTo == null || !"Acknowledgement".equals(m.getHeader(HubHeaders.MESSAGE_TYPE, String.class))) {
            return;
        }
        MessageHistory h = history.getIfAvailable();
        if (h == null) return;
        String status = exchange.getProperty(HubHeaders.ACKNOWLEDGEMENT_STATUS, String.class);
        h.record(new MessageHistory.Transition(inReplyTo, MessageState.ACKNOWLEDGED, exchange.getFromRouteId(),
                m.getHeader(HubHeaders.PARTY, String.class), m.getHeader(HubHeaders.SENDER, String.class),
                m.getHeader(HubHeaders.DOCUMENT_NUMBER, String.class), null,
                "acknowledged by " + m.getHeader(HubHeaders.SENDER, String.class) + ": " + status
                        + " (acknowledgement " + m.getHeader(HubHeaders.MESSAGE_ID, String.class) + ")", Instant.now()));
    }

    private void record(Exchange exchange, MessageState state, String reason) {
        MessageHistory h = history.getIfAvailable();
        if (h == null) return;
        Message m = exchange.getMessage();
        String messageId = m.getHeader(HubHeaders.MESSAGE_ID, String.class);
        if (messageId == null) {
            String jmsId = m.getHeader("JMSMessageID", String.class);
            messageId = jmsId != null ? jmsId : m.getMessageId();
        }
        String partner = m.getHeader(HubHeaders.PARTNER, String.class);
        if (partner == null && m.getHeader(HubHeaders.PARTY, String.class) != null
                && m.getHeader(HubHeaders.SENDER, String.class) != null
                && !m.getHeader(HubHeaders.SENDER, String.class).equals(m.getHeader(HubHeaders.PARTY, String.class))) {
            partner = m.getHeader(HubHeaders.SENDER, String.class); // inbound: the partner is the sender
        }
        h.record(new MessageHistory.Transition(messageId, state, exchange.getFromRouteId(),
                m.getHeader(HubHeaders.PARTY, String.class), partner, m.getHeader(HubHeaders.DOCUMENT_NUMBER, String.class),
                m.getHeader(HubHeaders.MESSAGE_TYPE, String.class), reason, Instant.now()));
    }

    private static String reasonFor(Exchange exchange, MessageState state) {
        return switch (state) {
            case SENT -> {
                Object retries = exchange.getMessage().getHeader(HubHeaders.FAILED_ATTEMPTS);
                yield retries instanceof Number n && n.intValue() > 0 ? "after " + n + " failed attempts" : null;
            }
            case DUPLICATE -> "messageId received before: acknowledged again, not delivered again";
            case DELIVERED -> exchange.getProperty(HubHeaders.INBOX_QUEUE) == null ? "answered by this hub"
                    : "to " + exchange.getProperty(HubHeaders.INBOX_QUEUE) + " as "
                    + exchange.getMessage().getHeader(HubHeaders.FORMAT);
            default -> null;
        };
    }
}
