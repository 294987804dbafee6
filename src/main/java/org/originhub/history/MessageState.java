package org.originhub.history;

/** The states a message passes through in the hub, as its history records them. */
public enum MessageState {
    /** Taken from a single window's outbox, or from a partner on the inbound address. */
    RECEIVED,
    /** Parsed from its national format into the common dataset (outbound) or verified and mapped (inbound). */
    MAPPED,
    /** Signed with the sending party's key. */
    SIGNED,
    /** Taken by the partner's broker. */
    SENT,
    /** The partner's Acknowledgement for it arrived (the reason says which status). */
    ACKNOWLEDGED,
    /** Put on the addressed party's single-window inbox. */
    DELIVERED,
    /** Refused for good: a permanent fault (the reason names the rule); in a dead-letter queue. */
    REJECTED,
    /** Could not be delivered within its retry schedule, or failed in a way the hub could not classify; in a dead-letter queue. */
    FAILED,
    /** A repeat of a message already received: acknowledged again, not delivered again. */
    DUPLICATE,
    /** Moved back from its dead-letter queue by an operator. */
    REPLAYED
}
