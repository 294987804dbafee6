package org.originhub.signature;

import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Set;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignatureFactory;

/**
 * The exchange's XML-DSig profile in one place, shared by {@link EnvelopeSigner} (what we produce) and
 * {@link EnvelopeVerifier} (what we accept): one enveloped signature, a direct child of the root, with one
 * Reference URI="" (enveloped-signature + exclusive C14N transforms, SHA-256), exclusive C14N of SignedInfo,
 * RSA-SHA256 or ECDSA-SHA256, the signer's X.509 certificate in KeyInfo.
 */
public final class SignatureProfile {
    public static final String DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";

    /** What the hub signs with. */
    public static final String CANONICALIZATION = CanonicalizationMethod.EXCLUSIVE;
    public static final String DIGEST = DigestMethod.SHA256;
    public static final String RSA_SHA256 = SignatureMethod.RSA_SHA256;
    public static final String ECDSA_SHA256 = SignatureMethod.ECDSA_SHA256;
    /** The transforms of the one Reference, in order. */
    public static final List<String> TRANSFORMS = List.of(Transform.ENVELOPED, CanonicalizationMethod.EXCLUSIVE);

    /**
     * What a partner may use: inclusive C14N 1.0 (no comments) is accepted for SignedInfo too, because some
     * toolkits default to it and it is as safe here (SignedInfo holds no foreign namespaces that matter).
     */
    public static final Set<String> ACCEPTED_CANONICALIZATIONS =
            Set.of(CanonicalizationMethod.EXCLUSIVE, CanonicalizationMethod.INCLUSIVE);
    public static final Set<String> ACCEPTED_SIGNATURE_METHODS = Set.of(RSA_SHA256, ECDSA_SHA256);
    public static final Set<String> ACCEPTED_DIGESTS = Set.of(DigestMethod.SHA256);

    /** The JDK's secure-validation switch (and Santuario's, in case its provider is the one in use). */
    static final String SECURE_VALIDATION = "org.jcp.xml.dsig.secureValidation";
    static final String SECURE_VALIDATION_SANTUARIO = "org.apache.jcp.xml.dsig.secureValidation";

    private SignatureProfile() {
    }

    /**
     * A DOM signature factory from the JDK's own provider ("XMLDSig"), chosen by name so that the behaviour
     * (secure-validation policy included) does not change if a library on the class path registers Santuario's
     * provider first. Factories are cheap; each call gets its own, so that signer and verifier stay thread-safe
     * without relying on the factory's undocumented thread safety.
     */
    static XMLSignatureFactory factory() {
        Provider jdk = Security.getProvider("XMLDSig");
        return jdk != null ? XMLSignatureFactory.getInstance("DOM", jdk) : XMLSignatureFactory.getInstance("DOM");
    }
}
