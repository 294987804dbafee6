package org.originhub.routing;

import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.apache.qpid.jms.provider.ProviderException;
import org.apache.qpid.jms.provider.exceptions.ProviderDeliveryModifiedException;
import org.apache.qpid.jms.provider.exceptions.ProviderDeliveryReleasedException;
import org.originhub.config.OriginHubProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends to one partner's broker with nothing but AMQP 1.0 messaging: a durable message, sent unsettled on a
 * <em>non-transacted</em> Qpid JMS session, whose send completes only with the partner's outcome. No transaction
 * coordinator is ever used on the partner's connection, so any AMQP 1.0 peer will do (RabbitMQ, a plain Proton
 * receiver, Service Bus, Artemis); the forwarding route's local transaction on the hub's own broker commits only after
 * {@link #send} returned, i.e. after the partner's {@code accepted}.
 *
 * <p>Why plain Qpid JMS rather than a camel-amqp component: a camel-amqp component is a {@code JmsComponent}, and
 * Camel Spring Boot copies every {@code camel.component.jms.*} setting onto every {@code JmsComponent} instance
 * (its customizer tests {@code instanceof JmsComponent}); the hub's {@code transacted: true} and
 * {@code transaction-manager} thus made the partner's JmsTemplate session transacted, i.e. an AMQP transaction
 * coordinator on the partner's connection (a hang on RabbitMQ, "the txn-id field is mandatory" from a Proton receiver).
 * Owning the session makes "not transacted" a fact of this class rather than of configuration elsewhere, and lets the
 * wait for the outcome be bounded and interrupted at shutdown.
 *
 * <p>Every operation is bounded: connecting, beginning the session and attaching the link by the partner's
 * {@code connect-timeout} (Qpid JMS {@code jms.connectTimeout}, {@code jms.requestTimeout}), the outcome by its
 * {@code send-timeout} (Qpid JMS {@code jms.sendTimeout}, and this class's own wait), closing by its
 * {@code close-timeout} ({@code jms.closeTimeout}). After any failure the connection is closed and opened afresh on
 * the next send, so an unsettled delivery is never left behind on a connection that is used again.
 *
 * <p>Sends are serialized (one session, one producer per partner); the partner's queue is consumed in order anyway.
 */
public class PartnerSender {
    private static final Logger log = LoggerFactory.getLogger(PartnerSender.class);

    private final String partner;
    private final OriginHubProperties.Partner config;
    private final JmsConnectionFactory factory;
    private volatile boolean stopping;
    private Connection connection;
    private Session session;
    private MessageProducer producer;

    public PartnerSender(String partner, OriginHubProperties.Partner config) {
        this.partner = partner;
        this.config = config;
        this.factory = new JmsConnectionFactory(config.amqpUrl());
        if (config.username() != null && !config.username().isBlank()) {
            factory.setUsername(config.username());
            factory.setPassword(config.password());
        }
        factory.setClientIDPrefix("origin-hub-to-" + partner + "-");
        factory.setConnectTimeout(config.connectTimeout().toMillis());
        factory.setRequestTimeout(config.connectTimeout().toMillis());
        factory.setSendTimeout(config.sendTimeout().toMillis());
        factory.setCloseTimeout(config.closeTimeout().toMillis());
        // A persistent send waits for the outcome; say so explicitly (the default, but the whole design rests on it).
        factory.setForceSyncSend(false);
        factory.setForceAsyncSend(false);
    }

    /**
     * Sends one message and returns once the partner has accepted it.
     *
     * @param body       the envelope (a String becomes an AMQP text body, a byte[] a binary one)
     * @param properties application properties (only those the trust boundary lets through to a partner)
     * @throws PartnerRejectedException the partner settled the delivery as {@code rejected} (permanent)
     * @throws Exception                anything else: connection or link failure, {@code released}/{@code modified},
     *                                  no outcome within the send timeout, the hub stopping (transient: retry)
     */
    public synchronized void send(Object body, Map<String, Object> properties) throws Exception {
        if (stopping) {
            throw new IllegalStateException("hub stopping: nothing more is sent to partner " + partner);
        }
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        try {
            open();
            Message message = body instanceof byte[] bytes ? bytesMessage(bytes) : session.createTextMessage(String.valueOf(body));
            for (Map.Entry<String, Object> p : properties.entrySet()) {
                Object value = p.getValue();
                if (value != null) {
                    message.setObjectProperty(p.getKey(), value instanceof String || value instanceof Number
                            || value instanceof Boolean ? value : value.toString());
                }
            }
            // Asynchronous only in form: the completion is the partner's outcome, which this thread waits for below,
            // so that the wait can be bounded and given up when the hub stops.
            producer.send(message, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE,
                    new CompletionListener() {
                        @Override
                        public void onCompletion(Message m) {
                            outcome.complete(null);
                        }

                        @Override
                        public void onException(Message m, Exception e) {
                            outcome.completeExceptionally(e);
                        }
                    });
            awaitOutcome(outcome);
        } catch (Exception e) {
            // Never reuse a connection after a failure: an unsettled delivery may still be pending on it.
            closeConnection();
            PartnerRejectedException rejected = PartnerRejectedException.from(partner, e);
            throw rejected != null ? rejected : e;
        }
    }

    private void awaitOutcome(CompletableFuture<Void> outcome) throws Exception {
        // A little beyond Qpid JMS's own send timeout, which normally fires first with its own exception.
        long deadline = System.nanoTime() + config.sendTimeout().toNanos() + TimeUnit.MILLISECONDS.toNanos(500);
        while (true) {
            if (stopping) {
                throw new IllegalStateException("hub stopping while waiting for partner " + partner + "'s outcome");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new PartnerTimeoutException("partner " + partner + " did not settle the message within "
                        + config.sendTimeout() + " (send-timeout)");
            }
            try {
                outcome.get(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 200), TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                // poll again: the stopping flag and the deadline
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
        }
    }

    private Message bytesMessage(byte[] bytes) throws JMSException {
        jakarta.jms.BytesMessage m = session.createBytesMessage();
        m.writeBytes(bytes);
        return m;
    }

    private void open() throws JMSException {
        if (producer != null) {
            return;
        }
        connection = factory.createConnection();
        connection.setExceptionListener(e -> log.debug("Connection to partner {} failed: {}", partner, e.toString()));
        connection.start();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(session.createQueue(config.address()));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
    }

    /** From now on, no new send and no further waiting (the hub is stopping; the route rolls back). */
    public void stopWaiting() {
        stopping = true;
    }

    /** Closes the connection, waiting at most the partner's close-timeout. */
    public void close() {
        stopping = true;
        closeConnection();
    }

    private void closeConnection() {
        Connection c;
        synchronized (this) {
            c = connection;
            connection = null;
            session = null;
            producer = null;
        }
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("Closing the connection to partner {}: {}", partner, e.toString());
            }
        }
    }

    /** The partner's broker did not settle a message within the send timeout. */
    public static class PartnerTimeoutException extends Exception {
        public PartnerTimeoutException(String message) {
            super(message);
        }
    }

    /** Whether a send failure is a released or modified outcome (the partner may take it later: retry). */
    static boolean releasedOrModified(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ProviderDeliveryReleasedException || c instanceof ProviderDeliveryModifiedException) {
                return true;
            }
        }
        return false;
    }

    static boolean isProviderException(Throwable t) {
        return t instanceof ProviderException;
    }
}
