package org.originhub.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.originhub.history.MessageHistory;
import org.originhub.history.MessageState;
import org.originhub.history.MessageTransitionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;

/**
 * Message metrics, from the history's {@link MessageTransitionEvent}s:
 * <ul>
 * <li>{@code originhub.messages} (Prometheus {@code originhub_messages_total}): a counter per route, partner, party
 * and state ({@code none} where a transition has no value);</li>
 * <li>{@code originhub.message.latency} (Prometheus {@code originhub_message_latency_seconds}): a timer with
 * histogram buckets, from a message's RECEIVED to its SENT (outbound: handed to the partner's broker) or DELIVERED
 * (inbound: on the single window's inbox), tagged party, partner and the end state.</li>
 * </ul>
 * Start times wait in a map bounded to {@value #MAX_IN_FLIGHT} messages (the oldest is forgotten first), and leave it
 * when the message ends (SENT, DELIVERED, REJECTED, FAILED, DUPLICATE). Never throws into the publisher.
 */
public class MessageMetrics {
    static final String MESSAGES = "originhub.messages";
    static final String LATENCY = "originhub.message.latency";
    static final int MAX_IN_FLIGHT = 100_000;
    private static final Logger log = LoggerFactory.getLogger(MessageMetrics.class);
    private static final Set<MessageState> ENDS = EnumSet.of(MessageState.SENT, MessageState.DELIVERED,
            MessageState.REJECTED, MessageState.FAILED, MessageState.DUPLICATE);

    private final MeterRegistry registry;
    private final int maxInFlight;
    private final Map<String, Instant> received;
    // Meters by their tags: building and registering a meter per transition looks it up through the registry's
    // filters each time (seen in the benchmark's profile); the tag sets are few (routes x partners x parties x states).
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final Map<List<String>, Timer> timers = new ConcurrentHashMap<>();

    public MessageMetrics(MeterRegistry registry) {
        this(registry, MAX_IN_FLIGHT);
    }

    MessageMetrics(MeterRegistry registry, int maxInFlight) {
        this.registry = registry;
        this.maxInFlight = maxInFlight;
        this.received = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
                return size() > MessageMetrics.this.maxInFlight;
            }
        };
    }

    @EventListener
    public void on(MessageTransitionEvent event) {
        try {
            record(event.transition());
        } catch (RuntimeException e) {
            log.warn("Could not count the transition {}: {}", event, e.toString());
        }
    }

    void record(MessageHistory.Transition t) {
        if (t == null || t.state() == null) {
            return;
        }
        counters.computeIfAbsent(List.of(tag(t.route()), tag(t.partner()), tag(t.party()), t.state().name()),
                k -> Counter.builder(MESSAGES)
                        .description("Message state transitions, per route, partner, party and state")
                        .tag("route", k.get(0))
                        .tag("partner", k.get(1))
                        .tag("party", k.get(2))
                        .tag("state", k.get(3))
                        .register(registry))
                .increment();
        if (t.messageId() == null) {
            return;
        }
        Instant at = t.at() == null ? Instant.now() : t.at();
        Instant start;
        synchronized (received) {
            if (t.state() == MessageState.RECEIVED) {
                received.put(t.messageId(), at);
                return;
            }
            if (!ENDS.contains(t.state())) {
                return;
            }
            start = received.remove(t.messageId());
        }
        if (start != null && (t.state() == MessageState.SENT || t.state() == MessageState.DELIVERED)) {
            timers.computeIfAbsent(List.of(tag(t.party()), tag(t.partner()), t.state().name()),
                    k -> Timer.builder(LATENCY)
                            .description("End-to-end time of a message in the hub, from RECEIVED to SENT or DELIVERED")
                            .tag("party", k.get(0))
                            .tag("partner", k.get(1))
                            .tag("state", k.get(2))
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofMillis(10))
                            .maximumExpectedValue(Duration.ofHours(1))
                            .register(registry))
                    .record(Duration.between(start, at).isNegative() ? Duration.ZERO : Duration.between(start, at));
        }
    }

    int inFlight() {
        synchronized (received) {
            return received.size();
        }
    }

    private static String tag(String value) {
        return value == null || value.isBlank() ? "none" : value;
    }
}
