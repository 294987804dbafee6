package org.originhub.signature;

import java.security.cert.X509Certificate;
import java.time.Instant;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The outcome of a successful {@link EnvelopeVerifier#verify}: what was verified and by whom. Read the
 * envelope's content from {@link #signedRoot()} (or its {@link #document()}), the very element the signature
 * was checked over, never from another parse of the same bytes: that is what makes signature wrapping useless.
 *
 * @param signedRoot        the root element covered by the signature's Reference URI=""
 * @param signerCertificate the certificate from KeyInfo whose key verified the signature, trusted for the sender
 * @param senderCountry     Header/Sender/Country of the signed envelope
 * @param signingTime       the signing time the certificate was checked at (normally Header/CreatedAt)
 */
public record VerifiedSignature(Element signedRoot, X509Certificate signerCertificate, String senderCountry,
                                Instant signingTime) {

    public Document document() {
        return signedRoot.getOwnerDocument();
    }
}
