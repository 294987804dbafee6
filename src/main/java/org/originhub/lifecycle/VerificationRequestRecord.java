package org.originhub.lifecycle;

import java.time.Instant;

/**
 * A verification request one party of this hub sent or received, kept so that the response can be matched to it
 * (the response's Header/InReplyTo is the request's MessageId). {@code responseMessageId} and {@code result} are
 * {@code null} while it is unanswered.
 */
public record VerificationRequestRecord(String party, String messageId, long certificateId, String requestingCountry,
                                        Instant requestedAt, String responseMessageId, String result, Instant answeredAt) {

    public boolean answered() {
        return responseMessageId != null;
    }
}
