package org.originhub.dataset;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.originhub.dataset.v1.AcknowledgementStatusCode;
import org.originhub.dataset.v1.AcknowledgementType;
import org.originhub.dataset.v1.AuthorityRefType;
import org.originhub.dataset.v1.BodyType;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.HeaderType;
import org.originhub.dataset.v1.MessageTypeCode;
import org.originhub.dataset.v1.ReasonType;

/**
 * Builds the (unsigned) Acknowledgement a receiving hub returns for a partner's message: InReplyTo = the message's
 * id, the same CO and conversation, the status, and reasons in words an operator understands. Pure logic.
 */
public final class AcknowledgementFactory {
    /** UNCL 1225: 29 accepted without amendment, 27 not accepted. */
    static final String FUNCTION_ACCEPTED = "29";
    static final String FUNCTION_REJECTED = "27";

    private AcknowledgementFactory() {
    }

    /** What the acknowledgement answers: identity fields of the original header. */
    public record Original(String messageId, String correlationId, MessageTypeCode messageType, String senderCountry,
                           String receiverCountry, String documentNumber, java.time.LocalDate documentIssueDate,
                           String agreementId) {
        public static Original of(HeaderType h) {
            return new Original(h.getMessageId(), h.getCorrelationId(), h.getMessageType(), h.getSender().getCountry(),
                    h.getReceiver().getCountry(), h.getDocumentNumber(), h.getDocumentIssueDate(), h.getAgreementId());
        }
    }

    public record Reason(String code, String text, boolean warning) {
    }

    /**
     * @param acknowledgingParty the party of this hub that acknowledges (and will sign)
     */
    public static ExchangeEnvelope acknowledge(Original original, String acknowledgingParty, AcknowledgementStatusCode status,
                                               List<Reason> reasons) {
        HeaderType h = new HeaderType();
        h.setMessageId(UUID.randomUUID().toString());
        h.setCorrelationId(original.correlationId() != null ? original.correlationId() : original.messageId());
        h.setInReplyTo(original.messageId());
        h.setMessageType(MessageTypeCode.ACKNOWLEDGEMENT);
        h.setMessageFunction(status == AcknowledgementStatusCode.REJECTED ? FUNCTION_REJECTED : FUNCTION_ACCEPTED);
        AuthorityRefType sender = new AuthorityRefType();
        sender.setCountry(acknowledgingParty);
        h.setSender(sender);
        AuthorityRefType receiver = new AuthorityRefType();
        receiver.setCountry(original.senderCountry());
        h.setReceiver(receiver);
        h.setAgreementId(original.agreementId());
        h.setDocumentNumber(original.documentNumber() != null ? original.documentNumber() : original.messageId());
        h.setDocumentIssueDate(original.documentIssueDate());
        h.setCreatedAt(OffsetDateTime.now(ZoneOffset.UTC));
        h.setSchemaVersion(EnvelopeCodec.SCHEMA_VERSION);

        AcknowledgementType ack = new AcknowledgementType();
        ack.setStatus(status);
        ack.setAcknowledgedMessageType(original.messageType());
        ack.setReceivedAt(OffsetDateTime.now(ZoneOffset.UTC));
        for (Reason r : reasons) {
            ReasonType rt = new ReasonType();
            rt.setCode(r.code());
            rt.setText(r.text().length() > 2048 ? r.text().substring(0, 2045) + "..." : r.text());
            rt.setSeverity(r.warning() ? "Warning" : "Error");
            ack.getReason().add(rt);
        }
        BodyType body = new BodyType();
        body.setAcknowledgement(ack);
        ExchangeEnvelope env = new ExchangeEnvelope();
        env.setHeader(h);
        env.setBody(body);
        return env;
    }
}
