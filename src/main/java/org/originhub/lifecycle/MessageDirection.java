package org.originhub.lifecycle;

/** Whether a message about a certificate of origin was sent by a party of this hub or received from a partner. */
public enum MessageDirection {
    /** A party of this hub sends it (its single window put it on its outbox, or the hub answers for it). */
    OUTBOUND,
    /** A partner sent it to a party of this hub (verified, about to be delivered to the single window). */
    INBOUND
}
