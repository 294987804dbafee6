package org.originhub.inbound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.originhub.history.ScheduledPurge;

/**
 * Purges the inbound messageId memory every hour: the keys remembered longer ago than
 * {@code originhub.inbound.max-message-age} plus {@link #MARGIN}. Nothing older can still be accepted (the verifier
 * refuses a CreatedAt older than the window, and a CreatedAt may be at most the clock skew ahead of the time a key is
 * remembered), so a purged key can never let a replay through; the margin covers that skew and the hubs' clocks many
 * times over.
 */
public class InboundMessageIdRetention extends ScheduledPurge {
    /** Kept beyond the maximum message age: much more than the allowed clock skew (5 minutes). */
    public static final Duration MARGIN = Duration.ofDays(1);
    static final Duration INTERVAL = Duration.ofHours(1);

    private final InboundMessageIds ids;

    /** @param maxMessageAge {@code originhub.inbound.max-message-age}; keys are kept that long plus {@link #MARGIN} */
    public InboundMessageIdRetention(InboundMessageIds ids, Duration maxMessageAge, Clock clock) {
        super("Inbound messageId memory", "keys", maxMessageAge.plus(MARGIN), INTERVAL, clock);
        this.ids = ids;
    }

    @Override
    protected int purgeBefore(Instant cutoff) {
        return ids.purge(cutoff);
    }
}
