package org.originhub.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.originhub.config.OriginHubProperties;
import org.originhub.history.MessageHistory.Transition;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The JDBC message history on a real H2 file database, migrated by the project's Flyway scripts: recording (summary and
 * transitions in one transaction, events, never throwing), searches and paging, detail order, and the retention rule.
 */
class JdbcMessageHistoryTest {
    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @TempDir
    Path dir;
    HikariDataSource dataSource;
    JdbcTemplate jdbc;
    JdbcMessageHistory history;
    List<MessageTransitionEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void database() {
        dataSource = new HikariDataSource();
        configure(dataSource);
        migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        history = new JdbcMessageHistory(jdbc, e -> events.add((MessageTransitionEvent) e));
    }

    /** The database under test: an H2 file in a temporary folder (PostgreSQL in {@link JdbcMessageHistoryPostgresTest}). */
    protected void configure(HikariDataSource ds) {
        ds.setJdbcUrl("jdbc:h2:file:" + dir.resolve("history/origin-hub").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
        ds.setUsername("originhub");
        ds.setPassword("");
    }

    protected void migrate(HikariDataSource ds) {
        Flyway.configure().dataSource(ds).load().migrate();
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    static Transition t(String id, MessageState state, String party, String partner, String number, Instant at) {
        return new Transition(id, state, "route-" + state.name().toLowerCase(), party, partner, number, "CertificateOfOrigin", null, at);
    }

    @Test
    void aHopRedoneAfterACrashRecordsItsStepsOnceButAReplayStartsAfresh() {
        // The intake recorded RECEIVED and MAPPED, then the hub died before the hop's JMS commit; the broker redelivers.
        history.record(t("r1", MessageState.RECEIVED, "AR", null, "CO-R", T0));
        history.record(t("r1", MessageState.MAPPED, "AR", "BR", "CO-R", T0.plusMillis(10)));
        history.record(t("r1", MessageState.RECEIVED, "AR", null, "CO-R", T0.plusSeconds(20)));
        history.record(t("r1", MessageState.MAPPED, "AR", "BR", "CO-R", T0.plusSeconds(20).plusMillis(10)));
        history.record(t("r1", MessageState.SENT, "AR", "BR", "CO-R", T0.plusSeconds(21)));
        // Outcomes that may truly happen twice are all kept (two repeats acknowledged again).
        history.record(t("r1", MessageState.DUPLICATE, "AR", "BR", "CO-R", T0.plusSeconds(22)));
        history.record(t("r1", MessageState.DUPLICATE, "AR", "BR", "CO-R", T0.plusSeconds(23)));
        // After an operator's replay the message goes its way again, and that is recorded.
        history.record(t("r1", MessageState.REPLAYED, "AR", "BR", "CO-R", T0.plusSeconds(30)));
        history.record(t("r1", MessageState.SENT, "AR", "BR", "CO-R", T0.plusSeconds(31)));

        assertThat(history.find("r1").orElseThrow().transitions()).extracting(Transition::state).containsExactly(
                MessageState.RECEIVED, MessageState.MAPPED, MessageState.SENT, MessageState.DUPLICATE, MessageState.DUPLICATE,
                MessageState.REPLAYED, MessageState.SENT);
        assertThat(history.summary("r1").orElseThrow().transitionCount()).isEqualTo(7);
        // Nothing is published for a step not written (metrics count each step once).
        assertThat(events).hasSize(7);
    }

    @Test
    void anAcknowledgementBeforeTheHubsOwnSentRecordsSentFirstAndARedeliveredOneIsNotRecordedTwice() {
        history.record(t("k1", MessageState.RECEIVED, "AR", null, "CO-K", T0));
        history.record(t("k1", MessageState.SIGNED, "AR", "BR", "CO-K", T0.plusMillis(10)));
        // The partner answered before the forwarder recorded SENT (or the hub restarted in between).
        Transition ack = new Transition("k1", MessageState.ACKNOWLEDGED, "sw-inbox-delivery", "AR", "BR", "CO-K", null,
                "acknowledged by BR: Accepted (acknowledgement a-1)", T0.plusMillis(20));
        history.record(ack);
        // The forwarder's own SENT, late: already recorded. The acknowledgement delivered again after a crash: too.
        history.record(new Transition("k1", MessageState.SENT, "partner-forward-BR", "AR", "BR", "CO-K", null, null, T0.plusMillis(30)));
        history.record(ack);
        // A second acknowledgement (of a resend) is another one: recorded.
        history.record(new Transition("k1", MessageState.ACKNOWLEDGED, "sw-inbox-delivery", "AR", "BR", "CO-K", null,
                "acknowledged by BR: Accepted (acknowledgement a-2)", T0.plusMillis(40)));

        var transitions = history.find("k1").orElseThrow().transitions();
        assertThat(transitions).extracting(Transition::state).containsExactly(MessageState.RECEIVED, MessageState.SIGNED,
                MessageState.SENT, MessageState.ACKNOWLEDGED, MessageState.ACKNOWLEDGED);
        assertThat(transitions.get(2).route()).isEqualTo("partner-forward-BR");
        assertThat(transitions.get(2).reason()).contains("acknowledgement");
        assertThat(history.summary("k1").orElseThrow().lastState()).isEqualTo(MessageState.ACKNOWLEDGED);
        assertThat(events).extracting(e -> e.transition().state()).containsExactly(MessageState.RECEIVED, MessageState.SIGNED,
                MessageState.SENT, MessageState.ACKNOWLEDGED, MessageState.ACKNOWLEDGED);
        // An acknowledgement of a message this hub has no record of, or only received (and delivered), invents no send.
        history.record(new Transition("unknown-1", MessageState.ACKNOWLEDGED, "sw-inbox-delivery", "AR", "BR", "CO-U", null,
                "acknowledged by BR: Accepted (acknowledgement a-9)", T0));
        assertThat(history.find("unknown-1").orElseThrow().transitions()).extracting(Transition::state)
                .containsExactly(MessageState.ACKNOWLEDGED);
        history.record(t("in-1", MessageState.RECEIVED, "AR", "BR", "CO-I", T0));
        history.record(t("in-1", MessageState.DELIVERED, "AR", "BR", "CO-I", T0.plusMillis(5)));
        history.record(new Transition("in-1", MessageState.ACKNOWLEDGED, "sw-inbox-delivery", "BR", "AR", "CO-I", null,
                "acknowledged by AR: Accepted (acknowledgement a-10)", T0.plusMillis(10)));
        assertThat(history.find("in-1").orElseThrow().transitions()).extracting(Transition::state)
                .containsExactly(MessageState.RECEIVED, MessageState.DELIVERED, MessageState.ACKNOWLEDGED);
    }

    @Test
    void recordsTransitionsAndKeepsTheSummaryInStep() {
        history.record(new Transition("m1", MessageState.RECEIVED, "sw-outbox-intake-AR", "ar", null, null, null, null, T0));
        history.record(t("m1", MessageState.MAPPED, "AR", "BR", "CO-1", T0.plusSeconds(1)));
        history.record(t("m1", MessageState.SIGNED, "AR", "BR", "CO-1", T0.plusSeconds(2)));
        history.record(new Transition("m1", MessageState.FAILED, "partner-forward-BR", null, null, null, null,
                "partner broker unreachable", T0.plusSeconds(3)));

        MessageDetail detail = history.find("m1").orElseThrow();
        assertThat(detail.transitions()).extracting(Transition::state)
                .containsExactly(MessageState.RECEIVED, MessageState.MAPPED, MessageState.SIGNED, MessageState.FAILED);
        assertThat(detail.transitions().get(0).party()).isEqualTo("AR"); // country codes normalised
        assertThat(detail.transitions().get(3).at()).isEqualTo(T0.plusSeconds(3));
        MessageSummary s = detail.message();
        assertThat(s.lastState()).isEqualTo(MessageState.FAILED);
        assertThat(s.lastReason()).isEqualTo("partner broker unreachable");
        assertThat(s.lastRoute()).isEqualTo("partner-forward-BR");
        assertThat(s.firstSeen()).isEqualTo(T0);
        assertThat(s.lastAt()).isEqualTo(T0.plusSeconds(3));
        // Identity fields keep the latest known value, null does not erase them.
        assertThat(s.party()).isEqualTo("AR");
        assertThat(s.partner()).isEqualTo("BR");
        assertThat(s.documentNumber()).isEqualTo("CO-1");
        assertThat(s.messageType()).isEqualTo("CertificateOfOrigin");
        assertThat(s.transitionCount()).isEqualTo(4);

        assertThat(events).extracting(e -> e.transition().state())
                .containsExactly(MessageState.RECEIVED, MessageState.MAPPED, MessageState.SIGNED, MessageState.FAILED);
        assertThat(events.get(0).transition().messageId()).isEqualTo("m1");
        assertThat(history.find("unknown")).isEmpty();
    }

    @Test
    void detailIsInTimeOrderAndALateRecordedEarlierTransitionDoesNotBecomeTheLastState() {
        history.record(t("m2", MessageState.SENT, "AR", "BR", "CO-2", T0.plusSeconds(10)));
        history.record(t("m2", MessageState.RECEIVED, "AR", "BR", "CO-2", T0));
        history.record(t("m2", MessageState.ACKNOWLEDGED, "AR", "BR", "CO-2", T0.plusSeconds(20)));
        history.record(t("m2", MessageState.SIGNED, "AR", "BR", "CO-2", T0.plusSeconds(5)));

        MessageDetail d = history.find("m2").orElseThrow();
        assertThat(d.transitions()).extracting(Transition::state).containsExactly(
                MessageState.RECEIVED, MessageState.SIGNED, MessageState.SENT, MessageState.ACKNOWLEDGED);
        assertThat(d.message().lastState()).isEqualTo(MessageState.ACKNOWLEDGED);
        assertThat(d.message().firstSeen()).isEqualTo(T0);
        assertThat(d.message().lastAt()).isEqualTo(T0.plusSeconds(20));

        // Same instant: recording order decides.
        history.record(t("m3", MessageState.REJECTED, "AR", "BR", "CO-3", T0));
        history.record(t("m3", MessageState.REPLAYED, "AR", "BR", "CO-3", T0));
        assertThat(history.find("m3").orElseThrow().transitions()).extracting(Transition::state)
                .containsExactly(MessageState.REJECTED, MessageState.REPLAYED);
        assertThat(history.summary("m3").orElseThrow().lastState()).isEqualTo(MessageState.REPLAYED);
    }

    @Test
    void longReasonsAreTruncatedAndNoRecordingFailureReachesTheCaller() {
        String reason = "x".repeat(10_000);
        history.record(new Transition("m4", MessageState.REJECTED, "r", "AR", "BR", "CO-4", "CertificateOfOrigin", reason, T0));
        Transition stored = history.find("m4").orElseThrow().transitions().get(0);
        assertThat(stored.reason()).hasSize(JdbcMessageHistory.MAX_REASON).endsWith("...");
        assertThat(history.summary("m4").orElseThrow().lastReason()).hasSize(JdbcMessageHistory.MAX_REASON);

        // Incomplete transitions are logged and skipped.
        history.record(null);
        history.record(new Transition(null, MessageState.RECEIVED, null, null, null, null, null, null, T0));
        history.record(new Transition("m5", null, null, null, null, null, null, null, T0));
        assertThat(history.find("m5")).isEmpty();

        // A missing time is now.
        Instant before = Instant.now().minusSeconds(1);
        history.record(new Transition("m6", MessageState.RECEIVED, null, null, null, null, null, null, null));
        assertThat(history.summary("m6").orElseThrow().lastAt()).isAfter(before);

        // A listener that throws does not reach the caller, and the transition is recorded.
        JdbcMessageHistory throwing = new JdbcMessageHistory(jdbc, e -> {
            throw new IllegalStateException("listener down");
        });
        throwing.record(t("m8", MessageState.RECEIVED, "AR", "BR", "CO-8", T0));
        assertThat(history.find("m8")).isPresent();

        // The database gone: record() logs, does not throw, and the event is still published.
        int published = events.size();
        dataSource.close();
        history.record(t("m7", MessageState.RECEIVED, "AR", "BR", "CO-7", T0));
        assertThat(events).hasSize(published + 1);
        assertThat(events.get(published).transition().messageId()).isEqualTo("m7");

    }

    @Test
    void concurrentFirstTransitionsOfOneMessageAreAllKept() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String id = "c" + (i % 4);
                Instant at = T0.plusMillis(i);
                // FAILED: an outcome that may be recorded many times (a forward step would be recorded once per message).
                futures.add(pool.submit(() -> history.record(t(id, MessageState.FAILED, "AR", "BR", "CO-C", at))));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdown();
        }
        for (int i = 0; i < 4; i++) {
            MessageDetail d = history.find("c" + i).orElseThrow();
            assertThat(d.transitions()).hasSize(10);
            assertThat(d.message().transitionCount()).isEqualTo(10);
        }
    }

