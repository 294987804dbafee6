package org.originhub.exchange;

/**
 * Names of the message headers (JMS properties) the hub sets as a message moves. They are part of the operator's
 * view: a dead-lettered message carries the failure headers, and every hop carries the message's identity.
 */
public final class HubHeaders {
    private HubHeaders() {
    }

    /** The party (country code) whose single window sent the message, or will receive it. */
    public static final String PARTY = "OriginHubParty";
    public static final String MESSAGE_ID = "OriginHubMessageId";
    public static final String MESSAGE_TYPE = "OriginHubMessageType";
    public static final String SENDER = "OriginHubSender";
    public static final String RECEIVER = "OriginHubReceiver";
    public static final String DOCUMENT_NUMBER = "OriginHubDocumentNumber";
    /** The partner (country code) a message goes to, and the queue that holds it until forwarded. */
    public static final String PARTNER = "OriginHubPartner";
    /** Exchange property: the partner queue a signed message goes to. */
    public static final String PARTNER_QUEUE = "OriginHubPartnerQueue";

    /**
     * The broker account that sent a message to an entry queue (a partner's or a single window's), stamped by the
     * broker over anything the sender wrote ({@code org.originhub.broker.AuthenticatedSender}); absent on what the
     * hub's own account sent.
     */
    public static final String AUTHENTICATED_ACCOUNT = "OriginHubAuthenticatedAccount";

    /** Subject of the certificate that signed a partner's message (set once verified). */
    public static final String SIGNER = "OriginHubSigner";
    /** Sender and messageId of a partner's message: the key of the inbound duplicate check. */
    public static final String IDEMPOTENCY_KEY = "OriginHubIdempotencyKey";
    /** The format a message was delivered to a single window in (its own, or ccd when its own cannot express it). */
    public static final String FORMAT = "OriginHubFormat";
    /** Exchange property: the queue of the single window a verified message is delivered to. */
    public static final String INBOX_QUEUE = "OriginHubInboxQueue";
    /** The original national document of a CO, base64, as the issuing side's single window sent it. */
    public static final String ORIGINAL_DOCUMENT = "OriginHubOriginalDocument";
    public static final String ORIGINAL_DOCUMENT_FORMAT = "OriginHubOriginalDocumentFormat";
    public static final String ORIGINAL_DOCUMENT_SHA256 = "OriginHubOriginalDocumentSha256";
    /** The message a delivered message answers (an Acknowledgement's InReplyTo). */
    public static final String IN_REPLY_TO = "OriginHubInReplyTo";
    /** Set on a message whose messageId was received before: acknowledged again, not delivered again. */
    public static final String DUPLICATE = "OriginHubDuplicate";
    /** Warnings of the CO lifecycle about a message a single window sent (e.g. "already cancelled"). */
    public static final String LIFECYCLE_WARNINGS = "OriginHubLifecycleWarnings";
    /** Exchange property: the status of an Acknowledgement being delivered (Accepted, Rejected, ...). */
    public static final String ACKNOWLEDGEMENT_STATUS = "OriginHubAcknowledgementStatus";
    /** Exchange property: the queue an acknowledgement goes to (absent when none is due). */
    public static final String ACKNOWLEDGEMENT_QUEUE = "OriginHubAcknowledgementQueue";

    /** Artemis duplicate detection: set to the messageId on every send, so a resend is dropped by the broker. */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    /** JMS message group: the CO number, so messages about one CO keep their order across consumers. */
    public static final String GROUP_ID = "JMSXGroupID";
    public static final String DELIVERY_COUNT = "JMSXDeliveryCount";

    // Failure headers, on every message in a dead-letter queue.
    public static final String FAILURE_REASON = "OriginHubFailureReason";
    public static final String FAILURE_DETAIL = "OriginHubFailureDetail";
    public static final String FAILURE_CLASS = "OriginHubFailureClass";
    public static final String FAILED_ROUTE = "OriginHubFailedRoute";
    public static final String FAILED_QUEUE = "OriginHubFailedQueue";
    public static final String FAILED_AT = "OriginHubFailedAt";
    public static final String FAILED_ATTEMPTS = "OriginHubFailedAttempts";
    /** Exchange property: the dead-letter queue chosen for the failed message. */
    public static final String DEAD_LETTER_QUEUE = "OriginHubDeadLetterQueue";

    /**
     * Clears what belongs to the message being answered before the hub writes a new message (an acknowledgement, a
     * certificate answer) into the same exchange: its hub headers, its JMS headers and its duplicate id, so that
     * nothing of the original (identity, reply address, broker de-duplication) leaks into the answer.
     */
    public static void clearForNewMessage(org.apache.camel.Message message) {
        message.removeHeaders("OriginHub*");
        message.removeHeaders("JMS*");
        message.removeHeader(DUPLICATE_ID);
    }
}
