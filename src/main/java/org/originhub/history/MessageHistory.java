package org.originhub.history;

import java.time.Instant;

/**
 * Where the hub records each message's state transitions, so an operator can answer "where is CO 123 from
 * Argentina?". Implementations must never throw into a route for a recording failure they can survive (a lost
 * history line must not lose the message itself); they log it instead.
 */
public interface MessageHistory {

    /** One transition of one message. {@code reason} is null for a normal step. */
    record Transition(String messageId, MessageState state, String route, String party, String partner,
                      String documentNumber, String messageType, String reason, Instant at) {
    }

    void record(Transition transition);

    /** The latest state recorded for a messageId, if the history knows it. */
    java.util.Optional<MessageState> lastState(String messageId);
}
