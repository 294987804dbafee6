package org.originhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Partner flapping: a stream of 500 certificates (50 COs x 10 messages) to partner AR, whose broker is stopped and
 * started again 3 times while the stream flows (after about 100, 200 and 300 have arrived). Every message arrives
 * once, in per-CO order; a resend of a message the partner broker had already taken when it went down is dropped by
 * its duplicate detection and reported.
 */
class PartnerFlappingIT {

    @Test
    void partnerBrokerStoppedAndStartedThreeTimesDuringAStreamOf500() throws Exception {
        CcdStream stream = new CcdStream("FLAP", 50, 10);
        try (HubWithPartner h = new HubWithPartner("partner-flapping", 52, Map.of())) {
            h.partner.start();
            h.startHub();
            long begun = System.nanoTime();
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    // A stream, not a burst: 10 messages at a time, 20 ms apart (about 500 messages/s at most).
                    for (int i = 0; i < stream.size(); i += 10) {
                        h.send(stream, stream.items().subList(i, Math.min(i + 10, stream.size())));
                        TimeUnit.MILLISECONDS.sleep(20);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long lastStart = System.nanoTime();
            for (int flap = 1; flap <= 3; flap++) {
                int threshold = flap * 100;
                await("about " + threshold + " at the partner").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(10))
                        .until(() -> h.counter.routedDistinct() >= threshold);
                h.partner.stop();
                // Down for a while, so the forwarder retries against a dead port (not only a reconnect).
                await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
                h.partner.start();
                lastStart = System.nanoTime();
            }
            sender.get(2, TimeUnit.MINUTES);
            await("all 500 at the partner broker").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> h.counter.routedDistinct() == stream.size());
            Duration drain = Duration.ofNanos(System.nanoTime() - lastStart);
            Duration total = Duration.ofNanos(System.nanoTime() - begun);
            await("partner.AR.out empty").atMost(Duration.ofSeconds(30))
                    .until(() -> h.hubQueueCount(HubWithPartner.PARTNER_QUEUE) == 0);

            Tally tally = new Tally(stream);
            h.drainPartnerInto(tally);
            Results.record("partner flapping (3 stops)", stream.size(), tally, drain,
                    "partner broker dropped " + h.counter.droppedAsDuplicate() + " resend(s) by _AMQ_DUPL_ID; whole stream "
                            + String.format("%.1f s", total.toMillis() / 1000.0) + ", drain measured from the last restart");
            assertThat(tally.unknown()).isEmpty();
            assertThat(tally.duplicated()).as("duplicates at the far end").isEmpty();
            assertThat(tally.lost()).as("lost").isZero();
            assertThat(tally.orderViolations()).as("per-CO order").isEmpty();
            assertThat(h.hubQueueCount(HubWithPartner.PARTNER_DLQ)).isZero();
        }
    }

    /**
     * The window flapping exposes, made deterministic: the partner's broker already holds a message (its
     * acknowledgement was lost when the broker went down, or the hub died before committing) and the hub sends it
     * again. The partner broker drops the resend as a duplicate (silently, the send being non-transacted; a broker
     * that refuses it instead is counted as delivered by the forwarder): the partner queue must keep moving.
     */
    @Test
    void resendOfAMessageThePartnerAlreadyHoldsDoesNotStopThePartnerQueue() throws Exception {
        CcdStream stream = new CcdStream("RESEND", 1, 6);
        try (HubWithPartner h = new HubWithPartner("partner-resend", 55, Map.of())) {
            h.partner.start();
            h.startHub();
            CcdStream.Item first = stream.items().get(0);
            h.send(stream, java.util.List.of(first));
            await("the first message at the partner").atMost(Duration.ofSeconds(30)).until(() -> h.counter.routedDistinct() == 1);

            // The hub sends it again, as after a lost acknowledgement: the same signed message, back on partner.AR.out.
            jakarta.jms.Message held = h.partner.receive(HubWithPartner.FAR_QUEUE, 1, 10_000).get(0);
            try (jakarta.jms.Connection c = h.hub.hubConnectionFactory().createConnection()) {
                jakarta.jms.Session s = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
                jakarta.jms.TextMessage again = s.createTextMessage(org.originhub.support.PartnerBroker.Jms.body(held));
                for (String name : java.util.List.of("OriginHubMessageId", "OriginHubSender", "OriginHubReceiver",
                        "OriginHubDocumentNumber", "OriginHubMessageType", "OriginHubParty", "JMSXGroupID")) {
                    again.setStringProperty(name, held.getStringProperty(name));
                }
                again.setStringProperty("_AMQ_DUPL_ID", first.messageId() + ":resent");
                s.createProducer(s.createQueue(HubWithPartner.PARTNER_QUEUE)).send(again);
            }
            h.send(stream, stream.items().subList(1, stream.size()));

            await("the messages behind the resend at the partner").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> h.counter.routedDistinct() == stream.size());
            await("partner.AR.out empty").atMost(Duration.ofSeconds(30))
                    .until(() -> h.hubQueueCount(HubWithPartner.PARTNER_QUEUE) == 0);
            assertThat(h.hubQueueCount(HubWithPartner.PARTNER_DLQ)).isZero();
            assertThat(h.counter.droppedAsDuplicate(first.messageId())).as("the resend, dropped by the partner broker").isEqualTo(1);

            Tally tally = new Tally(stream);
            tally.arrived(held.getStringProperty("OriginHubMessageId"));
            h.drainPartnerInto(tally);
            assertThat(tally.duplicated()).isEmpty();
            assertThat(tally.lost()).isZero();
        }
    }
}
