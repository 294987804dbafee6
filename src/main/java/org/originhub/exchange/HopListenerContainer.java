package org.originhub.exchange;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.function.IntFunction;
import org.apache.camel.component.jms.DefaultJmsMessageListenerContainer;
import org.apache.camel.component.jms.JmsEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener container of every route that reads a hub queue: Camel's own, configured by Camel as usual, with two
 * additions that keep the hop's guarantees:
 * <ul>
 * <li>each message's hop runs inside a {@link HopTransaction}, so work registered for after the commit runs when the
 * listener session's commit has returned, and not at all when the hop rolled back;</li>
 * <li>a hop that rolled back holds its consumer for the redelivery back-off before the message is tried again
 * ({@code originhub.broker.redelivery-delay}, doubling per attempt up to {@code max-redelivery-delay}). The hub's
 * queues have no broker redelivery delay ({@code broker.HubBrokerLayout}), so the message is back at the head of its
 * queue at once and, its JMS group or exclusive queue staying with this consumer, nothing about the same CO passes
 * it. (With the delay at the broker the message was set aside and the next one about its CO went first.)</li>
 * </ul>
 * Chosen in application.yml ({@code camel.component.jms.consumer-type: Custom}, factory bean
 * {@code hopListenerContainers}).
 */
public class HopListenerContainer extends DefaultJmsMessageListenerContainer {
    private static final Logger log = LoggerFactory.getLogger(HopListenerContainer.class);
    private final IntFunction<Duration> backOff;

    /**
     * @param backOff how long to hold a message whose hop rolled back, given the attempts made so far (its delivery
     *                count)
     */
    public HopListenerContainer(JmsEndpoint endpoint, IntFunction<Duration> backOff) {
        super(endpoint);
        this.backOff = backOff;
    }

    /** The listener, then the session's commit (or its rollback and the failure): Spring's order, unchanged. */
    @Override
    protected void doExecuteListener(Session session, Message message) throws JMSException {
        try {
            HopTransaction.run(() -> super.doExecuteListener(session, message));
        } catch (JMSException | RuntimeException | Error e) {
            holdAfterRollback(message);
            throw e;
        }
    }

    /** Waits the back-off of the message's attempt; returns early when the container stops. */
    private void holdAfterRollback(Message message) {
        int attempts = deliveryCount(message);
        Duration delay = backOff.apply(attempts);
        if (delay.isZero() || delay.isNegative()) {
            return;
        }
        log.debug("Hop rolled back after attempt {}: holding the message {} ms before it is tried again", attempts, delay.toMillis());
        long remaining = delay.toNanos();
        lifecycleLock.lock();
        try {
            while (remaining > 0 && isRunning()) {
                remaining = lifecycleCondition.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lifecycleLock.unlock();
        }
    }

    private static int deliveryCount(Message message) {
        try {
            return message.propertyExists("JMSXDeliveryCount") ? Math.max(1, message.getIntProperty("JMSXDeliveryCount")) : 1;
        } catch (JMSException | RuntimeException e) {
            return 1;
        }
    }
}
