package org.originhub.lifecycle;

import org.originhub.dataset.AcknowledgementFactory;

/**
 * Something about a message that does not refuse it but that the sender (in an AcceptedWithWarnings
 * acknowledgement) and the operator should know, as a stable {@code code} and a {@code text} in words.
 */
public record LifecycleWarning(String code, String text) {
    /** A second cancellation (revocation, withdrawal) of a CO already taken back: accepted, state unchanged. */
    public static final String ALREADY_CANCELLED = "ALREADY_CANCELLED";
    /** An issuance of a CO this party already has: its data is kept, its state unchanged. */
    public static final String CERTIFICATE_ALREADY_KNOWN = "CERTIFICATE_ALREADY_KNOWN";
    /** A replacement of a CO this hub never saw: the old CO is recorded as replaced. */
    public static final String REPLACED_CERTIFICATE_UNKNOWN = "REPLACED_CERTIFICATE_UNKNOWN";
    /** A utilisation notice or verification request about a CO this hub never saw: recorded. */
    public static final String UNKNOWN_CERTIFICATE = "UNKNOWN_CERTIFICATE";
    /** A utilisation notice or verification request about a cancelled (revoked, withdrawn) CO: recorded, flagged. */
    public static final String CERTIFICATE_CANCELLED = "CERTIFICATE_CANCELLED";
    /** A message about a CO that was replaced by another. */
    public static final String CERTIFICATE_REPLACED = "CERTIFICATE_REPLACED";
    /** A cancellation of a CO the importing side already reported as utilised. */
    public static final String CERTIFICATE_UTILISED = "CERTIFICATE_UTILISED";
    /** A verification answered PartiallyConfirmed: the CO is recorded as NOT_CONFIRMED. */
    public static final String PARTIALLY_CONFIRMED = "PARTIALLY_CONFIRMED";
    /** A second answer to a verification request: the latest answer counts. */
    public static final String VERIFICATION_ALREADY_ANSWERED = "VERIFICATION_ALREADY_ANSWERED";

    public LifecycleWarning {
        java.util.Objects.requireNonNull(code, "code");
        java.util.Objects.requireNonNull(text, "text");
    }

    /** The warning as a reason of an AcceptedWithWarnings acknowledgement. */
    public AcknowledgementFactory.Reason asAcknowledgementReason() {
        return new AcknowledgementFactory.Reason(code, text, true);
    }
}
