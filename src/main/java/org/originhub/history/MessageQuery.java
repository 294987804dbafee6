package org.originhub.history;

import java.time.Instant;
import java.util.Set;

/**
 * A search of the message history. Every criterion is optional (null or empty: any); given criteria all apply.
 *
 * @param documentNumber the CO number, exact
 * @param partner        the partner's country code
 * @param party          the served party's country code
 * @param states         the message's current (last) state is one of these
 * @param from           the message was active at or after this instant (its last transition is not before it)
 * @param to             the message was active before this instant (its first transition is before it)
 * @param messageType    the envelope's message type, e.g. CertificateOfOrigin
 */
public record MessageQuery(String documentNumber, String partner, String party, Set<MessageState> states,
                           Instant from, Instant to, String messageType) {
    public MessageQuery {
        states = states == null ? Set.of() : Set.copyOf(states);
    }

    public static MessageQuery all() {
        return new MessageQuery(null, null, null, Set.of(), null, null, null);
    }
}
