package org.originhub.inbound;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The receiving hub's memory of partner messages already delivered (table {@code inbound_message_id}, Flyway
 * migration V200), keyed by the idempotency key (sender country + ':' + MessageId) with the time it was remembered.
 * It lives in the hub's database (H2 file by default, PostgreSQL in production), so it survives restarts and is
 * shared by every hub process of a deployment.
 * <p>
 * Entries leave only by age ({@link #purge}, run by {@link InboundMessageIdRetention}), never by count: the memory
 * must cover every message that could still be accepted, which the verifier bounds by
 * {@code originhub.inbound.max-message-age}.
 * <p>
 * Every write runs in a database transaction of its own ({@code REQUIRES_NEW}): {@link #add} is called after the hop's
 * broker transaction committed ({@code exchange.HopTransaction}) and must not join any transaction a caller may hold.
 * Thread-safe.
 */
public class InboundMessageIds {
    private static final int PURGE_BATCH = 1000;
    /** The column's width; the keys the hub makes are far shorter (2 + 1 + 36). */
    static final int MAX_KEY = 200;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    public InboundMessageIds(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        this.tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Whether {@code key} was remembered (and not yet purged). */
    public boolean contains(String key) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM inbound_message_id WHERE idempotency_key = ?",
                Integer.class, check(key));
        return n != null && n > 0;
    }

    /**
     * Remembers {@code key} with the current time. Returns false if it was already there; then its time is left as it
     * was. Two deliveries racing to add the same key both succeed (the loser's insert is a duplicate key, not an
     * error), so a race never fails a route.
     */
    public boolean add(String key) {
        String k = check(key);
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        try {
            Integer n = tx.execute(status -> jdbc.update(
                    "INSERT INTO inbound_message_id (idempotency_key, received_at) VALUES (?, ?)", k, now));
            return n != null && n > 0;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /**
     * Deletes the keys remembered before {@code cutoff}; returns how many. In batches, each in its own transaction, so
     * a large purge never holds long locks.
     */
    public int purge(Instant cutoff) {
        OffsetDateTime before = cutoff.atOffset(ZoneOffset.UTC);
        int deleted = 0;
        while (true) {
            Integer n = tx.execute(status -> jdbc.update("DELETE FROM inbound_message_id WHERE idempotency_key IN "
                    + "(SELECT idempotency_key FROM inbound_message_id WHERE received_at < ? ORDER BY received_at "
                    + "FETCH FIRST " + PURGE_BATCH + " ROWS ONLY)", before));
            int batch = n == null ? 0 : n;
            deleted += batch;
            if (batch < PURGE_BATCH) {
                return deleted;
            }
        }
    }

    private static String check(String key) {
        if (key == null || key.isBlank() || key.length() > MAX_KEY) {
            throw new IllegalArgumentException("an idempotency key must be 1 to " + MAX_KEY + " characters: " + key);
        }
        return key;
    }
}
