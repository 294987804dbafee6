package org.originhub.lifecycle;

import java.time.Instant;

/**
 * What one party of this hub knows about one certificate of origin: its key, which side the party is on, the partner
 * on the other side, its state, the COs it replaces or was replaced by, the latest utilisation decision and
 * verification result reported, and whether the hub holds the CO's envelope (so it can answer a certificate request).
 */
public record CertificateRecord(long id, String party, CertificateSide side, CertificateKey certificate,
                                String partnerCountry, String agreementId, CertificateState state, String replaces,
                                String replacedBy, String utilisationDecision, String verificationResult,
                                boolean hasEnvelope, Instant createdAt, Instant updatedAt) {

    public CertificateRecord withState(CertificateState newState) {
        return new CertificateRecord(id, party, side, certificate, partnerCountry, agreementId, newState, replaces, replacedBy,
                utilisationDecision, verificationResult, hasEnvelope, createdAt, updatedAt);
    }

    public CertificateRecord withReplaces(String number) {
        return new CertificateRecord(id, party, side, certificate, partnerCountry, agreementId, state, number, replacedBy,
                utilisationDecision, verificationResult, hasEnvelope, createdAt, updatedAt);
    }

    public CertificateRecord withReplacedBy(String number) {
        return new CertificateRecord(id, party, side, certificate, partnerCountry, agreementId, state, replaces, number,
                utilisationDecision, verificationResult, hasEnvelope, createdAt, updatedAt);
    }

    public CertificateRecord withUtilisationDecision(String decision) {
        return new CertificateRecord(id, party, side, certificate, partnerCountry, agreementId, state, replaces, replacedBy,
                decision, verificationResult, hasEnvelope, createdAt, updatedAt);
    }

    public CertificateRecord withVerificationResult(String result) {
        return new CertificateRecord(id, party, side, certificate, partnerCountry, agreementId, state, replaces, replacedBy,
                utilisationDecision, result, hasEnvelope, createdAt, updatedAt);
    }

    /** With the issue date a message gave, when the record had none. */
    public CertificateRecord withIssueDate(java.time.LocalDate date) {
        return new CertificateRecord(id, party, side, new CertificateKey(certificate.issuingCountry(), certificate.number(), date),
                partnerCountry, agreementId, state, replaces, replacedBy, utilisationDecision, verificationResult, hasEnvelope,
                createdAt, updatedAt);
    }

    public CertificateRecord updatedAt(Instant at) {
        return new CertificateRecord(id, party, side, certificate, partnerCountry, agreementId, state, replaces, replacedBy,
                utilisationDecision, verificationResult, hasEnvelope, createdAt, at);
    }
}
