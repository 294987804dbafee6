package org.originhub.routing;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the forwarder last experienced with one partner: when the partner last answered a send (accepted, or rejected a
 * message, which also proves the path works), and, while sends keep failing (no outcome within the send timeout,
 * released/modified, a connection or link error), since when, how often in a row and why. The partner's health
 * entry shows it beside the connection probe, because a partner that accepts connections but never settles passes
 * the probe: only the sends tell.
 *
 * <p>Thread-safe; one instance per partner, kept by {@link PartnerConnections}.
 */
public final class PartnerDeliveryStatus {
    private final Clock clock;
    private Instant lastAnswer;
    private String lastAnswerOutcome;
    private Instant failingSince;
    private Instant lastFailure;
    private String lastFailureKind;
    private String lastFailureMessage;
    private long consecutiveFailures;

    public PartnerDeliveryStatus(Clock clock) {
        this.clock = clock;
    }

    public PartnerDeliveryStatus() {
        this(Clock.systemUTC());
    }

    /** The partner took a message. */
    public synchronized void accepted() {
        answered("accepted");
    }

    /** The partner refused one message: its path works, the message is the problem (it is dead-lettered). */
    public synchronized void rejected() {
        answered("rejected");
    }

    private void answered(String outcome) {
        lastAnswer = clock.instant();
        lastAnswerOutcome = outcome;
        failingSince = null;
        consecutiveFailures = 0;
    }

    /**
     * An attempt ended without the partner's answer.
     *
     * @param kind    as in the metric {@code originhub_partner_send_failures_total}: timeout, released, connection
     * @param message the root cause, for the operator
     */
    public synchronized void failed(String kind, String message) {
        lastFailure = clock.instant();
        if (failingSince == null) {
            failingSince = lastFailure;
        }
        consecutiveFailures++;
        lastFailureKind = kind;
        lastFailureMessage = message;
    }

    /** Whether the most recent attempt failed (the partner's queue is waiting for it). */
    public synchronized boolean failing() {
        return failingSince != null;
    }

    /** The figures for a health entry; empty before the first send. */
    public synchronized Map<String, Object> details() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (lastAnswer != null) {
            out.put("lastAnswer", lastAnswer.toString());
            out.put("lastAnswerOutcome", lastAnswerOutcome);
        }
        if (failingSince != null) {
            out.put("sendsFailingSince", failingSince.toString());
            out.put("consecutiveFailedAttempts", consecutiveFailures);
        }
        if (lastFailure != null) {
            out.put("lastFailedAttempt", lastFailure.toString());
            out.put("lastFailureKind", lastFailureKind);
            out.put("lastFailure", lastFailureMessage);
        }
        return out;
    }
}
