package org.originhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Partner down: 500 certificates (50 COs x 10 messages) go to BR.sw.outbox while partner AR's broker is stopped. The
 * hub maps and signs them all and holds them in partner.AR.out, its forwarder retrying the first on the partner's
 * schedule. The partner broker is started again: all 500 arrive, each once, in per-CO order.
 */
class PartnerDownIT {

    @Test
    void fiveHundredMessagesQueuedWhileThePartnerIsDownAllArriveOnceInOrder() throws Exception {
        CcdStream stream = new CcdStream("DOWN", 50, 10);
        try (HubWithPartner h = new HubWithPartner("partner-down", 51, Map.of())) {
            h.startHub(); // the partner broker is not started: connection refused
            h.send(stream, stream.items());
            await("all 500 mapped, signed and waiting for partner AR").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> h.hubQueueCount(HubWithPartner.PARTNER_QUEUE) == stream.size());
            assertThat(h.counter.routedTotal()).isZero();

            long started = System.nanoTime();
            h.partner.start();
            await("all 500 at the partner broker").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> h.counter.routedDistinct() == stream.size());
            Duration drain = Duration.ofNanos(System.nanoTime() - started);
            await("partner.AR.out empty").atMost(Duration.ofSeconds(30))
                    .until(() -> h.hubQueueCount(HubWithPartner.PARTNER_QUEUE) == 0);

            Tally tally = new Tally(stream);
            h.drainPartnerInto(tally);
            Results.record("partner down", stream.size(), tally, drain,
                    "partner broker dropped " + h.counter.droppedAsDuplicate() + " resend(s) by _AMQ_DUPL_ID");
            assertThat(tally.unknown()).isEmpty();
            assertThat(tally.duplicated()).as("duplicates at the far end").isEmpty();
            assertThat(tally.lost()).as("lost").isZero();
            assertThat(tally.orderViolations()).as("per-CO order").isEmpty();
            assertThat(h.hubQueueCount(HubWithPartner.PARTNER_DLQ)).isZero();
        }
    }
}
