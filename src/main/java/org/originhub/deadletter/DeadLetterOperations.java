package org.originhub.deadletter;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import org.originhub.broker.HubQueues;
import org.originhub.config.OriginHubProperties;
import org.originhub.exchange.HubHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedOperationParameters;
import org.springframework.jmx.export.annotation.ManagedResource;

/**
 * The dead-letter replay as JMX operations, so an operator can run it from Hawtio (JMX tab, domain
 * {@code org.originhub}, {@code type=Operations,name=DeadLetterReplay}). Every operation returns readable text and
 * never throws. Unlike the REST replay, these act on the dead-letter queues directly, without consulting the message
 * history (a message the broker dead-lettered may have no history line). Registered by
 * {@link OperationsMBeanRegistration}; deliberately not a Spring bean itself.
 */
@ManagedResource(objectName = OperationsMBeanRegistration.DEAD_LETTER_REPLAY,
        description = "Replays dead-lettered messages back to the queue where they failed")
public class DeadLetterOperations {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterOperations.class);
    static final int LIST_LIMIT = 100;

    private final DeadLetterReplay replay;
    private final ConnectionFactory connectionFactory;
    private final OriginHubProperties props;

    public DeadLetterOperations(DeadLetterReplay replay, ConnectionFactory connectionFactory, OriginHubProperties props) {
        this.replay = replay;
        this.connectionFactory = DeadLetterReplay.uncached(connectionFactory);
        this.props = props;
    }

    @ManagedOperation(description = "Replays the message with this messageId from whichever of the hub's dead-letter queues holds it")
    @ManagedOperationParameters(@ManagedOperationParameter(name = "messageId", description = "the OriginHubMessageId of the dead-lettered message"))
    public String replay(String messageId) {
        return replayFrom(messageId, null);
    }

    @ManagedOperation(description = "Replays the message with this messageId from one dead-letter queue (e.g. DLQ.hub.inbound)")
    @ManagedOperationParameters({
            @ManagedOperationParameter(name = "messageId", description = "the OriginHubMessageId of the dead-lettered message"),
            @ManagedOperationParameter(name = "deadLetterQueue", description = "the dead-letter queue, e.g. DLQ.AR.sw.outbox (empty: all)")})
    public String replayFrom(String messageId, String deadLetterQueue) {
        String queue = deadLetterQueue == null || deadLetterQueue.isBlank() ? null : deadLetterQueue.trim();
        String id = messageId == null ? null : messageId.trim();
        try {
            Optional<DeadLetterReplay.Result> r = replay.replay(id, queue);
            if (r.isEmpty()) {
                return "Not replayed: no message " + id + " in " + (queue == null ? "the hub's dead-letter queues" : queue);
            }
            return "Replayed message " + r.get().messageId() + " from " + r.get().fromQueue() + " to " + r.get().toQueue();
        } catch (IllegalArgumentException e) {
            return "Not replayed: " + e.getMessage();
        } catch (JMSException | RuntimeException e) {
            log.warn("JMX replay of {} failed", id, e);
            return "Not replayed: the broker failed: " + e;
        }
    }

    @ManagedAttribute(description = "The hub's dead-letter queues")
    public String[] getDeadLetterQueues() {
        return deadLetterQueues().toArray(String[]::new);
    }

    @ManagedOperation(description = "Lists up to 100 messages of a dead-letter queue (empty: of every dead-letter queue), one line each: "
            + "queue, messageId, reason, failed route, failed at, attempts, detail")
    @ManagedOperationParameters(@ManagedOperationParameter(name = "deadLetterQueue", description = "e.g. DLQ.AR.sw.outbox (empty: all)"))
    public String listDeadLetters(String deadLetterQueue) {
        List<String> queues = deadLetterQueue == null || deadLetterQueue.isBlank()
                ? deadLetterQueues() : List.of(deadLetterQueue.trim());
        List<String> lines = new ArrayList<>();
        try (Connection c = connectionFactory.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String queue : queues) {
                if (!queue.startsWith(props.queues().deadLetterPrefix())) {
                    return queue + " is not a dead-letter queue of this hub";
                }
                try (QueueBrowser browser = s.createBrowser(s.createQueue(queue))) {
                    Enumeration<?> e = browser.getEnumeration();
                    while (e.hasMoreElements() && lines.size() < LIST_LIMIT) {
                        lines.add(queue + " | " + describe((Message) e.nextElement()));
                    }
                }
            }
        } catch (JMSException | RuntimeException e) {
            return "Could not browse " + queues + ": " + e;
        }
        if (lines.isEmpty()) return "No dead-lettered messages in " + String.join(", ", queues);
        if (lines.size() >= LIST_LIMIT) lines.add("(first " + LIST_LIMIT + " shown)");
        return String.join("\n", lines);
    }

    private static String describe(Message m) throws JMSException {
        String id = m.getStringProperty(HubHeaders.MESSAGE_ID);
        return (id == null ? "(no messageId; JMS " + m.getJMSMessageID() + ")" : id)
                + " | " + m.getStringProperty(HubHeaders.FAILURE_REASON)
                + " | " + m.getStringProperty(HubHeaders.FAILED_ROUTE)
                + " | " + m.getStringProperty(HubHeaders.FAILED_AT)
                + " | " + m.getObjectProperty(HubHeaders.FAILED_ATTEMPTS)
                + " | " + m.getStringProperty(HubHeaders.FAILURE_DETAIL);
    }

    /** The hub's dead-letter queues, as the broker declares them ({@link HubQueues}); {@link DeadLetterReplay} searches the same. */
    List<String> deadLetterQueues() {
        return new HubQueues(props).deadLetterQueues();
    }
}
