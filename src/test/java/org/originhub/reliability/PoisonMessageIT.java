package org.originhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.originhub.deadletter.DeadLetterReplay;
import org.originhub.exchange.HubHeaders;
import org.originhub.exchange.MessageRejectedException;

/**
 * Poison message: partner AR's broker refuses one message (a broker plugin rejects its messageId, as a partner's
 * broker refusing a message would) while taking the 49 around it. The refusal arrives as the AMQP outcome rejected,
 * so the forwarder does not retry it (although 3 attempts are configured): it ends at once in DLQ.partner.AR.out as
 * PARTNER_REJECTED with headers that name the route, the error class, the partner's reason and the attempt count; the
 * rest pass. Once the partner takes it again, replaying it (DeadLetterReplay) delivers it
 * exactly once.
 */
class PoisonMessageIT {
    static final int ATTEMPTS = 3;

    @Test
    void poisonMessageIsDeadLetteredAfterItsAttemptsTheRestPassAndItsReplayArrivesOnce() throws Exception {
        CcdStream stream = new CcdStream("POISON", 7, 7);
        List<CcdStream.Item> items = new ArrayList<>(stream.items());
        CcdStream.Item poison = stream.add("BR-A18-REFUSED-1");
        items.add(items.size() / 2, poison); // between valid ones
        try (HubWithPartner h = new HubWithPartner("poison", 53, Map.of(
                "originhub.partners.AR.retry.max-attempts", String.valueOf(ATTEMPTS)))) {
            h.counter.refuse.add(poison.messageId());
            h.partner.start();
            h.startHub();
            long begun = System.nanoTime();
            h.send(stream, items);

            await("the 49 valid messages at the partner").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                    .until(() -> h.counter.routedDistinct() == stream.size() - 1);
            Duration drain = Duration.ofNanos(System.nanoTime() - begun);
            await("the poison message in " + HubWithPartner.PARTNER_DLQ).atMost(Duration.ofSeconds(30))
                    .until(() -> h.hubQueueCount(HubWithPartner.PARTNER_DLQ) == 1);
            // The partner broker's refusal reaches the hub as the AMQP outcome rejected: permanent, not retried
            // (issue 10; before, inside an AMQP transaction, it was retried up to max-attempts).
            assertThat(h.counter.refusals(poison.messageId())).as("attempts the partner broker saw").isEqualTo(1);

            Message dead = h.browseHub(HubWithPartner.PARTNER_DLQ).get(0);
            assertThat(dead.getStringProperty(HubHeaders.MESSAGE_ID)).isEqualTo(poison.messageId());
            assertThat(dead.getStringProperty(HubHeaders.FAILED_ROUTE)).isEqualTo("partner-forward-AR");
            assertThat(dead.getStringProperty(HubHeaders.FAILED_QUEUE)).isEqualTo(HubWithPartner.PARTNER_QUEUE);
            assertThat(dead.getStringProperty(HubHeaders.FAILURE_CLASS)).isEqualTo(MessageRejectedException.class.getName());
            assertThat(dead.getStringProperty(HubHeaders.FAILURE_REASON)).isEqualTo("PARTNER_REJECTED");
            assertThat(dead.getStringProperty(HubHeaders.FAILURE_DETAIL)).contains("rejected message " + poison.messageId())
                    .contains("refuses message " + poison.messageId());
            assertThat(dead.getObjectProperty(HubHeaders.FAILED_ATTEMPTS)).as("attempt count header").hasToString("1");
            assertThat(dead.getStringProperty(HubHeaders.GROUP_ID)).isEqualTo("BR:" + poison.coNumber());

            // The cause is fixed: the partner takes the message now. Replay it from the dead-letter queue.
            h.counter.refuse.clear();
            long replayed = System.nanoTime();
            var result = h.context.getBean(DeadLetterReplay.class).replay(poison.messageId(), HubWithPartner.PARTNER_DLQ);
            assertThat(result).isPresent();
            assertThat(result.get().toQueue()).isEqualTo(HubWithPartner.PARTNER_QUEUE);
            await("the replayed message at the partner").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> h.counter.routedDistinct() == stream.size());
            Duration replay = Duration.ofNanos(System.nanoTime() - replayed);
            await("partner.AR.out empty").atMost(Duration.ofSeconds(30))
                    .until(() -> h.hubQueueCount(HubWithPartner.PARTNER_QUEUE) == 0);
            assertThat(h.hubQueueCount(HubWithPartner.PARTNER_DLQ)).isZero();

            Tally tally = new Tally(stream);
            h.drainPartnerInto(tally);
            Results.record("poison message (rejected by the partner, dead-lettered at once, then replay)", stream.size(), tally, drain,
                    "poison rejected once, dead-lettered with FailedAttempts=" + dead.getObjectProperty(HubHeaders.FAILED_ATTEMPTS)
                            + ", replayed and delivered in " + String.format("%.1f s", replay.toMillis() / 1000.0)
                            + "; partner broker dropped " + h.counter.droppedAsDuplicate() + " resend(s) by _AMQ_DUPL_ID");
            assertThat(tally.unknown()).isEmpty();
            assertThat(tally.duplicated()).as("duplicates at the far end").isEmpty();
            assertThat(tally.lost()).as("lost").isZero();
            assertThat(tally.orderViolations()).as("per-CO order").isEmpty();
        }
    }

    /**
     * A message is dead-lettered although the partner's broker holds it (an earlier attempt was stored, its answer
     * lost). Replaying it must not give the partner a second copy: the forwarder sends it with the plain messageId as
     * {@code _AMQ_DUPL_ID}, so the partner broker's duplicate detection drops it (the replay's duplicate-detection id
     * on this hub's own broker has a replay suffix, which must not travel to the partner).
     */
    @Test
    void replayOfAMessageThePartnerAlreadyHoldsIsNotDeliveredTwice() throws Exception {
        CcdStream stream = new CcdStream("HELD", 3, 3);
        List<CcdStream.Item> items = new ArrayList<>(stream.items());
        CcdStream.Item held = stream.add("BR-A18-HELD-1");
        items.add(items.size() / 2, held);
        try (HubWithPartner h = new HubWithPartner("replay-held", 54, Map.of(
                "originhub.partners.AR.retry.max-attempts", String.valueOf(ATTEMPTS)))) {
            h.counter.refuse.add(held.messageId());
            h.partner.start();
            h.startHub();
            long begun = System.nanoTime();
            h.send(stream, items);
            await("the message in " + HubWithPartner.PARTNER_DLQ).atMost(Duration.ofSeconds(60))
                    .until(() -> h.hubQueueCount(HubWithPartner.PARTNER_DLQ) == 1);
            await("the others at the partner").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> h.counter.routedDistinct() == stream.size() - 1);
            Duration drain = Duration.ofNanos(System.nanoTime() - begun);

            // The partner's broker holds the message after all (as when an attempt was stored but its answer lost).
            h.counter.refuse.clear();
            Message dead = h.browseHub(HubWithPartner.PARTNER_DLQ).get(0);
            try (jakarta.jms.Connection c = h.partner.adminConnectionFactory().createConnection()) {
                jakarta.jms.Session s = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
                jakarta.jms.TextMessage copy = s.createTextMessage(org.originhub.support.PartnerBroker.Jms.body(dead));
                copy.setStringProperty(HubHeaders.MESSAGE_ID, held.messageId());
                copy.setStringProperty(HubHeaders.DUPLICATE_ID, held.messageId());
                s.createProducer(s.createQueue(HubWithPartner.FAR_QUEUE)).send(copy);
            }
            assertThat(h.counter.routed(held.messageId())).isEqualTo(1);

            assertThat(h.context.getBean(DeadLetterReplay.class).replay(held.messageId(), HubWithPartner.PARTNER_DLQ)).isPresent();
            await("the replay handled").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> h.hubQueueCount(HubWithPartner.PARTNER_QUEUE) == 0 && h.counter.droppedAsDuplicate(held.messageId())
                            + h.counter.routed(held.messageId()) >= 2);
            assertThat(h.hubQueueCount(HubWithPartner.PARTNER_DLQ)).isZero();

            Tally tally = new Tally(stream);
            h.drainPartnerInto(tally);
            Results.record("poison: replay of a message the partner already holds", stream.size(), tally, drain,
                    "partner broker dropped " + h.counter.droppedAsDuplicate() + " resend(s) (the replay) by _AMQ_DUPL_ID");
            assertThat(tally.duplicated()).as("duplicates at the far end").isEmpty();
            assertThat(tally.lost()).as("lost").isZero();
            assertThat(h.counter.droppedAsDuplicate(held.messageId())).as("the replay, dropped by the partner broker").isEqualTo(1);
        }
    }
}
