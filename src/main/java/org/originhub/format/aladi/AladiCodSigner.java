package org.originhub.format.aladi;

import java.security.GeneralSecurityException;
import java.util.List;
import javax.xml.crypto.MarshalException;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.XMLSignatureException;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import org.originhub.signature.SigningKey;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Makes the two XML signatures an ALADI COD carries: the exporter's over {@code #COD} (placed after {@code COD}
 * inside {@code CODExporter}) and the certifying entity's over {@code #CODEH} (placed after {@code CODEH} inside
 * {@code CertOrigin}, so it also covers the exporter's signature). Both are detached signatures by reference to the
 * {@code id} attribute: RSA-SHA256 (ECDSA-SHA256 for an EC key), exclusive C14N, SHA-256 digest, the signer's
 * X.509 certificate in KeyInfo.
 */
public final class AladiCodSigner {
    private static final String ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";

    private AladiCodSigner() {
    }

    /** Signs an unsigned COD in place, first {@code #COD}, then {@code #CODEH}, both with {@code key}. */
    public static void sign(Document cod, SigningKey key) {
        Element certOrigin = AladiDom.child(cod.getDocumentElement(), "CertOrigin");
        Element codeh = AladiDom.child(certOrigin, "CODEH");
        Element codExporter = AladiDom.child(codeh, "CODExporter");
        markIds(cod);
        signAfter(codExporter, "#COD", key);
        signAfter(certOrigin, "#CODEH", key);
    }

    /** Declares the {@code id} attributes of COD and CODEH as XML IDs (the schema types them as plain strings). */
    public static void markIds(Document cod) {
        Element codeh = AladiDom.path(cod.getDocumentElement(), "CertOrigin", "CODEH");
        Element codElement = AladiDom.path(codeh, "CODExporter", "COD");
        if (codeh != null) codeh.setIdAttributeNS(null, "id", true);
        if (codElement != null) codElement.setIdAttributeNS(null, "id", true);
    }

    private static void signAfter(Element parent, String uri, SigningKey key) {
        try {
            XMLSignatureFactory f = XMLSignatureFactory.getInstance("DOM");
            Reference ref = f.newReference(uri, f.newDigestMethod(DigestMethod.SHA256, null),
                    List.of(f.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null)), null, null);
            String algorithm = "EC".equals(key.privateKey().getAlgorithm()) ? ECDSA_SHA256 : SignatureMethod.RSA_SHA256;
            SignedInfo si = f.newSignedInfo(
                    f.newCanonicalizationMethod(CanonicalizationMethod.EXCLUSIVE, (C14NMethodParameterSpec) null),
                    f.newSignatureMethod(algorithm, null), List.of(ref));
            KeyInfoFactory kif = f.getKeyInfoFactory();
            KeyInfo ki = kif.newKeyInfo(List.of(kif.newX509Data(List.of(key.certificate()))));
            DOMSignContext ctx = new DOMSignContext(key.privateKey(), parent); // appended as the parent's last child
            ctx.setDefaultNamespacePrefix("ds");
            f.newXMLSignature(si, ki).sign(ctx);
        } catch (GeneralSecurityException | MarshalException | XMLSignatureException e) {
            throw new IllegalStateException("cannot sign the ALADI COD over " + uri + ": " + e.getMessage(), e);
        }
    }
}
