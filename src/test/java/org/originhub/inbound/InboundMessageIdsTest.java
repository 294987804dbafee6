package org.originhub.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The inbound messageId memory on a real H2 file database migrated by the project's Flyway scripts: remembering,
 * harmless repeats (also racing ones), survival across instances, purge by age only, never eviction by count.
 */
class InboundMessageIdsTest {
    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    static final Duration MAX_AGE = Duration.ofDays(7);

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(T0);
    final List<HikariDataSource> dataSources = new ArrayList<>();
    JdbcTemplate jdbc;
    InboundMessageIds ids;

    @BeforeEach
    void database() {
        jdbc = new JdbcTemplate(open());
        ids = new InboundMessageIds(jdbc, clock);
    }

    HikariDataSource open() {
        HikariDataSource ds = new HikariDataSource();
        configure(ds);
        Flyway.configure().dataSource(ds).load().migrate();
        dataSources.add(ds);
        return ds;
    }

    /** The database under test: an H2 file in a temporary folder (PostgreSQL in {@link InboundMessageIdsPostgresTest}). */
    protected void configure(HikariDataSource ds) {
        ds.setJdbcUrl("jdbc:h2:file:" + dir.resolve("history/origin-hub").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
        ds.setUsername("originhub");
        ds.setPassword("");
    }

    @AfterEach
    void close() {
        dataSources.forEach(HikariDataSource::close);
    }

    @Test
    void remembersAKey() {
        assertThat(ids.contains("BR:1")).isFalse();
        assertThat(ids.add("BR:1")).isTrue();
        assertThat(ids.contains("BR:1")).isTrue();
        assertThat(ids.contains("AR:1")).as("scoped by sender").isFalse();
    }

    @Test
    void addingAKeyTwiceIsHarmlessAndKeepsTheFirstTime() {
        ids.add("BR:1");
        clock.set(T0.plus(Duration.ofDays(5)));
        assertThat(ids.add("BR:1")).isFalse();
        assertThat(jdbc.queryForObject("SELECT received_at FROM inbound_message_id WHERE idempotency_key = 'BR:1'",
                OffsetDateTime.class).toInstant()).isEqualTo(T0);
    }

    @Test
    void racingAddsOfOneKeyNeverFail() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int k = 0; k < 10; k++) {
                String key = "BR:race-" + k;
                CountDownLatch start = new CountDownLatch(1);
                List<Callable<Boolean>> adds = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    adds.add(() -> {
                        start.await();
                        return ids.add(key);
                    });
                }
                List<Future<Boolean>> results = new ArrayList<>();
                for (Callable<Boolean> add : adds) results.add(pool.submit(add));
                start.countDown();
                int firsts = 0;
                for (Future<Boolean> r : results) if (r.get()) firsts++; // get() throws if an add failed
                assertThat(firsts).as("exactly one add of %s is the first", key).isEqualTo(1);
                assertThat(ids.contains(key)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void survivesANewInstanceOnTheSameDatabase() {
        ids.add("BR:kept");
        dataSources.forEach(HikariDataSource::close);
        InboundMessageIds again = new InboundMessageIds(new JdbcTemplate(open()), clock);
        assertThat(again.contains("BR:kept")).isTrue();
    }

    @Test
    void purgeRemovesOnlyKeysOlderThanTheMessageAgePlusTheMargin() {
        InboundMessageIdRetention retention = new InboundMessageIdRetention(ids, MAX_AGE, clock);
        Duration keep = MAX_AGE.plus(InboundMessageIdRetention.MARGIN);
        ids.add("BR:old");
        clock.set(T0.plusSeconds(120));
        ids.add("BR:young");

        clock.set(T0.plus(keep).plusSeconds(60)); // "old" is a minute past the window, "young" a minute within it
        assertThat(retention.purgeNow()).isEqualTo(1);
        assertThat(ids.contains("BR:old")).isFalse();
        assertThat(ids.contains("BR:young")).isTrue();
    }

    @Test
    void aKeyIsNeverEvictedByCount() {
        // The file repository kept a bounded number of keys (at least 1000): far more, and the first is still there.
        ids.add("BR:first");
        clock.set(T0.plusSeconds(1));
        String at = clock.instant().toString();
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) rows.add(new Object[] {"BR:filler-" + i, OffsetDateTime.parse(at)});
        // One transaction for the batch: autocommit would sync the H2 file 5000 times.
        new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource())).executeWithoutResult(s ->
                jdbc.batchUpdate("INSERT INTO inbound_message_id (idempotency_key, received_at) VALUES (?, ?)", rows));
        ids.add("BR:last");

        assertThat(new InboundMessageIdRetention(ids, MAX_AGE, clock).purgeNow()).isZero();
        assertThat(ids.contains("BR:first")).isTrue();
        assertThat(ids.contains("BR:last")).isTrue();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM inbound_message_id", Integer.class)).isEqualTo(5002);
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
