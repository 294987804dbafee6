package org.originhub.signature;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Decides whether the certificate that produced a valid envelope signature may speak for the sender named in
 * the envelope's (signed) header. {@link EnvelopeVerifier} calls it only after the signature has verified and the
 * signing time is plausible; the certificate's own validity (at the signing time and now) is checked after it.
 *
 * <p>In production the hub pins certificates per partner ({@link PartnerTrustStore}, from each partner's
 * {@code certificates} in the configuration). A CA-anchored policy (PKIX path
 * validation from configured trust anchors, at {@code signingTime}, using {@code presented} as intermediate
 * candidates) is another implementation of this interface; nothing in the verifier changes.
 */
@FunctionalInterface
public interface SignerTrust {

    /**
     * Returns normally when {@code signer} is trusted for {@code senderCountry}; otherwise throws a
     * {@link org.originhub.exchange.MessageRejectedException} with
     * {@link org.originhub.exchange.RejectionReason#UNTRUSTED_SIGNER} and a message naming sender and certificate.
     *
     * @param senderCountry the Header/Sender/Country of the verified envelope
     * @param signer        the certificate whose key verified the signature
     * @param presented     every certificate of the signature's KeyInfo, in document order (the signer is the one whose key
     *                      verified, wherever it stands; the others are candidates for chain building)
     * @param signingTime   the time the signature is taken to have been made (the header's CreatedAt)
     */
    void check(String senderCountry, X509Certificate signer, List<X509Certificate> presented, java.time.Instant signingTime);
}
