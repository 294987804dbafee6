package org.originhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.originhub.support.ExternalHubBroker;
import org.originhub.support.PartnerBroker;
import org.originhub.support.Postgres;

/**
 * The per-partner retry schedule with several hub instances (issue 13): two hub instances on one external Artemis and
 * one PostgreSQL forward Brazil's COs to partner AR's broker (another Artemis), which goes down while 200 messages
 * about 20 COs are on their way. Each instance holds the message it was forwarding and retries it in place on partner
 * AR's schedule ({@code scale-out/hub.yml}: 200 ms doubling to 2 s): read from each instance's own log, every retried
 * message's announced waits follow the schedule and the attempts are at least that far apart; both instances retried;
 * nothing overtook a held message (per-CO order at the partner). Partner AR comes back: all 200 arrive once.
 */
class TwoHubInstancesPartnerDownIT {
    static final int COS = 20;
    static final int PER_CO = 10;
    static final long INITIAL_MS = 200;
    static final long MAX_MS = 2000;
    /** A forwarder's line about a failed attempt (PartnerForwarder), with the log's own time stamp. */
    static final Pattern ATTEMPT = Pattern.compile("^(\\S+)\\s+WARN .*Partner AR did not take message (\\S+) \\(attempt (\\d+)\\):"
            + ".*; next attempt in (\\d+) ms$");

    final Path dir;
    final Path keys;

    TwoHubInstancesPartnerDownIT() throws IOException {
        dir = HubInstance.testFolder("two-instances-partner-down-");
        keys = dir.resolve("keys");
    }

    @Test
    void bothInstancesRetryOnThePartnersScheduleAndNothingOvertakesAHeldMessage() throws Exception {
        String database = Postgres.server().newDatabase("two_instances_partner_down");
        CcdStream stream = new CcdStream("RETRY", COS, PER_CO);
        Tally tally = new Tally(stream);

        try (PartnerBroker partner = new PartnerBroker("partner-ar-retry", dir.resolve("partner").toString(), "hub.inbound").start();
             ExternalHubBroker broker = HubInstance.accounts(new ExternalHubBroker(dir.resolve("broker"))).start()) {
            HubInstance one = hub("one", database, broker, partner);
            HubInstance two = hub("two", database, broker, partner);
            AtomicBoolean receiving = new AtomicBoolean(true);
            CompletableFuture<Void> receiver = null;
            try {
                // Up with the partner reachable (its health probe is part of readiness), then the partner goes down.
                one.start();
                one.awaitUp();
                two.start();
                two.awaitUp();
                partner.stop();
                HubInstance.sendAtOnce(broker.connectionFactory("sw-br"), stream);

                await("both instances retrying a message at least five times").atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> maxAttempt(one) >= 5 && maxAttempt(two) >= 5);
                long restarted = System.nanoTime();
                partner.start();
                receiver = CompletableFuture.runAsync(() -> BrokerFailoverIT.receive(partner, tally, receiving));
                await("all 200 at partner AR").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                        .until(() -> tally.distinct() == stream.size());
                Duration drain = Duration.ofNanos(tally.lastNewArrivalNanos() - restarted);
                await("partner AR's queue quiet").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                        .until(() -> System.nanoTime() - tally.lastArrivalNanos() > TimeUnit.SECONDS.toNanos(3));
                receiving.set(false);
                receiver.get(30, TimeUnit.SECONDS);

                Map<String, List<Attempt>> retriedByOne = attempts(one);
                Map<String, List<Attempt>> retriedByTwo = attempts(two);
                Results.record("two hub instances, partner AR down then back (per-partner retry)", stream.size(), tally, drain,
                        String.format("instance one retried %d message(s) (attempts %s), instance two %d (attempts %s); drain "
                                        + "measured from the partner's restart", retriedByOne.size(), counts(retriedByOne),
                                retriedByTwo.size(), counts(retriedByTwo)));
                assertThat(tally.unknown()).isEmpty();
                assertThat(tally.duplicated()).as("duplicates at partner AR").isEmpty();
                assertThat(tally.lost()).as("lost").isZero();
                assertThat(tally.orderViolations()).as("per-CO order").isEmpty();
                assertThat(retriedByOne).as("instance one retried").isNotEmpty();
                assertThat(retriedByTwo).as("instance two retried").isNotEmpty();
                assertThat(retriedByOne.keySet()).as("each held message retried by one instance").doesNotContainAnyElementsOf(retriedByTwo.keySet());
                for (Map<String, List<Attempt>> retried : List.of(retriedByOne, retriedByTwo)) {
                    retried.forEach(TwoHubInstancesPartnerDownIT::assertOnSchedule);
                }
                for (String dlq : List.of("DLQ.BR.sw.outbox", "DLQ.hub.outbound", "DLQ.partner.AR.out")) {
                    assertThat(((Number) broker.queueAttribute(dlq, "messageCount")).longValue()).as(dlq).isZero();
                }
            } finally {
                receiving.set(false);
                one.stop();
                two.stop();
            }
        }
    }

    record Attempt(Instant at, int number, long nextInMillis) {}

    /** Attempt n announces min(200 ms x 2^(n-1), 2 s) and the next attempt comes no earlier than announced. */
    static void assertOnSchedule(String messageId, List<Attempt> attempts) {
        for (int i = 0; i < attempts.size(); i++) {
            Attempt a = attempts.get(i);
            assertThat(a.number()).as("message %s: attempts counted in order", messageId).isEqualTo(i + 1);
            long expected = Math.min(INITIAL_MS << i, MAX_MS);
            assertThat(a.nextInMillis()).as("message %s: wait announced after attempt %d", messageId, a.number()).isEqualTo(expected);
            if (i > 0) {
                long gap = Duration.between(attempts.get(i - 1).at(), a.at()).toMillis();
                // (Log time stamps have millisecond resolution.)
                assertThat(gap).as("message %s: attempt %d came %d ms after the previous one", messageId, a.number(), gap)
                        .isGreaterThanOrEqualTo(attempts.get(i - 1).nextInMillis() - 2);
            }
        }
    }

    private HubInstance hub(String name, String database, ExternalHubBroker broker, PartnerBroker partner) {
        return new HubInstance(name, dir, keys, database, broker.coreUrl(), broker.amqpUrl())
                .with("--originhub.partners.AR.amqp-url=" + partner.amqpUrl(),
                        "--originhub.partners.AR.username=" + PartnerBroker.USER,
                        "--originhub.partners.AR.password=" + PartnerBroker.PASSWORD);
    }

    /** Every failed attempt the instance logged, by messageId, in log order. */
    static Map<String, List<Attempt>> attempts(HubInstance hub) throws IOException {
        Map<String, List<Attempt>> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(hub.folder.resolve("hub.log"))) {
            Matcher m = ATTEMPT.matcher(line);
            if (m.matches()) {
                out.computeIfAbsent(m.group(2), k -> new ArrayList<>()).add(new Attempt(Instant.parse(m.group(1)),
                        Integer.parseInt(m.group(3)), Long.parseLong(m.group(4))));
            }
        }
        return out;
    }

    private static int maxAttempt(HubInstance hub) throws IOException {
        return attempts(hub).values().stream().mapToInt(List::size).max().orElse(0);
    }

    private static Map<String, Integer> counts(Map<String, List<Attempt>> retried) {
        Map<String, Integer> out = new LinkedHashMap<>();
        retried.forEach((id, a) -> out.put(id.substring(0, 8), a.size()));
        return out;
    }
}
