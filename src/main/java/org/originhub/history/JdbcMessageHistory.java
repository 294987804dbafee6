package org.originhub.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The message history in a relational database (H2 file by default, PostgreSQL in production; schema by the Flyway
 * migrations under {@code db/migration}).
 * <p>
 * Each {@link #record} inserts one {@code message_transition} row and inserts or updates the message's
 * {@code message} summary row in one database transaction of its own (the hub's only Spring transaction manager is
 * the JMS one, so this class runs its own {@link DataSourceTransactionManager}; a JMS hop that rolls back after
 * recording leaves a history line for an attempt that was then redelivered, which the history shows as a repeated
 * state). Recording never throws: a failure is logged as a warning. After the attempt, successful or not, a
 * {@link MessageTransitionEvent} is published (the transition happened even if its history line was lost).
 * <p>
 * Retention ({@link #purge}): a message is deleted, with its transitions, only when its latest transition is older
 * than the cut-off and its last state is one of {@link #FINISHED_STATES}. Messages still in flight
 * (RECEIVED, MAPPED, SIGNED, REPLAYED) or waiting for an operator (FAILED) are never purged.
 */
@Component
public class JdbcMessageHistory implements MessageHistory {
    private static final Logger log = LoggerFactory.getLogger(JdbcMessageHistory.class);

    /**
     * Last states after which the hub has nothing more to do for a message: delivered to a single window, taken by
     * the partner's broker (SENT; an Acknowledgement arriving after the purge starts a new history line), acknowledged,
     * refused for good, or a duplicate.
     */
    public static final Set<MessageState> FINISHED_STATES = Collections.unmodifiableSet(EnumSet.of(MessageState.SENT,
            MessageState.ACKNOWLEDGED, MessageState.DELIVERED, MessageState.REJECTED, MessageState.DUPLICATE));

    /** Longest reason kept, in characters (the column holds 4000); longer reasons are cut with "...". */
    public static final int MAX_REASON = 4000;
    /** Largest page a search returns. */
    public static final int MAX_PAGE_SIZE = 200;
    private static final int PURGE_BATCH = 500;

    private static final String SUMMARY_COLUMNS = "message_id, last_state, first_seen, last_at, last_route, last_reason, "
            + "party, partner, document_number, message_type, transitions";

    /**
     * The forward steps a hop records before its JMS commit: after a crash the broker redelivers the message and the
     * hop records them again, so each is written once per message (since its last replay). History is written before
     * the commit, durably, so a hop that committed always has its steps; one that was rolled back is redone.
     */
    static final Set<MessageState> REDONE_ON_REDELIVERY = Collections.unmodifiableSet(EnumSet.of(MessageState.RECEIVED,
            MessageState.MAPPED, MessageState.SIGNED, MessageState.SENT, MessageState.DELIVERED));

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;

    public JdbcMessageHistory(JdbcTemplate jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        this.tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    public void record(Transition transition) {
        if (transition == null || transition.messageId() == null || transition.messageId().isBlank()
                || transition.state() == null) {
            log.warn("Not recording an incomplete history transition: {}", transition);
            return;
        }
        Transition t = normalise(transition);
        List<Transition> written = List.of(t);
        try {
            written = write(t);
        } catch (RuntimeException e) {
            log.warn("Could not record {} of message {} in the message history: {}", t.state(), t.messageId(), e.toString());
        }
        for (Transition w : written) {
            try {
                events.publishEvent(new MessageTransitionEvent(w));
            } catch (RuntimeException e) {
                log.warn("A listener failed on {} of message {}: {}", w.state(), w.messageId(), e.toString());
            }
        }
    }

    /**
     * Writes the transition, in one database transaction with what it implies; returns what was written (nothing when
     * it is a redone hop's step already recorded). An acknowledgement proves the message was sent: when the partner's
     * answer is recorded before this hub's own SENT (the partner answered within the moment between its
     * {@code accepted} and the forwarder's record, or the hub restarted in that moment and redoes the send later),
     * SENT is recorded first, saying so, and the forwarder's own SENT then finds it recorded.
     */
    private List<Transition> write(Transition t) {
        for (int attempt = 1; ; attempt++) {
            try {
                List<Transition> written = tx.execute(status -> {
                    if ((REDONE_ON_REDELIVERY.contains(t.state()) || t.state() == MessageState.ACKNOWLEDGED) && alreadyRecorded(t)) {
                        return List.<Transition>of();
                    }
                    List<Transition> out = new ArrayList<>();
                    // Only for a message this hub signed to send: never invent the send of a message it only received
                    // (its acknowledgement also passes through when both parties are served by this hub) or never saw.
                    if (t.state() == MessageState.ACKNOWLEDGED && t.partner() != null && recordedSince(t.messageId(), "SIGNED")
                            && !recordedSince(t.messageId(), "SENT")) {
                        out.add(new Transition(t.messageId(), MessageState.SENT, "partner-forward-" + t.partner(), t.party(),
                                t.partner(), t.documentNumber(), t.messageType(), "recorded with partner " + t.partner()
                                + "'s acknowledgement, which came before this hub's record of the send", t.at()));
                    }
                    out.add(t);
                    for (Transition w : out) {
                        insert(w);
                    }
                    return out;
                });
                return written == null ? List.of() : written;
            } catch (DuplicateKeyException e) {
                // Two first transitions of one message raced to insert its summary: the loser updates it instead.
                if (attempt >= 3) throw e;
            }
        }
    }

    private void insert(Transition t) {
        upsertSummary(t);
        jdbc.update("INSERT INTO message_transition (message_id, state, route, party, partner, document_number, "
                        + "message_type, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                t.messageId(), t.state().name(), t.route(), t.party(), t.partner(), t.documentNumber(),
                t.messageType(), t.reason(), ts(t.at()));
    }

    /** Whether the message has a transition in the given state since its last replay. */
    private boolean recordedSince(String messageId, String state) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM message_transition WHERE message_id = ? AND state = ? "
                        + "AND at >= COALESCE((SELECT MAX(r.at) FROM message_transition r WHERE r.message_id = ? AND r.state = 'REPLAYED'), ?)",
                Integer.class, messageId, state, messageId, ts(Instant.EPOCH));
        return n != null && n > 0;
    }

    /**
     * Whether this step of the message's way (same state, same route) is recorded already since its last replay: a hop
     * that a crash rolled back is done again when the broker redelivers its message, and writes its steps again.
     */
    private boolean alreadyRecorded(Transition t) {
        // An acknowledgement is the same one when its reason (which names the acknowledgement's own messageId) is: a
        // partner's second acknowledgement (of a resend) is recorded, a redelivered delivery of the first is not.
        boolean sameReason = t.state() == MessageState.ACKNOWLEDGED;
        String since = "AND at >= COALESCE((SELECT MAX(r.at) FROM message_transition r WHERE r.message_id = ? AND r.state = 'REPLAYED'), ?)";
        Integer n = sameReason
                ? jdbc.queryForObject("SELECT COUNT(*) FROM message_transition WHERE message_id = ? AND state = ? "
                        + "AND COALESCE(route, '') = COALESCE(?, '') AND COALESCE(reason, '') = COALESCE(?, '') " + since,
                Integer.class, t.messageId(), t.state().name(), t.route(), t.reason(), t.messageId(), ts(Instant.EPOCH))
                : jdbc.queryForObject("SELECT COUNT(*) FROM message_transition WHERE message_id = ? AND state = ? "
                        + "AND COALESCE(route, '') = COALESCE(?, '') " + since,
                Integer.class, t.messageId(), t.state().name(), t.route(), t.messageId(), ts(Instant.EPOCH));
        return n != null && n > 0;
    }

    private void upsertSummary(Transition t) {
        OffsetDateTime at = ts(t.at());
        int updated = jdbc.update("UPDATE message SET "
                        + "first_seen = CASE WHEN first_seen > ? THEN ? ELSE first_seen END, "
                        + "last_state = CASE WHEN last_at <= ? THEN ? ELSE last_state END, "
                        + "last_route = CASE WHEN last_at <= ? THEN ? ELSE last_route END, "
                        + "last_reason = CASE WHEN last_at <= ? THEN ? ELSE last_reason END, "
                        + "last_at = CASE WHEN last_at <= ? THEN ? ELSE last_at END, "
                        + "party = COALESCE(?, party), partner = COALESCE(?, partner), "
                        + "document_number = COALESCE(?, document_number), message_type = COALESCE(?, message_type), "
                        + "transitions = transitions + 1 "
                        + "WHERE message_id = ?",
                at, at, at, t.state().name(), at, t.route(), at, t.reason(), at, at,
                t.party(), t.partner(), t.documentNumber(), t.messageType(), t.messageId());
        if (updated == 0) {
            jdbc.update("INSERT INTO message (message_id, first_seen, last_state, last_at, last_route, last_reason, party, "
                            + "partner, document_number, message_type, transitions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                    t.messageId(), at, t.state().name(), at, t.route(), t.reason(), t.party(), t.partner(),
                    t.documentNumber(), t.messageType());
        }
    }

    /** The messages matching {@code query}, most recently active first ({@code lastAt} descending). */
    public HistoryPage<MessageSummary> search(MessageQuery query, int page, int size) {
        if (page < 0) throw new IllegalArgumentException("page must be 0 or more");
        if (size < 1) throw new IllegalArgumentException("size must be 1 or more");
        size = Math.min(size, MAX_PAGE_SIZE);
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (query.documentNumber() != null && !query.documentNumber().isBlank()) {
            where.append(" AND document_number = ?");
            args.add(query.documentNumber().trim());
        }
        if (query.partner() != null && !query.partner().isBlank()) {
            where.append(" AND partner = ?");
            args.add(query.partner().trim().toUpperCase());
        }
        if (query.party() != null && !query.party().isBlank()) {
            where.append(" AND party = ?");
            args.add(query.party().trim().toUpperCase());
        }
        if (query.messageType() != null && !query.messageType().isBlank()) {
            where.append(" AND message_type = ?");
            args.add(query.messageType().trim());
        }
        if (!query.states().isEmpty()) {
            where.append(" AND last_state IN (")
                    .append(query.states().stream().map(s -> "?").collect(Collectors.joining(", "))).append(")");
            query.states().stream().map(Enum::name).sorted().forEach(args::add);
        }
        if (query.from() != null) {
            where.append(" AND last_at >= ?");
            args.add(ts(query.from()));
        }
        if (query.to() != null) {
            where.append(" AND first_seen < ?");
            args.add(ts(query.to()));
        }
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM message" + where, Long.class, args.toArray());
        long totalElements = total == null ? 0 : total;
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add((long) page * size);
        pageArgs.add(size);
        List<MessageSummary> items = jdbc.query("SELECT " + SUMMARY_COLUMNS + " FROM message" + where
                + " ORDER BY last_at DESC, message_id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY", SUMMARY, pageArgs.toArray());
        int totalPages = (int) ((totalElements + size - 1) / size);
        return new HistoryPage<>(items, page, size, totalElements, totalPages);
    }

    /** The summary of one message, if the history knows it. */
    @Override
    public Optional<MessageState> lastState(String messageId) {
        return summary(messageId).map(MessageSummary::lastState);
    }

    public Optional<MessageSummary> summary(String messageId) {
        return jdbc.query("SELECT " + SUMMARY_COLUMNS + " FROM message WHERE message_id = ?", SUMMARY, messageId)
                .stream().findFirst();
    }

    /** One message with all its transitions, oldest first (by time, then by recording order). */
    public Optional<MessageDetail> find(String messageId) {
        return summary(messageId).map(summary -> new MessageDetail(summary, jdbc.query(
                "SELECT message_id, state, route, party, partner, document_number, message_type, reason, at "
                        + "FROM message_transition WHERE message_id = ? ORDER BY at, id", TRANSITION, messageId)));
    }

    /**
     * Deletes, with their transitions, the messages whose last transition is before {@code cutoff} and whose last
     * state is in {@link #FINISHED_STATES}. Returns how many messages were deleted. Runs in batches, each in its own
     * transaction; the conditions are checked again by each delete, so a message that moves on meanwhile stays.
     */
    public int purge(Instant cutoff) {
        String states = FINISHED_STATES.stream().map(s -> "'" + s.name() + "'").sorted().collect(Collectors.joining(", "));
        String condition = "last_state IN (" + states + ") AND last_at < ?";
        OffsetDateTime before = ts(cutoff);
        int deleted = 0;
        while (true) {
            Integer n = tx.execute(status -> jdbc.update("DELETE FROM message WHERE " + condition + " AND message_id IN "
                    + "(SELECT message_id FROM message WHERE " + condition + " ORDER BY last_at FETCH FIRST "
                    + PURGE_BATCH + " ROWS ONLY)", before, before));
            int batch = n == null ? 0 : n;
            deleted += batch;
            if (batch < PURGE_BATCH) return deleted;
        }
    }

    private static Transition normalise(Transition t) {
        return new Transition(cut(t.messageId().trim(), 200), t.state(), cut(t.route(), 200), code(t.party()),
                code(t.partner()), cut(t.documentNumber(), 200), cut(t.messageType(), 64), reason(t.reason()),
                t.at() == null ? Instant.now() : t.at());
    }

    private static String code(String s) {
        return s == null || s.isBlank() ? null : cut(s.trim().toUpperCase(), 16);
    }

    private static String reason(String s) {
        return s == null || s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON - 3) + "...";
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static OffsetDateTime ts(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static final RowMapper<MessageSummary> SUMMARY = (rs, i) -> new MessageSummary(rs.getString("message_id"),
            MessageState.valueOf(rs.getString("last_state")), instant(rs, "first_seen"), instant(rs, "last_at"),
            rs.getString("last_route"), rs.getString("last_reason"), rs.getString("party"), rs.getString("partner"),
            rs.getString("document_number"), rs.getString("message_type"), rs.getInt("transitions"));

    private static final RowMapper<Transition> TRANSITION = (rs, i) -> new Transition(rs.getString("message_id"),
            MessageState.valueOf(rs.getString("state")), rs.getString("route"), rs.getString("party"),
            rs.getString("partner"), rs.getString("document_number"), rs.getString("message_type"),
            rs.getString("reason"), instant(rs, "at"));
}
