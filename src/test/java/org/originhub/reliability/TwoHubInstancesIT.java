package org.originhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.originhub.exchange.HubHeaders;
import org.originhub.support.ExternalHubBroker;
import org.originhub.support.Postgres;

/**
 * Scale-out (issue 13): two hub instances, each a process from the packaged jar, on one external ActiveMQ Artemis (the
 * standalone distribution running the repository's {@code config/artemis/broker.xml} with the hub's broker plugins) and
 * one PostgreSQL database (history, CO lifecycle, inbound messageIds). Both serve the same parties and compete for
 * the same queues. Brazil's single window sends 2,000 messages about 100 COs; Argentina's single window must receive
 * each once, each CO's messages in the order sent while both instances run (across the kill the order is counted, not
 * asserted: RELIABILITY.md, Known limits). Mid-stream one instance is killed with SIGKILL and not restarted: the other
 * carries on with what it had in flight. Then: nothing lost, nothing twice, both
 * instances did work, and the shared history and lifecycle are complete (every message RECEIVED, SENT and
 * ACKNOWLEDGED, no DUPLICATE or FAILED; every CO in both parties' lifecycle).
 */
class TwoHubInstancesIT {
    static final int COS = 100;
    static final int PER_CO = 20;
    static final Path JAR = HubInstance.JAR;

    final Path dir;
    final Path keys;

    TwoHubInstancesIT() throws IOException {
        dir = HubInstance.testFolder("two-instances-");
        keys = dir.resolve("keys");
    }

    @Test
    void twoInstancesOnOneBrokerAndOneDatabaseOneKilledDeliverEachOnceInOrder() throws Exception {
        String database = Postgres.server().newDatabase("two_instances");
        CcdStream stream = new CcdStream("SCALE", COS, PER_CO);
        Tally tally = new Tally(stream);

        try (ExternalHubBroker broker = HubInstance.accounts(new ExternalHubBroker(dir.resolve("broker")))
                .start()) {
            HubInstance one = new HubInstance("one", dir, keys, database, broker.coreUrl(), broker.amqpUrl());
            HubInstance two = new HubInstance("two", dir, keys, database, broker.coreUrl(), broker.amqpUrl());
            AtomicBoolean receiving = new AtomicBoolean(true);
            try {
                // One after the other: the second finds the schema migrated and the queues declared.
                one.start();
                one.awaitUp();
                two.start();
                two.awaitUp();
                CompletableFuture<Void> receiver = CompletableFuture.runAsync(() -> receive(broker, tally, receiving));
                HubInstance.sendAtOnce(broker.connectionFactory("sw-br"), stream);

                await("a third of the stream delivered").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(50))
                        .until(() -> tally.distinct() >= stream.size() / 3);
                double twoSignedBeforeKill = two.signed();
                int deliveredAtKill = tally.distinct();
                List<String> overtakenBeforeKill = tally.orderViolations();
                long killed = System.nanoTime();
                two.kill();

                await("all 2,000 in AR's single-window inbox").atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(200))
                        .until(() -> tally.distinct() == stream.size());
                Duration drain = Duration.ofNanos(tally.lastNewArrivalNanos() - killed);
                await("every message acknowledged in the shared history").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> count(database, "SELECT COUNT(DISTINCT message_id) FROM message_transition WHERE party = 'BR' "
                                + "AND document_number LIKE 'BR-A18-SCALE-%' AND state = 'ACKNOWLEDGED'") >= stream.size());
                // Anything late (a duplicate) would come now: the inbox quiet for 5 s.
                await("AR's inbox quiet").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                        .until(() -> System.nanoTime() - tally.lastArrivalNanos() > TimeUnit.SECONDS.toNanos(5));
                receiving.set(false);
                receiver.get(30, TimeUnit.SECONDS);
                double oneSigned = one.signed();

