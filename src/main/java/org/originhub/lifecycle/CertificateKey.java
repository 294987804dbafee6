package org.originhub.lifecycle;

import java.time.LocalDate;
import java.util.Objects;
import org.originhub.dataset.v1.AcknowledgementType;
import org.originhub.dataset.v1.BodyType;
import org.originhub.dataset.v1.CertificateDocumentType;
import org.originhub.dataset.v1.CertificateReferenceType;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.HeaderType;
import org.originhub.dataset.v1.MessageTypeCode;

/**
 * Identifies a certificate of origin (CO) across all the messages about it: the issuing country and the CO number
 * the issuing authority gave it, plus the issue date where a message says it. Two keys name the same CO when country
 * and number are equal and their issue dates do not contradict each other ({@link #sameCertificate}).
 *
 * <p>{@link #groupId(ExchangeEnvelope)} is the JMS message group of every message about one CO, whatever its type:
 * {@code <issuing country>:<CO number>}, e.g. {@code AR:ARCACA00182600074211}.
 */
public record CertificateKey(String issuingCountry, String number, LocalDate issueDate) {

    public CertificateKey {
        Objects.requireNonNull(issuingCountry, "issuingCountry");
        Objects.requireNonNull(number, "number");
        issuingCountry = issuingCountry.trim();
        number = number.trim();
        if (!issuingCountry.matches("[A-Z]{2}")) {
            throw new IllegalArgumentException("issuing country must be ISO 3166-1 alpha-2: " + issuingCountry);
        }
        if (number.isEmpty()) {
            throw new IllegalArgumentException("the CO number is empty");
        }
    }

    public CertificateKey(String issuingCountry, String number) {
        this(issuingCountry, number, null);
    }

    /** The JMS message group of this CO: {@code <issuing country>:<CO number>} (the issue date is not part of it). */
    public String groupId() {
        return issuingCountry + ":" + number;
    }

    /** Same issuing country and number, and issue dates that are equal or not both known. */
    public boolean sameCertificate(CertificateKey other) {
        return other != null && issuingCountry.equals(other.issuingCountry) && number.equals(other.number)
                && datesAgree(issueDate, other.issueDate);
    }

    static boolean datesAgree(LocalDate a, LocalDate b) {
        return a == null || b == null || a.equals(b);
    }

    @Override
    public String toString() {
        return "CO " + number + " of " + issuingCountry + (issueDate != null ? " issued " + issueDate : "");
    }

    /**
     * The JMS message group id for a message: the same for every message about one CO regardless of its type and
     * direction, so that a cancellation never overtakes its issuance, nor a verification response its request.
     */
    public static String groupId(ExchangeEnvelope envelope) {
        return concerning(envelope).groupId();
    }

    /**
     * The CO a message is about.
     * <ul>
     * <li>CertificateOfOrigin: the header's sender (the issuing side sends it) and Document/Number (else the header's
     * DocumentNumber), issued on Document/IssueDateTime's date (else the header's DocumentIssueDate). For a
     * replacement this is the new CO ({@link #replacedBy} gives the old one).</li>
     * <li>StatusNotice, UtilisationNotice, VerificationRequest, VerificationResponse, CertificateRequest:
     * Certificate/Number and Certificate/IssueDate (else the header's DocumentNumber and DocumentIssueDate), issued by
     * Certificate/IssuingCountry when given, else by the side that must have issued it: the sender of what the issuing
     * side sends (StatusNotice, VerificationResponse), the receiver of what the importing side sends (UtilisationNotice,
     * VerificationRequest, CertificateRequest).</li>
     * <li>Acknowledgement: the header's DocumentNumber, issued by the receiver when it acknowledges what an issuing side
     * sends (CertificateOfOrigin, StatusNotice, VerificationResponse, or an unknown type), else by the sender.</li>
     * </ul>
     *
     * @throws IllegalArgumentException if the envelope names no CO number or no country to derive the issuer from
     */
    public static CertificateKey concerning(ExchangeEnvelope envelope) {
        HeaderType h = Objects.requireNonNull(envelope.getHeader(), "the envelope has no header");
        BodyType b = Objects.requireNonNull(envelope.getBody(), "the envelope has no body");
        MessageTypeCode type = typeOf(envelope);
        if (b.getCertificateOfOrigin() != null) {
            CertificateDocumentType d = b.getCertificateOfOrigin().getDocument();
            String number = d != null && d.getNumber() != null ? d.getNumber() : h.getDocumentNumber();
            LocalDate date = d != null && d.getIssueDateTime() != null ? d.getIssueDateTime().toLocalDate() : h.getDocumentIssueDate();
            return new CertificateKey(country(h, true), number, date);
        }
        if (b.getAcknowledgement() != null) {
            AcknowledgementType ack = b.getAcknowledgement();
            boolean acknowledgesIssuingSide = ack.getAcknowledgedMessageType() == null
                    || sentByIssuingSide(ack.getAcknowledgedMessageType());
            return new CertificateKey(country(h, !acknowledgesIssuingSide), h.getDocumentNumber(), h.getDocumentIssueDate());
        }
        CertificateReferenceType ref = reference(b);
        if (ref == null) {
            throw new IllegalArgumentException("the envelope's body names no certificate");
        }
        String number = ref.getNumber() != null ? ref.getNumber() : h.getDocumentNumber();
        LocalDate date = ref.getIssueDate() != null ? ref.getIssueDate() : h.getDocumentIssueDate();
        String country = ref.getIssuingCountry() != null ? ref.getIssuingCountry() : country(h, sentByIssuingSide(type));
        return new CertificateKey(country, number, date);
    }

