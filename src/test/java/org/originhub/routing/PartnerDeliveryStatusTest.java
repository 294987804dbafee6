package org.originhub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The forwarder's record of a partner's sends: a streak of failures, ended by any answer of the partner. */
class PartnerDeliveryStatusTest {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-04T10:00:00Z"));
    final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @Test
    void nothingBeforeTheFirstSend() {
        PartnerDeliveryStatus status = new PartnerDeliveryStatus(clock);
        assertThat(status.failing()).isFalse();
        assertThat(status.details()).isEmpty();
    }

    @Test
    void failuresInARowKeepTheirStartAndCount() {
        PartnerDeliveryStatus status = new PartnerDeliveryStatus(clock);
        status.failed("connection", "ConnectException: Connection refused");
        now.set(Instant.parse("2026-12-04T10:00:30Z"));
        status.failed("timeout", "PartnerTimeoutException: no outcome");
        assertThat(status.failing()).isTrue();
        assertThat(status.details()).containsEntry("sendsFailingSince", "2026-12-04T10:00:00Z")
                .containsEntry("lastFailedAttempt", "2026-12-04T10:00:30Z").containsEntry("consecutiveFailedAttempts", 2L)
                .containsEntry("lastFailureKind", "timeout").containsEntry("lastFailure", "PartnerTimeoutException: no outcome")
                .doesNotContainKey("lastAnswer");
    }

    @Test
    void aRejectionIsAnAnswerAndEndsTheStreak() {
        PartnerDeliveryStatus status = new PartnerDeliveryStatus(clock);
        status.failed("released", "released");
        now.set(Instant.parse("2026-12-04T10:01:00Z"));
        status.rejected();
        assertThat(status.failing()).isFalse();
        assertThat(status.details()).containsEntry("lastAnswer", "2026-12-04T10:01:00Z").containsEntry("lastAnswerOutcome", "rejected")
                .doesNotContainKeys("sendsFailingSince", "consecutiveFailedAttempts").containsEntry("lastFailureKind", "released");

        status.failed("connection", "refused");
        assertThat(status.details()).containsEntry("consecutiveFailedAttempts", 1L).containsEntry("sendsFailingSince", "2026-12-04T10:01:00Z");
    }
}
