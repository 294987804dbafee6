package org.originhub.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.originhub.config.OriginHubProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Purges finished messages from the history every {@code originhub.history.purge-interval} (first run one minute
 * after start, or sooner if the interval is shorter): those whose last transition is older than
 * {@code originhub.history.retention} and whose last state is final (see {@link JdbcMessageHistory#FINISHED_STATES}).
 * A message still in flight, or FAILED and waiting for an operator, is never purged.
 */
@Component
public class HistoryRetention implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(HistoryRetention.class);

    private final JdbcMessageHistory history;
    private final OriginHubProperties.History settings;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    @Autowired
    public HistoryRetention(JdbcMessageHistory history, OriginHubProperties props) {
        this(history, props.history(), Clock.systemUTC());
    }

    HistoryRetention(JdbcMessageHistory history, OriginHubProperties.History settings, Clock clock) {
        this.history = history;
        this.settings = settings;
        this.clock = clock;
    }

    /** Runs one purge now; returns how many messages it deleted. Never throws (a failure is logged). */
    public int purgeNow() {
        Instant cutoff = clock.instant().minus(settings.retention());
        try {
            int deleted = history.purge(cutoff);
            if (deleted > 0) {
                log.info("Message history: purged {} finished messages last active before {}", deleted, cutoff);
            }
            return deleted;
        } catch (RuntimeException e) {
            log.warn("Message history purge failed: {}", e.toString());
            return 0;
        }
    }

    @Override
    public synchronized void start() {
        Duration interval = settings.purgeInterval();
        if (interval.isZero() || interval.isNegative()) {
            log.warn("originhub.history.purge-interval is {}: the message history is never purged", interval);
            return;
        }
        long period = interval.toMillis();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "history-purge");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::purgeNow, Math.min(period, 60_000), period, TimeUnit.MILLISECONDS);
        log.info("Message history: finished messages kept {}, purged every {}", settings.retention(), interval);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
