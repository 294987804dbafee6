package org.originhub.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.originhub.history.MessageHistory.Transition;
import org.originhub.history.MessageState;
import org.originhub.history.MessageTransitionEvent;

/** Counting transitions and measuring RECEIVED to SENT, with a bounded map of start times. */
class MessageMetricsTest {
    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    static MessageTransitionEvent event(String id, MessageState state, String route, long millis) {
        return new MessageTransitionEvent(new Transition(id, state, route, "AR", "BR", "CO-1", "CertificateOfOrigin", null,
                T0.plusMillis(millis)));
    }

    @Test
    void countsPerRoutePartnerPartyAndStateAndTimesReceivedToSent() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MessageMetrics metrics = new MessageMetrics(registry);
        metrics.on(event("m1", MessageState.RECEIVED, "sw-outbox-intake-AR", 0));
        metrics.on(event("m1", MessageState.SIGNED, "outbound-sign-and-route", 100));
        metrics.on(event("m1", MessageState.SENT, "partner-forward-BR", 1500));
        metrics.on(new MessageTransitionEvent(new Transition(null, MessageState.FAILED, null, null, null, null, null, "x", null)));

        assertThat(registry.get(MessageMetrics.MESSAGES).tags("route", "sw-outbox-intake-AR", "partner", "BR", "party", "AR",
                "state", "RECEIVED").counter().count()).isEqualTo(1.0);
        assertThat(registry.get(MessageMetrics.MESSAGES).tags("route", "none", "partner", "none", "party", "none",
                "state", "FAILED").counter().count()).isEqualTo(1.0);
        var latency = registry.get(MessageMetrics.LATENCY).tags("state", "SENT", "partner", "BR").timer();
        assertThat(latency.count()).isEqualTo(1);
        assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1500.0);
        assertThat(metrics.inFlight()).isZero();
    }

    @Test
    void startTimesAreBounded() {
        MessageMetrics metrics = new MessageMetrics(new SimpleMeterRegistry(), 3);
        for (int i = 0; i < 10; i++) {
            metrics.on(event("m" + i, MessageState.RECEIVED, "inbound-verify", i));
        }
        assertThat(metrics.inFlight()).isEqualTo(3);
    }
}
