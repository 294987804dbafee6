package org.originhub.operations;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.function.Supplier;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;

/**
 * {@code originhub.dead.letter.depth} (Prometheus {@code originhub_dead_letter_depth_messages}): one gauge per
 * dead-letter queue ({@code queue} tag), the number of messages waiting in it, read from the embedded broker. NaN
 * while the broker is not running.
 */
public class DeadLetterGauges implements MeterBinder {
    static final String DEPTH = "originhub.dead.letter.depth";

    private final Supplier<ActiveMQServer> server;
    private final List<String> queues;

    public DeadLetterGauges(Supplier<ActiveMQServer> server, List<String> queues) {
        this.server = server;
        this.queues = List.copyOf(queues);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String queue : queues) {
            Gauge.builder(DEPTH, () -> depth(queue))
                    .description("Messages waiting in a dead-letter queue")
                    .baseUnit("messages")
                    .tag("queue", queue)
                    .strongReference(true)
                    .register(registry);
        }
    }

    double depth(String queue) {
        ActiveMQServer s = server.get();
        if (s == null || !s.isStarted()) {
            return Double.NaN;
        }
        Queue q = s.locateQueue(SimpleString.of(queue));
        return q == null ? 0 : q.getMessageCount();
    }
}