    /**
     * For a replacement or amendment (a CertificateOfOrigin with Document/ReplacedCertificate), the CO it replaces;
     * issued by ReplacedCertificate/IssuingCountry, else by the same country as the new CO. {@code null} otherwise.
     */
    public static CertificateKey replacedBy(ExchangeEnvelope envelope) {
        if (envelope.getBody() == null || envelope.getBody().getCertificateOfOrigin() == null) return null;
        CertificateDocumentType d = envelope.getBody().getCertificateOfOrigin().getDocument();
        CertificateReferenceType ref = d == null ? null : d.getReplacedCertificate();
        if (ref == null) return null;
        String country = ref.getIssuingCountry() != null ? ref.getIssuingCountry() : concerning(envelope).issuingCountry();
        return new CertificateKey(country, ref.getNumber(), ref.getIssueDate());
    }

    /**
     * True for the message types only the issuing side sends about its COs (CertificateOfOrigin, StatusNotice,
     * VerificationResponse); false for those the importing side sends (UtilisationNotice, VerificationRequest,
     * CertificateRequest) and for Acknowledgement.
     */
    public static boolean sentByIssuingSide(MessageTypeCode type) {
        return type == MessageTypeCode.CERTIFICATE_OF_ORIGIN || type == MessageTypeCode.STATUS_NOTICE
                || type == MessageTypeCode.VERIFICATION_RESPONSE;
    }

    /** The Certificate reference of a StatusNotice, UtilisationNotice, VerificationRequest/Response or CertificateRequest. */
    static CertificateReferenceType reference(BodyType b) {
        if (b.getStatusNotice() != null) return b.getStatusNotice().getCertificate();
        if (b.getUtilisationNotice() != null) return b.getUtilisationNotice().getCertificate();
        if (b.getVerificationRequest() != null) return b.getVerificationRequest().getCertificate();
        if (b.getVerificationResponse() != null) return b.getVerificationResponse().getCertificate();
        if (b.getCertificateRequest() != null) return b.getCertificateRequest().getCertificate();
        return null;
    }

    /** The message type by its body (the header's MessageType must agree; the schema does not enforce it). */
    static MessageTypeCode typeOf(ExchangeEnvelope envelope) {
        BodyType b = envelope.getBody();
        if (b.getCertificateOfOrigin() != null) return MessageTypeCode.CERTIFICATE_OF_ORIGIN;
        if (b.getStatusNotice() != null) return MessageTypeCode.STATUS_NOTICE;
        if (b.getAcknowledgement() != null) return MessageTypeCode.ACKNOWLEDGEMENT;
        if (b.getUtilisationNotice() != null) return MessageTypeCode.UTILISATION_NOTICE;
        if (b.getVerificationRequest() != null) return MessageTypeCode.VERIFICATION_REQUEST;
        if (b.getVerificationResponse() != null) return MessageTypeCode.VERIFICATION_RESPONSE;
        if (b.getCertificateRequest() != null) return MessageTypeCode.CERTIFICATE_REQUEST;
        return envelope.getHeader().getMessageType();
    }

    private static String country(HeaderType h, boolean sender) {
        var ref = sender ? h.getSender() : h.getReceiver();
        if (ref == null || ref.getCountry() == null) {
            throw new IllegalArgumentException("the header names no " + (sender ? "sender" : "receiver") + " country");
        }
        return ref.getCountry();
    }
}
