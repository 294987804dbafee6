package org.originhub.signature;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLObject;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import org.w3c.dom.Element;

/**
 * Builds signatures that break the profile in one chosen way (what a careless or hostile partner could send),
 * with the JDK's XML-DSig API, so that the verifier's refusals are tested on real, cryptographically valid
 * signatures.
 */
final class CustomSignature {
    String c14n = CanonicalizationMethod.EXCLUSIVE;
    String signatureMethod = SignatureMethod.RSA_SHA256;
    String digest = SignatureProfile.DIGEST;
    String uri = "";
    List<String> transforms = new ArrayList<>(SignatureProfile.TRANSFORMS);
    boolean referenceKeyInfo;
    boolean withKeyInfo = true;
    boolean withObject;
    X509Certificate keyInfoCertificate;

    private final XMLSignatureFactory fac = XMLSignatureFactory.getInstance("DOM");

    /** Signs and appends ds:Signature under {@code parent}. */
    void sign(Element parent, PrivateKey key, X509Certificate certificate) throws Exception {
        List<Transform> ts = new ArrayList<>();
        for (String t : transforms) {
            ts.add(fac.newTransform(t, (TransformParameterSpec) null));
        }
        List<Reference> refs = new ArrayList<>();
        refs.add(fac.newReference(uri, fac.newDigestMethod(digest, null), ts, null, null));
        if (referenceKeyInfo) {
            refs.add(fac.newReference("#keyinfo", fac.newDigestMethod(digest, null),
                    List.of(fac.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null)), null, null));
        }
        KeyInfoFactory kif = fac.getKeyInfoFactory();
        X509Certificate shown = keyInfoCertificate != null ? keyInfoCertificate : certificate;
        KeyInfo keyInfo = withKeyInfo
                ? kif.newKeyInfo(List.of(kif.newX509Data(List.of(shown))), referenceKeyInfo ? "keyinfo" : null)
                : null;
        List<XMLObject> objects = withObject
                ? List.of(fac.newXMLObject(List.of(new javax.xml.crypto.dom.DOMStructure(
                        parent.getOwnerDocument().createElementNS("urn:example", "x:Extra"))), null, null, null))
                : null;
        XMLSignature sig = fac.newXMLSignature(fac.newSignedInfo(
                fac.newCanonicalizationMethod(c14n, (C14NMethodParameterSpec) null),
                fac.newSignatureMethod(signatureMethod, null), refs), keyInfo, objects, null, null);
        DOMSignContext ctx = new DOMSignContext(key, parent);
        ctx.setDefaultNamespacePrefix("ds");
        sig.sign(ctx);
    }
}
