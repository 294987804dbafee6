package org.originhub.lifecycle;

import java.time.Instant;

/**
 * One step in the life of a certificate of origin as one party of this hub knows it: the message that caused it,
 * the state before ({@code null} when the CO was first seen) and after (the same when the message changed nothing),
 * and a note in words.
 */
public record LifecycleTransition(CertificateKey certificate, CertificateState from, CertificateState to,
                                  String messageId, String messageType, MessageDirection direction, Instant at,
                                  String note) {

    /** True when the message moved the CO to another state (or recorded it for the first time). */
    public boolean changedState() {
        return from != to;
    }
}