                Results.record("two hub instances, one broker, one database, one instance killed", stream.size(), tally, drain,
                        String.format("instance two killed (SIGKILL) at %d delivered after signing %.0f; instance one signed %.0f "
                                + "(COs and acknowledgements); drain measured from the kill; overtaken before the kill %d, in all %s",
                                deliveredAtKill, twoSignedBeforeKill, oneSigned, overtakenBeforeKill.size(), tally.orderViolations()));
                assertThat(tally.unknown()).isEmpty();
                assertThat(tally.duplicated()).as("duplicates in AR's inbox").isEmpty();
                assertThat(tally.lost()).as("lost").isZero();
                // Two instances competing for the same queues keep each CO's order (JMS groups, exclusive outboxes).
                assertThat(overtakenBeforeKill).as("per-CO order while both instances run").isEmpty();
                // Across the kill the order is counted (printed above), not asserted: 0 in three runs, then 12 of 2,000
                // (#7 after #8) in a CI run, 0 in four runs since the back-off moved into the consumer (RELIABILITY.md).
                assertThat(twoSignedBeforeKill).as("instance two did work before it was killed").isPositive();
                assertThat(oneSigned).as("instance one did work").isPositive();
                assertThat(((Number) broker.queueAttribute("AR.sw.inbox", "messagesAdded")).longValue()).as("messages ever put in AR's inbox")
                        .isEqualTo(stream.size());
                for (String dlq : List.of("DLQ.BR.sw.outbox", "DLQ.hub.outbound", "DLQ.partner.AR.out", "DLQ.partner.BR.out",
                        "DLQ.hub.inbound", "DLQ.hub.verified", "DLQ.AR.sw.inbox", "DLQ.BR.sw.inbox")) {
                    assertThat(((Number) broker.queueAttribute(dlq, "messageCount")).longValue()).as(dlq).isZero();
                }
                assertRecordsComplete(database, stream);
            } finally {
                receiving.set(false);
                one.stop();
                two.stop();
            }
        }
    }

    /** The shared history has every message RECEIVED, SENT and ACKNOWLEDGED once, nothing refused; the lifecycle every CO. */
    private static void assertRecordsComplete(String database, CcdStream stream) throws Exception {
        Map<String, List<String>> states = new HashMap<>();
        try (var c = DriverManager.getConnection(database, "postgres", "");
             // (An ACKNOWLEDGED line carries the CO's number but not its type: it is written on the acknowledgement's delivery.)
             ResultSet rs = c.createStatement().executeQuery("SELECT message_id, state FROM message_transition "
                     + "WHERE party = 'BR' ORDER BY id")) {
            while (rs.next()) {
                states.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        List<String> incomplete = new ArrayList<>();
        for (CcdStream.Item item : stream.items()) {
            List<String> s = states.getOrDefault(item.messageId(), List.of());
            if (!s.containsAll(List.of("RECEIVED", "SENT", "ACKNOWLEDGED")) || s.stream().anyMatch(Set.of("DUPLICATE", "FAILED", "REJECTED")::contains)
                    || s.stream().distinct().count() != s.size()) {
                incomplete.add(item.coNumber() + " #" + item.seq() + " " + item.messageId() + ": " + s);
            }
        }
        assertThat(incomplete).as("BR's history of each message (RECEIVED, SENT, ACKNOWLEDGED, each once, nothing refused)").isEmpty();
        Set<String> numbers = new TreeSet<>();
        stream.items().forEach(i -> numbers.add(i.coNumber()));
        for (String party : List.of("BR", "AR")) {
            Set<String> known = new TreeSet<>();
            try (var c = DriverManager.getConnection(database, "postgres", "");
                 var st = c.prepareStatement("SELECT co_number FROM co_certificate WHERE party = ? AND issuing_country = 'BR'")) {
                st.setString(1, party);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) known.add(rs.getString(1));
                }
            }
            assertThat(known).as("party %s's lifecycle holds every CO", party).containsAll(numbers);
        }
    }

    private static long count(String database, String sql) throws Exception {
        try (var c = DriverManager.getConnection(database, "postgres", ""); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Argentina's single window: takes every certificate from its inbox and counts it by messageId. */
    private static void receive(ExternalHubBroker broker, Tally tally, AtomicBoolean receiving) {
        try (Connection c = broker.connectionFactory("sw-ar").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("AR.sw.inbox"), "OriginHubMessageType = 'CertificateOfOrigin'");
            while (receiving.get()) {
                Message m = consumer.receive(200);
                if (m != null) tally.arrived(m.getStringProperty(HubHeaders.MESSAGE_ID));
            }
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
