package org.originhub.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The hub's retention of its own records: deletes, every {@code interval} (first run one minute after start, or sooner
 * if the interval is shorter), what is older than {@code keep}. One daemon thread per store, started and stopped with
 * the application; a failed run is logged and the next one retries. A zero or negative interval turns purging off,
 * said once at start-up. Subclasses say what is purged ({@link #purgeBefore}).
 */
public abstract class ScheduledPurge implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ScheduledPurge.class);

    private final String store;
    private final String items;
    private final Duration keep;
    private final Duration interval;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    /**
     * @param store what the records are, for the log ("Message history")
     * @param items what one record is, for the log ("finished messages")
     */
    protected ScheduledPurge(String store, String items, Duration keep, Duration interval, Clock clock) {
        this.store = store;
        this.items = items;
        this.keep = keep;
        this.interval = interval;
        this.clock = clock;
    }

    /** Deletes what is older than {@code cutoff}; returns how many records it deleted. */
    protected abstract int purgeBefore(Instant cutoff);

    /** Runs one purge now; returns how many records it deleted. Never throws (a failure is logged). */
    public int purgeNow() {
        Instant cutoff = clock.instant().minus(keep);
        try {
            int deleted = purgeBefore(cutoff);
            if (deleted > 0) {
                log.info("{}: purged {} {} older than {}", store, deleted, items, cutoff);
            }
            return deleted;
        } catch (RuntimeException e) {
            log.warn("{}: purge failed (the next run retries): {}", store, e.toString());
            return 0;
        }
    }

    @Override
    public synchronized void start() {
        if (interval.isZero() || interval.isNegative()) {
            log.warn("{}: purge interval is {}, so it is never purged", store, interval);
            return;
        }
        long period = interval.toMillis();
        String threadName = store.toLowerCase(java.util.Locale.ROOT).replace(' ', '-') + "-purge";
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::purgeNow, Math.min(period, 60_000), period, TimeUnit.MILLISECONDS);
        log.info("{}: {} kept {}, purged every {}", store, items, keep, interval);
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
