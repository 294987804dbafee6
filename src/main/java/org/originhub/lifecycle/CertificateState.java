package org.originhub.lifecycle;

import org.originhub.dataset.v1.CertificateStatusCode;
import org.originhub.dataset.v1.NoticeStatusCode;

/**
 * Where a certificate of origin (CO) stands, as one party served by this hub knows it (on the issuing or the
 * importing side). The issuing side's withdrawal of a CO is kept in three distinct states, as the StatusNotice
 * says it: {@link #CANCELLED}, {@link #REVOKED}, {@link #WITHDRAWN}; together they are "no longer valid"
 * ({@link #isNoLongerValid()}).
 */
public enum CertificateState {
    /** Issued (or amended in place) and valid; nothing else reported yet. */
    ISSUED,
    /** Replaced by another CO (the replacement's number is kept); no longer the valid document. */
    REPLACED,
    /** Cancelled by the issuing side (StatusNotice Cancelled). */
    CANCELLED,
    /** Revoked by the issuing side (StatusNotice Revoked), e.g. after a negative verification. */
    REVOKED,
    /** Withdrawn by the issuing side (StatusNotice Withdrawn), e.g. at the exporter's request. */
    WITHDRAWN,
    /** The importing side reported its decision on the preference claimed with the CO (UtilisationNotice). */
    UTILISED,
    /** The importing side asked the issuing side for a retroactive verification; no answer yet. */
    UNDER_VERIFICATION,
    /** The issuing side confirmed the origin (VerificationResponse Confirmed). */
    VERIFIED,
    /** The issuing side did not (fully) confirm the origin (VerificationResponse NotConfirmed or PartiallyConfirmed). */
    NOT_CONFIRMED;

    /** Cancelled, revoked or withdrawn: the issuing side took the CO back. */
    public boolean isNoLongerValid() {
        return this == CANCELLED || this == REVOKED || this == WITHDRAWN;
    }

    /** The state a StatusNotice puts a CO in. */
    public static CertificateState of(NoticeStatusCode notice) {
        return switch (notice) {
            case CANCELLED -> CANCELLED;
            case REVOKED -> REVOKED;
            case WITHDRAWN -> WITHDRAWN;
        };
    }

    /** The state a CO's own Document/Status stands for (for a copy received in answer to a certificate request). */
    public static CertificateState of(CertificateStatusCode status) {
        if (status == null) return ISSUED;
        return switch (status) {
            case ISSUED, AMENDED -> ISSUED;
            case REPLACED -> REPLACED;
            case CANCELLED -> CANCELLED;
            case REVOKED -> REVOKED;
            case WITHDRAWN -> WITHDRAWN;
        };
    }

    /**
     * The Document/Status a copy of the CO carries: the issuing side's view of its validity (utilisation and
     * verification are not document statuses, so a CO in those states is still {@code Issued}).
     */
    public CertificateStatusCode documentStatus() {
        return switch (this) {
            case REPLACED -> CertificateStatusCode.REPLACED;
            case CANCELLED -> CertificateStatusCode.CANCELLED;
            case REVOKED -> CertificateStatusCode.REVOKED;
            case WITHDRAWN -> CertificateStatusCode.WITHDRAWN;
            default -> CertificateStatusCode.ISSUED;
        };
    }

    /** In words, for warnings: "cancelled", "under verification". */
    public String inWords() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
