package org.originhub.deadletter;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.originhub.broker.HubQueues;
import org.originhub.config.OriginHubProperties;
import org.originhub.exchange.HubHeaders;
import org.originhub.history.MessageHistory;
import org.originhub.history.MessageState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jms.connection.SingleConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Moves a dead-lettered message back to the queue where it failed, once its cause is fixed: the same body and
 * messageId, the failure headers removed, in one JMS transaction (taken from the dead-letter queue only when the
 * original queue holds it). The broker's duplicate-detection id gets a replay suffix, since the original queue has
 * already seen the plain messageId; the receiving hub still recognises the messageId itself. Recorded as REPLAYED.
 */
@Component
public class DeadLetterReplay {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplay.class);
    /** How often a message was replayed; only the hub's account can set it (the broker strips it from outsiders). */
    public static final String REPLAYS = "OriginHubReplays";
    private static final String[] FAILURE_HEADERS = {HubHeaders.FAILURE_REASON, HubHeaders.FAILURE_DETAIL,
            HubHeaders.FAILURE_CLASS, HubHeaders.FAILED_ROUTE, HubHeaders.FAILED_AT, HubHeaders.FAILED_ATTEMPTS};

    private final ConnectionFactory connectionFactory;
    private final OriginHubProperties props;
    private final ObjectProvider<MessageHistory> history;

    public DeadLetterReplay(ConnectionFactory connectionFactory, OriginHubProperties props, ObjectProvider<MessageHistory> history) {
        this.connectionFactory = uncached(connectionFactory);
        this.props = props;
        this.history = history;
    }

    /**
     * The broker's own connection factory behind Spring's caching one: a cached session keeps its consumers open, and
     * a replay's consumer (selecting one messageId on a dead-letter queue) left open would take the same message into
     * its prefetch buffer, invisible and stuck, if it is dead-lettered again. Operator actions open real connections.
     */
    static ConnectionFactory uncached(ConnectionFactory connectionFactory) {
        if (connectionFactory instanceof SingleConnectionFactory single && single.getTargetConnectionFactory() != null) {
            return single.getTargetConnectionFactory();
        }
        return connectionFactory;
    }

    /** What a replay did. */
    public record Result(String messageId, String fromQueue, String toQueue) {
    }

    /**
     * Replays the dead-lettered message with this messageId from {@code deadLetterQueue} (e.g. {@code DLQ.hub.inbound}),
     * or from any of the hub's dead-letter queues when {@code deadLetterQueue} is null. Empty when no such message.
     */
    public Optional<Result> replay(String messageId, String deadLetterQueue) throws JMSException {
        if (messageId == null || !messageId.matches("[A-Za-z0-9:._-]{1,100}")) {
            throw new IllegalArgumentException("not a messageId: " + messageId);
        }
        List<String> queues = deadLetterQueue != null ? List.of(deadLetterQueue) : deadLetterQueues();
        for (String dlq : queues) {
            if (!dlq.startsWith(props.queues().deadLetterPrefix())) {
                throw new IllegalArgumentException(dlq + " is not a dead-letter queue of this hub");
            }
            Optional<Result> r = replayFrom(dlq, messageId);
            if (r.isPresent()) return r;
        }
        return Optional.empty();
    }

    private Optional<Result> replayFrom(String dlq, String messageId) throws JMSException {
        try (Connection c = connectionFactory.createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = s.createConsumer(s.createQueue(dlq), HubHeaders.MESSAGE_ID + " = '" + messageId + "'");
            Message m = consumer.receive(1000);
            if (m == null) {
                s.rollback();
                return Optional.empty();
            }
            String target = m.getStringProperty(HubHeaders.FAILED_QUEUE);
            if (target == null) {
                target = dlq.substring(props.queues().deadLetterPrefix().length());
            }
            Message copy = copyWithoutFailure(s, m);
            int replays = m.propertyExists(REPLAYS) ? m.getIntProperty(REPLAYS) + 1 : 1;
            copy.setIntProperty(REPLAYS, replays);
            copy.setStringProperty(HubHeaders.DUPLICATE_ID, messageId + ":replay:" + replays + ":" + System.currentTimeMillis());
            MessageProducer producer = s.createProducer(s.createQueue(target));
            producer.send(copy);
            s.commit();
            log.info("Replayed message {} from {} to {}", messageId, dlq, target);
            MessageHistory h = history.getIfAvailable();
            if (h != null) {
                h.record(new MessageHistory.Transition(messageId, MessageState.REPLAYED, "operator-replay",
                        m.getStringProperty(HubHeaders.PARTY), m.getStringProperty(HubHeaders.PARTNER),
                        m.getStringProperty(HubHeaders.DOCUMENT_NUMBER), m.getStringProperty(HubHeaders.MESSAGE_TYPE),
                        "moved from " + dlq + " back to " + target, Instant.now()));
            }
            return Optional.of(new Result(messageId, dlq, target));
        }
    }

    private static Message copyWithoutFailure(Session s, Message m) throws JMSException {
        Message copy;
        if (m instanceof jakarta.jms.TextMessage t) {
            copy = s.createTextMessage(t.getText());
        } else if (m instanceof jakarta.jms.BytesMessage b) {
            byte[] data = new byte[(int) b.getBodyLength()];
            b.readBytes(data);
            jakarta.jms.BytesMessage bm = s.createBytesMessage();
            bm.writeBytes(data);
            copy = bm;
        } else {
            throw new JMSException("cannot replay a " + m.getClass().getSimpleName());
        }
        List<String> skip = List.of(FAILURE_HEADERS);
        for (Object name : Collections.list(m.getPropertyNames())) {
            String n = (String) name;
            if (skip.contains(n) || n.startsWith("JMSX") && !n.equals(HubHeaders.GROUP_ID) || n.startsWith("_AMQ")) continue;
            copy.setObjectProperty(n, m.getObjectProperty(n));
        }
        return copy;
    }

    private List<String> deadLetterQueues() {
        return new HubQueues(props).deadLetterQueues();
    }
}
