package org.originhub.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Work registered for after a hop's commit runs after it, never when the hop failed, and at once outside a hop. */
class HopTransactionTest {

    @Test
    void workWaitsUntilTheHopHasCommitted() {
        List<String> order = new ArrayList<>();
        HopTransaction.run(() -> {
            HopTransaction.afterCommit(() -> order.add("remembered"));
            order.add("route ended");
            order.add("session committed");
        });
        assertThat(order).containsExactly("route ended", "session committed", "remembered");
        // The hop is over: work registered now runs at once.
        HopTransaction.afterCommit(() -> order.add("after the hop"));
        assertThat(order).last().isEqualTo("after the hop");
    }

    @Test
    void workOfAHopThatRolledBackNeverRuns() {
        List<String> done = new ArrayList<>();
        assertThatThrownBy(() -> HopTransaction.<Exception>run(() -> {
            HopTransaction.afterCommit(() -> done.add("remembered"));
            throw new jakarta.jms.TransactionRolledBackException("commit refused");
        })).isInstanceOf(jakarta.jms.TransactionRolledBackException.class);
        assertThat(done).isEmpty();
        // The next hop on the same thread starts clean.
        HopTransaction.run(() -> HopTransaction.afterCommit(() -> done.add("next")));
        assertThat(done).containsExactly("next");
    }

    @Test
    void outsideAHopWorkRunsAtOnce() {
        List<String> done = new ArrayList<>();
        HopTransaction.afterCommit(() -> done.add("now"));
        assertThat(done).containsExactly("now");
    }

    @Test
    void aFailureOfTheWorkDoesNotTurnACommittedHopIntoAFailedOne() {
        List<String> done = new ArrayList<>();
        HopTransaction.run(() -> {
            HopTransaction.afterCommit(() -> {
                throw new IllegalStateException("database down");
            });
            HopTransaction.afterCommit(() -> done.add("second"));
        });
        assertThat(done).containsExactly("second");
    }
}
