package org.originhub.format.edi3;

import java.util.Locale;
import org.originhub.dataset.v1.CertificateStatusCode;
import org.originhub.dataset.v1.NoticeStatusCode;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;

/**
 * The edi3 {@code status} of a Certificate of Origin and what it means in the exchange. The edi3 schema leaves
 * {@code status} a free string ("one of the allowed state lifecycle values", no enum); the hub understands these
 * values, case-insensitively, and rejects any other as {@code MAPPING_FAILED}:
 *
 * <table>
 * <caption>edi3 status → exchange envelope</caption>
 * <tr><th>edi3 status</th><th>Body</th><th>MessageFunction (UNCL 1225)</th><th>dataset status</th></tr>
 * <tr><td>{@code issued} (or absent)</td><td>CertificateOfOrigin</td><td>9 original</td><td>Issued</td></tr>
 * <tr><td>{@code replaced}</td><td>CertificateOfOrigin</td><td>5 replace</td><td>Replaced</td></tr>
 * <tr><td>{@code amended}</td><td>CertificateOfOrigin</td><td>4 change</td><td>Amended</td></tr>
 * <tr><td>{@code cancelled} ({@code canceled})</td><td>StatusNotice</td><td>1 cancellation</td><td>Cancelled</td></tr>
 * <tr><td>{@code revoked}</td><td>StatusNotice</td><td>1 cancellation</td><td>Revoked</td></tr>
 * <tr><td>{@code withdrawn}</td><td>StatusNotice</td><td>1 cancellation</td><td>Withdrawn</td></tr>
 * </table>
 *
 * <p>Rendering goes back the same way, writing the lower-case value. The edi3 model has no field for the
 * certificate a replacement or amendment supersedes, so {@code ReplacedCertificate} is neither read nor written.
 */
public enum Edi3Status {
    ISSUED("issued", "9", CertificateStatusCode.ISSUED, null),
    REPLACED("replaced", "5", CertificateStatusCode.REPLACED, null),
    AMENDED("amended", "4", CertificateStatusCode.AMENDED, null),
    CANCELLED("cancelled", "1", CertificateStatusCode.CANCELLED, NoticeStatusCode.CANCELLED),
    REVOKED("revoked", "1", CertificateStatusCode.REVOKED, NoticeStatusCode.REVOKED),
    WITHDRAWN("withdrawn", "1", CertificateStatusCode.WITHDRAWN, NoticeStatusCode.WITHDRAWN);

    private final String json;
    private final String messageFunction;
    private final CertificateStatusCode certificateStatus;
    private final NoticeStatusCode noticeStatus;

    Edi3Status(String json, String messageFunction, CertificateStatusCode certificateStatus, NoticeStatusCode noticeStatus) {
        this.json = json;
        this.messageFunction = messageFunction;
        this.certificateStatus = certificateStatus;
        this.noticeStatus = noticeStatus;
    }

    /** The value written in the edi3 {@code status} field. */
    public String json() {
        return json;
    }

    /** UNCL 1225 message function of the envelope that carries a certificate in this status. */
    public String messageFunction() {
        return messageFunction;
    }

    /** The status in the common dataset's CertificateOfOrigin. */
    public CertificateStatusCode certificateStatus() {
        return certificateStatus;
    }

    /** True when the status ends the certificate's life: the envelope carries a StatusNotice, not the CO. */
    public boolean isNotice() {
        return noticeStatus != null;
    }

    /** The StatusNotice status, for {@link #isNotice()} values; {@code null} otherwise. */
    public NoticeStatusCode noticeStatus() {
        return noticeStatus;
    }

    /** The status an edi3 document states; an absent status reads as {@link #ISSUED}. */
    public static Edi3Status fromJson(String value) {
        if (value == null || value.isBlank()) return ISSUED;
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("canceled")) return CANCELLED;
        for (Edi3Status s : values()) {
            if (s.json.equals(v)) return s;
        }
        throw new MessageRejectedException(RejectionReason.MAPPING_FAILED, "edi3 status '" + value
                + "' has no meaning in the exchange (known: issued, replaced, amended, cancelled, revoked, withdrawn)");
    }

    public static Edi3Status of(CertificateStatusCode status) {
        for (Edi3Status s : values()) {
            if (s.certificateStatus == status) return s;
        }
        return ISSUED;
    }

    public static Edi3Status of(NoticeStatusCode status) {
        for (Edi3Status s : values()) {
            if (s.noticeStatus == status) return s;
        }
        throw new IllegalArgumentException("no edi3 status for " + status);
    }
}
