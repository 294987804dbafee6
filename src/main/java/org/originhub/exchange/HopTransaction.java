package org.originhub.exchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker transaction of the hop running on this thread, as far as the hub's own stores need to know it: work that
 * may only happen once the hop's consumption and sends are committed at the broker (remembering a partner's messageId
 * as delivered) is registered here and run by {@link HopListenerContainer} right after the listener session's commit
 * returned; it is dropped when the hop rolls back.
 *
 * <p>Why not Spring's {@code TransactionSynchronization.afterCommit}: the routes' {@code transacted} step only joins
 * the listener's session transaction, so Spring calls "after commit" when that step ends, before the listener
 * container commits the session. A crash in between left a messageId remembered for a message the broker still held
 * and redelivered, and the redelivery was then taken for a duplicate and never delivered (HubKilledRecordsIT: an
 * acknowledgement lost that way after a kill).
 *
 * <p>Outside a hop (no listener on this thread: a unit test, a timer) registered work runs at once.
 */
public final class HopTransaction {
    private static final Logger log = LoggerFactory.getLogger(HopTransaction.class);
    private static final ThreadLocal<List<Runnable>> afterCommit = new ThreadLocal<>();

    private HopTransaction() {
    }

    /** Runs {@code work} once the current hop's broker transaction has committed; at once when no hop runs here. */
    public static void afterCommit(Runnable work) {
        Objects.requireNonNull(work, "work");
        List<Runnable> pending = afterCommit.get();
        if (pending == null) {
            work.run();
        } else {
            pending.add(work);
        }
    }

    /**
     * Runs one hop: {@code hop} consumes and commits (or rolls back and throws); the work registered meanwhile runs
     * only if it returned normally. A failure of that work is logged, never thrown: the hop is committed by then.
     */
    static <E extends Exception> void run(Hop<E> hop) throws E {
        List<Runnable> previous = afterCommit.get();
        List<Runnable> pending = new ArrayList<>();
        afterCommit.set(pending);
        try {
            hop.consumeAndCommit();
        } finally {
            afterCommit.set(previous);
        }
        for (Runnable work : pending) {
            try {
                work.run();
            } catch (RuntimeException e) {
                log.warn("A hop committed but its after-commit work failed: {}", e.toString());
            }
        }
    }

    /** A hop's consumption and commit. */
    @FunctionalInterface
    interface Hop<E extends Exception> {
        void consumeAndCommit() throws E;
    }
}
