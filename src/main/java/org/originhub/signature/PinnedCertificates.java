package org.originhub.signature;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;

/**
 * The hub's trust policy for partner signatures (in production through {@link PartnerTrustStore}, which reads the
 * certificates from the configuration): each partner (by country code) is configured with the
 * certificate(s) it signs with, several during a key rotation, and a signature is trusted only when made with
 * exactly one of them (byte-for-byte equal DER encoding; no chain building, so a certificate issued by the
 * same CA to someone else is not enough).
 */
public final class PinnedCertificates implements SignerTrust {
    private final Map<String, List<X509Certificate>> bySender;

    private PinnedCertificates(Map<String, List<X509Certificate>> bySender) {
        this.bySender = bySender;
    }

    /** Certificates per sender country code (e.g. "AR" → the certificates Argentina signs with). */
    public static PinnedCertificates of(Map<String, ? extends Collection<X509Certificate>> bySender) {
        Map<String, List<X509Certificate>> copy = new HashMap<>();
        bySender.forEach((country, certs) -> copy.put(normalize(country), List.copyOf(certs)));
        return new PinnedCertificates(Map.copyOf(copy));
    }

    /**
     * The same certificates for whatever sender: for a caller that has already picked the certificates of the
     * sender named in the envelope, as {@link EnvelopeVerifier#verify(org.w3c.dom.Document, Collection)} does.
     */
    public static SignerTrust forAnySender(Collection<X509Certificate> trusted) {
        List<X509Certificate> copy = List.copyOf(trusted);
        return (sender, signer, presented, signingTime) -> requirePinned(copy, sender, signer);
    }

    @Override
    public void check(String senderCountry, X509Certificate signer, List<X509Certificate> presented, Instant signingTime) {
        List<X509Certificate> trusted = bySender.get(normalize(senderCountry));
        if (trusted == null || trusted.isEmpty()) {
            throw new MessageRejectedException(RejectionReason.UNTRUSTED_SIGNER,
                    "no signing certificate is configured for sender " + senderCountry
                            + ": it is not a partner of this hub (originhub.partners)");
        }
        requirePinned(trusted, senderCountry, signer);
    }

    static void requirePinned(List<X509Certificate> trusted, String sender, X509Certificate signer) {
        byte[] encoded = encoded(signer);
        for (X509Certificate candidate : trusted) {
            if (Arrays.equals(encoded, encoded(candidate))) {
                return;
            }
        }
        throw new MessageRejectedException(RejectionReason.UNTRUSTED_SIGNER,
                "the envelope is signed with certificate " + EnvelopeVerifier.describe(signer)
                        + ", which is not one of the " + trusted.size() + " certificate(s) configured for sender "
                        + sender + " (originhub.partners." + sender + ".certificates)");
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new MessageRejectedException(RejectionReason.UNTRUSTED_SIGNER,
                    "cannot encode certificate " + certificate.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }

    private static String normalize(String country) {
        return country == null ? "" : country.trim().toUpperCase(Locale.ROOT);
    }
}
