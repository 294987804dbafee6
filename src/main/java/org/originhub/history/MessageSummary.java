package org.originhub.history;

import java.time.Instant;

/**
 * One message as the history sums it up: when it was first and last seen, the state, route and reason of its latest
 * transition, and the latest known party, partner, CO number and message type.
 */
public record MessageSummary(String messageId, MessageState lastState, Instant firstSeen, Instant lastAt,
                             String lastRoute, String lastReason, String party, String partner,
                             String documentNumber, String messageType, int transitionCount) {
}
