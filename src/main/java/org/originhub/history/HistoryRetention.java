package org.originhub.history;

import java.time.Clock;
import java.time.Instant;
import org.originhub.config.OriginHubProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Purges finished messages from the history every {@code originhub.history.purge-interval}: those whose last
 * transition is older than {@code originhub.history.retention} and whose last state is final (see
 * {@link JdbcMessageHistory#FINISHED_STATES}). A message still in flight, or FAILED and waiting for an operator, is
 * never purged.
 */
@Component
public class HistoryRetention extends ScheduledPurge {
    private final JdbcMessageHistory history;

    @Autowired
    public HistoryRetention(JdbcMessageHistory history, OriginHubProperties props) {
        this(history, props.history(), Clock.systemUTC());
    }

    HistoryRetention(JdbcMessageHistory history, OriginHubProperties.History settings, Clock clock) {
        super("Message history", "finished messages", settings.retention(), settings.purgeInterval(), clock);
        this.history = history;
    }

    @Override
    protected int purgeBefore(Instant cutoff) {
        return history.purge(cutoff);
    }
}