    @Test
    void searchFiltersPagesAndOrdersNewestFirst() {
        // 25 messages AR->BR about CO-A (one transition each, a minute apart), 5 BR->AR about CO-B, FAILED.
        for (int i = 0; i < 25; i++) {
            history.record(t(String.format("a%02d", i), MessageState.SENT, "AR", "BR", "CO-A", T0.plus(i, ChronoUnit.MINUTES)));
        }
        for (int i = 0; i < 5; i++) {
            String id = "b" + i;
            history.record(t(id, MessageState.RECEIVED, "BR", "AR", "CO-B", T0.plus(100 + i, ChronoUnit.MINUTES)));
            history.record(t(id, MessageState.FAILED, "BR", "AR", "CO-B", T0.plus(200 + i, ChronoUnit.MINUTES)));
        }

        HistoryPage<MessageSummary> all = history.search(MessageQuery.all(), 0, 10);
        assertThat(all.totalElements()).isEqualTo(30);
        assertThat(all.totalPages()).isEqualTo(3);
        assertThat(all.items()).hasSize(10);
        assertThat(all.items()).extracting(MessageSummary::messageId).startsWith("b4", "b3", "b2", "b1", "b0", "a24");
        assertThat(all.items()).extracting(MessageSummary::lastAt).isSortedAccordingTo((x, y) -> y.compareTo(x));
        HistoryPage<MessageSummary> last = history.search(MessageQuery.all(), 2, 10);
        assertThat(last.items()).extracting(MessageSummary::messageId).endsWith("a01", "a00");
        assertThat(history.search(MessageQuery.all(), 3, 10).items()).isEmpty();

        assertThat(history.search(query("CO-B", null, null, Set.of(), null, null), 0, 50).items())
                .extracting(MessageSummary::messageId).containsExactly("b4", "b3", "b2", "b1", "b0");
        assertThat(history.search(query(null, "ar", null, Set.of(), null, null), 0, 50).totalElements()).isEqualTo(5);
        assertThat(history.search(query(null, null, "AR", Set.of(), null, null), 0, 50).totalElements()).isEqualTo(25);
        assertThat(history.search(query(null, null, null, Set.of(MessageState.FAILED), null, null), 0, 50).totalElements()).isEqualTo(5);
        assertThat(history.search(query(null, null, null, EnumSet.of(MessageState.FAILED, MessageState.SENT), null, null), 0, 50)
                .totalElements()).isEqualTo(30);
        // RECEIVED is not the current state of any message any more.
        assertThat(history.search(query(null, null, null, Set.of(MessageState.RECEIVED), null, null), 0, 50).totalElements()).isZero();
        // Time window [from, to): messages active in it. a10..a14 are at minutes 10..14.
        assertThat(history.search(query(null, null, "AR", Set.of(), T0.plus(10, ChronoUnit.MINUTES), T0.plus(15, ChronoUnit.MINUTES)), 0, 50)
                .items()).extracting(MessageSummary::messageId).containsExactly("a14", "a13", "a12", "a11", "a10");
        // b* were active from minute 100+i to 200+i: all overlap [150, 151).
        assertThat(history.search(query(null, null, null, Set.of(), T0.plus(150, ChronoUnit.MINUTES), T0.plus(151, ChronoUnit.MINUTES)), 0, 50)
                .items()).extracting(MessageSummary::messageId).containsExactly("b4", "b3", "b2", "b1", "b0");
        // Combined criteria, none matching.
        assertThat(history.search(query("CO-A", "AR", null, Set.of(), null, null), 0, 50).totalElements()).isZero();
        // Size is capped.
        assertThat(history.search(MessageQuery.all(), 0, 10_000).size()).isEqualTo(JdbcMessageHistory.MAX_PAGE_SIZE);
        assertThatThrownBy(() -> history.search(MessageQuery.all(), -1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history.search(MessageQuery.all(), 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    static MessageQuery query(String number, String partner, String party, Set<MessageState> states, Instant from, Instant to) {
        return new MessageQuery(number, partner, party, states, from, to, null);
    }

    @Test
    void purgeDeletesOnlyFinishedMessagesOlderThanTheRetentionNeverOnesInFlight() {
        Instant old = T0.minus(100, ChronoUnit.DAYS);
        Instant recent = T0.minus(1, ChronoUnit.DAYS);
        for (MessageState last : MessageState.values()) {
            history.record(new Transition("old-" + last, MessageState.RECEIVED, "sw-outbox-intake-AR", "AR", "BR", "CO",
                    "CertificateOfOrigin", null, old.minusSeconds(60)));
            history.record(t("old-" + last, last, "AR", "BR", "CO", old));
            history.record(new Transition("recent-" + last, MessageState.RECEIVED, "sw-outbox-intake-AR", "AR", "BR", "CO",
                    "CertificateOfOrigin", null, old));
            history.record(t("recent-" + last, last, "AR", "BR", "CO", recent));
        }
        // A message that started long ago but is still moving: its last transition is recent.
        history.record(t("long", MessageState.RECEIVED, "AR", "BR", "CO", old.minusSeconds(10)));
        history.record(t("long", MessageState.SENT, "AR", "BR", "CO", recent));

        OriginHubProperties.History settings = new OriginHubProperties.History(Duration.ofDays(90), Duration.ofHours(1));
        HistoryRetention retention = new HistoryRetention(history, settings, Clock.fixed(T0, ZoneOffset.UTC));
        int deleted = retention.purgeNow();

        Set<MessageState> finished = EnumSet.of(MessageState.SENT, MessageState.ACKNOWLEDGED, MessageState.DELIVERED,
                MessageState.REJECTED, MessageState.DUPLICATE);
        assertThat(JdbcMessageHistory.FINISHED_STATES).isEqualTo(finished);
        assertThat(deleted).isEqualTo(finished.size());
        for (MessageState last : MessageState.values()) {
            assertThat(history.find("old-" + last)).as("old %s", last).matches(o -> o.isPresent() != finished.contains(last));
            assertThat(history.find("recent-" + last)).as("recent %s", last).isPresent();
        }
        // In flight or waiting for an operator, however old: kept with every transition.
        for (MessageState inFlight : EnumSet.of(MessageState.RECEIVED, MessageState.MAPPED, MessageState.SIGNED,
                MessageState.REPLAYED, MessageState.FAILED)) {
            assertThat(history.find("old-" + inFlight).orElseThrow().transitions()).hasSize(2);
        }
        assertThat(history.find("long")).isPresent();
        // Transitions went with their messages.
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM message_transition WHERE message_id LIKE 'old-%'", Integer.class))
                .isEqualTo(2 * (MessageState.values().length - finished.size()));
        assertThat(retention.purgeNow()).isZero();
    }

    @Test
    void purgeWorksInBatches() {
        Instant old = T0.minus(100, ChronoUnit.DAYS);
        for (int i = 0; i < 1_201; i++) {
            history.record(t("p" + i, MessageState.DELIVERED, "AR", "BR", "CO", old.plusSeconds(i)));
        }
        history.record(t("keep", MessageState.FAILED, "AR", "BR", "CO", old));
        assertThat(history.purge(T0.minus(90, ChronoUnit.DAYS))).isEqualTo(1_201);
        assertThat(history.search(MessageQuery.all(), 0, 10).items()).extracting(MessageSummary::messageId).containsExactly("keep");
    }

    @Test
    void theSchemaSurvivesAReopenOfTheDatabase() throws Exception {
        history.record(t("r1", MessageState.RECEIVED, "AR", "BR", "CO-R", T0));
        dataSource.close();
        if (Files.isDirectory(dir.resolve("history"))) {
            assertThat(Files.list(dir.resolve("history")).map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".mv.db"));
        }
        dataSource = new HikariDataSource();
        configure(dataSource);
        Flyway.configure().dataSource(dataSource).load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        history = new JdbcMessageHistory(jdbc, e -> events.add((MessageTransitionEvent) e));
        assertThat(history.find("r1")).isPresent();
    }
}
