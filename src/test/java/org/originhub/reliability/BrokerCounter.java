package org.originhub.reliability;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;

/**
 * A broker plugin on the far end's broker that sees every send to one address: how many times each messageId
 * reached the broker, how many of those its duplicate detection ({@code _AMQ_DUPL_ID}) dropped, and, for the poison
 * test, refuses the messageIds it is told to (as a partner broker refusing a message would).
 */
final class BrokerCounter implements ActiveMQServerMessagePlugin {
    private final String address;
    private final Map<String, AtomicInteger> routed = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> droppedAsDuplicate = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    final Set<String> refuse = ConcurrentHashMap.newKeySet();

    BrokerCounter(String address) {
        this.address = address;
    }

    private boolean ours(Message message) {
        return message.getAddress() != null && message.getAddress().equals(address);
    }

    private static String id(Message message) {
        Object id = message.getObjectProperty("OriginHubMessageId");
        return id == null ? String.valueOf(message.getDuplicateProperty()) : id.toString();
    }

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct, boolean noAutoCreateQueue)
            throws ActiveMQException {
        if (ours(message) && refuse.contains(id(message))) {
            refusals.computeIfAbsent(id(message), k -> new AtomicInteger()).incrementAndGet();
            throw new ActiveMQException(ActiveMQExceptionType.GENERIC_EXCEPTION, "partner broker refuses message " + id(message));
        }
    }

    @Override
    public void afterSend(ServerSession session, Transaction tx, Message message, boolean direct, boolean noAutoCreateQueue,
                          RoutingStatus result) {
        if (!ours(message)) return;
        (result == RoutingStatus.DUPLICATED_ID ? droppedAsDuplicate : routed)
                .computeIfAbsent(id(message), k -> new AtomicInteger()).incrementAndGet();
    }

    int routed(String messageId) {
        AtomicInteger n = routed.get(messageId);
        return n == null ? 0 : n.get();
    }

    int droppedAsDuplicate(String messageId) {
        AtomicInteger n = droppedAsDuplicate.get(messageId);
        return n == null ? 0 : n.get();
    }

    int routedDistinct() {
        return routed.size();
    }

    int routedTotal() {
        return routed.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    int droppedAsDuplicate() {
        return droppedAsDuplicate.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    int refusals(String messageId) {
        AtomicInteger n = refusals.get(messageId);
        return n == null ? 0 : n.get();
    }
}
