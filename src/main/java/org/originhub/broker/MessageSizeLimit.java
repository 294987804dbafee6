package org.originhub.broker;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.ICoreMessage;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerPlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker refuses a message larger than the hub would take anyway ({@code originhub.limits.max-message-bytes} plus
 * {@link #HEADER_MARGIN} for properties and the partner's signature), whatever the protocol (CORE, AMQP): the check
 * runs in {@code beforeSend}, before the message is routed to any queue, so the sender's send fails and nothing is
 * stored. The hub's own account is not limited: its internal messages legitimately carry more than one copy of a
 * document (the original, base64, beside its rendering).
 *
 * <p>A CORE text message holds its text two bytes a character, so it is allowed twice the bytes. Artemis streams a
 * large message (over 100 KiB) to its large-messages folder before the send completes; a refused one is deleted there.
 */
public final class MessageSizeLimit implements ActiveMQServerPlugin {
    private static final Logger log = LoggerFactory.getLogger(MessageSizeLimit.class);

    /** Room above the document limit for message properties and the XML signature a partner adds to an envelope. */
    public static final long HEADER_MARGIN = 16 * 1024;

    private long maxBytes;
    private String unlimitedUser;

    /** For a broker.xml installation, with the properties {@code maxMessageBytes} and {@code hubUser} ({@link #init}). */
    public MessageSizeLimit() {
    }

    public MessageSizeLimit(long maxBytes, String unlimitedUser) {
        this.maxBytes = maxBytes;
        this.unlimitedUser = unlimitedUser;
    }

    /** The limit of a hub's configuration: documents up to {@code max-message-bytes}, from any account but the hub's. */
    public static MessageSizeLimit of(long maxMessageBytes, String hubUser) {
        return new MessageSizeLimit(maxMessageBytes + HEADER_MARGIN, hubUser);
    }

    /**
     * On an external broker ({@code config/artemis/broker.xml}): {@code maxMessageBytes} is the hub's
     * {@code originhub.limits.max-message-bytes} (the margin is added here), {@code hubUser} the hub's account.
     */
    @Override
    public void init(java.util.Map<String, String> properties) {
        String max = properties.get("maxMessageBytes");
        String hub = properties.get("hubUser");
        if (max == null || hub == null) {
            throw new IllegalArgumentException("Origin Hub's MessageSizeLimit needs the properties maxMessageBytes and hubUser");
        }
        maxBytes = Long.parseLong(max.trim()) + HEADER_MARGIN;
        unlimitedUser = hub.trim();
    }

    /** The largest message, in bytes as the broker counts them, another account may send. */
    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct, boolean noAutoCreateQueue)
            throws ActiveMQException {
        String user = session.getValidatedUser() != null ? session.getValidatedUser() : session.getUsername();
        if (unlimitedUser.equals(user)) {
            return;
        }
        long size = Math.max(message.getWholeMessageSize(), message.getEncodeSize());
        long allowed = message instanceof ICoreMessage core && core.getType() == Message.TEXT_TYPE ? 2 * maxBytes : maxBytes;
        if (size > allowed) {
            log.warn("Refused a message of {} bytes from '{}' to {}: the limit is {} bytes", size, user,
                    message.getAddress(), allowed);
            throw new ActiveMQException(ActiveMQExceptionType.ILLEGAL_STATE,
                    "message of " + size + " bytes refused: the limit is " + allowed + " bytes");
        }
    }
}
