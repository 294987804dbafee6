package org.originhub.signature;

import java.security.GeneralSecurityException;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.List;
import javax.xml.crypto.MarshalException;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureException;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.keyinfo.X509Data;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import org.originhub.xml.SecureXml;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Signs an exchange envelope before it leaves for a partner: one enveloped XML-DSig over the whole document,
 * following {@link SignatureProfile} (Reference URI="" with enveloped-signature + exclusive C14N, SHA-256,
 * RSA-SHA256 or ECDSA-SHA256 by the key's type, the signer's certificate in KeyInfo/X509Data), appended as
 * the last child of the root, as the envelope XSD expects. The partner's verifier and {@code xmlsec1 --verify}
 * both accept the result. Stateless and thread-safe: one instance serves the whole hub.
 */
@Component
public class EnvelopeSigner {

    /**
     * Signs the document in place and returns it. The document must not already carry a ds:Signature (a second
     * one would make the partner reject the message); sign the envelope exactly once, after its last change.
     */
    public Document sign(Document envelope, SigningKey key) {
        Element root = envelope.getDocumentElement();
        if (root == null) {
            throw new IllegalArgumentException("cannot sign an empty document");
        }
        if (envelope.getElementsByTagNameNS(SignatureProfile.DSIG_NS, "Signature").getLength() > 0) {
            throw new IllegalArgumentException("the document is already signed; the profile allows exactly one signature");
        }
        XMLSignatureFactory fac = SignatureProfile.factory();
        try {
            Reference ref = fac.newReference("", fac.newDigestMethod(SignatureProfile.DIGEST, null),
                    List.of(fac.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null),
                            fac.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null)),
                    null, null);
            SignedInfo signedInfo = fac.newSignedInfo(
                    fac.newCanonicalizationMethod(SignatureProfile.CANONICALIZATION, (C14NMethodParameterSpec) null),
                    fac.newSignatureMethod(signatureMethodFor(key), null),
                    List.of(ref));
            KeyInfoFactory kif = fac.getKeyInfoFactory();
            X509Data x509 = kif.newX509Data(List.of(key.certificate()));
            // KeyInfo is deliberately not referenced: the profile has exactly one Reference, and the certificate
            // needs no signature protection since the verifier checks it against the sender's configured ones.
            KeyInfo keyInfo = kif.newKeyInfo(List.of(x509));
            XMLSignature signature = fac.newXMLSignature(signedInfo, keyInfo);
            // Appends ds:Signature as the last child of the root element.
            DOMSignContext ctx = new DOMSignContext(key.privateKey(), root);
            ctx.setDefaultNamespacePrefix("ds");
            signature.sign(ctx);
            return envelope;
        } catch (GeneralSecurityException | MarshalException | XMLSignatureException e) {
            throw new IllegalStateException("cannot sign the envelope with key '" + key.alias() + "' ("
                    + key.certificate().getSubjectX500Principal().getName() + "): " + e.getMessage(), e);
        }
    }

    /** Parses (securely), signs and serializes: a convenience for tests and tools; the routes sign the parsed document. */
    public byte[] sign(byte[] envelopeXml, SigningKey key) {
        return SecureXml.serialize(sign(SecureXml.parse(envelopeXml), key));
    }

    private static String signatureMethodFor(SigningKey key) {
        // By algorithm name too: keys from a hardware token need not implement the RSAKey/ECKey interfaces.
        String algorithm = key.privateKey().getAlgorithm();
        if (key.privateKey() instanceof RSAKey || "RSA".equals(algorithm)) {
            return SignatureProfile.RSA_SHA256;
        }
        if (key.privateKey() instanceof ECKey || "EC".equals(algorithm)) {
            return SignatureProfile.ECDSA_SHA256;
        }
        throw new IllegalArgumentException("key '" + key.alias() + "' is " + key.privateKey().getAlgorithm()
                + "; the exchange profile signs with RSA or EC keys only");
    }
}
