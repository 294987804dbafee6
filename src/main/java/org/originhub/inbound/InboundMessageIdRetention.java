package org.originhub.inbound;

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
 * Purges the inbound messageId memory every hour (first run one minute after start): the keys remembered longer ago
 * than {@code originhub.inbound.max-message-age} plus {@link #MARGIN}. Nothing older can still be accepted (the
 * verifier refuses a CreatedAt older than the window, and a CreatedAt may be at most the clock skew ahead of the time a
 * key is remembered), so a purged key can never let a replay through; the margin covers that skew and the hubs'
 * clocks many times over.
 */
public class InboundMessageIdRetention implements SmartLifecycle {
    /** Kept beyond the maximum message age: much more than the allowed clock skew (5 minutes). */
    public static final Duration MARGIN = Duration.ofDays(1);
    static final Duration INTERVAL = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(InboundMessageIdRetention.class);

    private final InboundMessageIds ids;
    private final Duration keep;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    /** @param maxMessageAge {@code originhub.inbound.max-message-age}; keys are kept that long plus {@link #MARGIN} */
    public InboundMessageIdRetention(InboundMessageIds ids, Duration maxMessageAge, Clock clock) {
        this.ids = ids;
        this.keep = maxMessageAge.plus(MARGIN);
        this.clock = clock;
    }

    /** Runs one purge now; returns how many keys it deleted. Never throws (a failure is logged, the next run retries). */
    public int purgeNow() {
        Instant cutoff = clock.instant().minus(keep);
        try {
            int deleted = ids.purge(cutoff);
            if (deleted > 0) {
                log.info("Inbound messageId memory: purged {} keys remembered before {}", deleted, cutoff);
            }
            return deleted;
        } catch (RuntimeException e) {
            log.warn("Inbound messageId memory purge failed: {}", e.toString());
            return 0;
        }
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "inbound-message-id-purge");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::purgeNow, 60_000, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Inbound messageId memory: keys kept {}, purged every {}", keep, INTERVAL);
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
