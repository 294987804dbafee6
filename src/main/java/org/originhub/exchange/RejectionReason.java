package org.originhub.exchange;

/**
 * Why a message is refused for good (a permanent fault: never retried, sent to the dead-letter queue, and the
 * sender is told). Each code is the rule that failed; {@link #description()} says it in an operator's words.
 */
public enum RejectionReason {
    TOO_LARGE("The message is larger than the hub accepts"),
    UNSUPPORTED_ENCODING("The message is not in UTF-8 (it declares or uses another encoding); the hub accepts UTF-8 only"),
    UNPARSEABLE("The message is not well-formed XML or JSON, or uses a forbidden construct (DTD, entity, XInclude)"),
    SCHEMA_INVALID("The message does not follow its schema"),
    MAPPING_FAILED("The national document has no value for a field the common dataset requires, or a value it cannot map"),
    UNSUPPORTED_MESSAGE("The message type cannot be expressed in the receiving party's national format"),
    UNKNOWN_PARTY("The message came from or is addressed to a party this hub does not serve"),
    UNKNOWN_PARTNER("No partner is configured for the receiving country"),
    SENDER_MISMATCH("The sender named in the message is not the party or partner it came from"),
    SIGNATURE_MISSING("The message carries no XML signature"),
    SIGNATURE_PROFILE("The XML signature does not follow the exchange profile (one enveloped signature over the whole document)"),
    SIGNATURE_INVALID("The XML signature does not verify: the message was changed after signing, or was signed wrongly"),
    UNTRUSTED_SIGNER("The signing certificate is not one configured for the sender, was not valid at signing time, or has expired for longer than the hub's grace"),
    STALE_MESSAGE("The message was signed (Header/CreatedAt) longer ago than the receiving hub accepts; only a resend with a new CreatedAt and signature gets in"),
    DUPLICATE("The message was received before (same messageId); it is not delivered twice"),
    DUPLICATE_ID_CONFLICT("The partner's broker says it already holds a message with this messageId, but this hub never sent it there before: someone else used the id"),
    PARTNER_REJECTED("The partner's broker refused the message (AMQP outcome rejected); its error condition and description say why"),
    PARTNER_UNREACHABLE("The partner's broker did not take the message within the partner's retry schedule"),
    UNKNOWN_CERTIFICATE("The message concerns a certificate of origin this hub has never seen (for that party), and its rule needs a known one (a cancellation, revocation or withdrawal)"),
    LIFECYCLE_CONFLICT("The message does not fit the certificate's lifecycle (e.g. replacing a cancelled CO, a CO replaced by two others, a cancellation sent by the importing side)"),
    UNKNOWN_VERIFICATION_REQUEST("The verification response answers no verification request this hub knows for that certificate (Header/InReplyTo must be the request's MessageId)"),
    CERTIFICATE_NOT_FOUND("The issuing side's hub holds no certificate of origin with that number, issuing country and issue date");

    private final String description;

    RejectionReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
