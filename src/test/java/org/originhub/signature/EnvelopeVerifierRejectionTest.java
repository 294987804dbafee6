package org.originhub.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.originhub.signature.TestEnvelopes.DS;
import static org.originhub.signature.TestEnvelopes.NS;
import static org.originhub.signature.TestEnvelopes.child;
import static org.originhub.signature.TestEnvelopes.demoKey;
import static org.originhub.signature.TestEnvelopes.envelope;
import static org.originhub.signature.TestEnvelopes.parse;
import static org.originhub.signature.TestEnvelopes.reparse;
import static org.originhub.signature.TestEnvelopes.signatureOf;
import static org.originhub.signature.TestEnvelopes.string;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Consumer;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.Transform;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Every way an inbound envelope's signature can be refused, each with its rejection reason. */
class EnvelopeVerifierRejectionTest {
    @TempDir
    static Path keys;
    static SigningKey ar;
    static SigningKey intruder;

    final EnvelopeSigner signer = new EnvelopeSigner();
    final EnvelopeVerifier verifier = new EnvelopeVerifier();

    @BeforeAll
    static void createKeys() {
        ar = demoKey(keys, "AR");
        intruder = demoKey(keys, "XX");
    }

    Document signedByAr() {
        return reparse(signer.sign(envelope("AR", Instant.now()), ar));
    }

    AbstractThrowableAssert<?, ?> assertRejected(Document document, RejectionReason reason) {
        return assertThatThrownBy(() -> verifier.verify(reparse(document), List.of(ar.certificate())))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> assertThat(e.reason())
                        .as("%s", e.getMessage()).isEqualTo(reason));
    }

    /** A signature made with the JDK API, breaking the profile as {@code change} says. */
    Document customSigned(Consumer<CustomSignature> change) throws Exception {
        Document doc = envelope("AR", Instant.now());
        CustomSignature custom = new CustomSignature();
        change.accept(custom);
        custom.sign(doc.getDocumentElement(), ar.privateKey(), ar.certificate());
        return doc;
    }

    @Nested
    class Content {
        @Test
        void unsignedEnvelope() {
            assertRejected(envelope("AR", Instant.now()), RejectionReason.SIGNATURE_MISSING)
                    .hasMessageContaining("no ds:Signature");
        }

        @Test
        void bodyChangedAfterSigning() {
            Document doc = signedByAr();
            Element status = (Element) doc.getElementsByTagNameNS(NS, "Status").item(0);
            status.setTextContent("Revoked");
            assertRejected(doc, RejectionReason.SIGNATURE_INVALID).hasMessageContaining("changed after signing");
        }

        @Test
        void headerChangedAfterSigning() {
            Document doc = signedByAr();
            doc.getElementsByTagNameNS(NS, "DocumentNumber").item(0).setTextContent("AR-2026-999999");
            assertRejected(doc, RejectionReason.SIGNATURE_INVALID);
        }

        @Test
        void signatureValueChanged() {
            Document doc = signedByAr();
            Element value = child(signatureOf(doc), DS, "SignatureValue");
            String v = value.getTextContent().trim();
            value.setTextContent((v.charAt(0) == 'A' ? "B" : "A") + v.substring(1));
            assertRejected(doc, RejectionReason.SIGNATURE_INVALID).hasMessageContaining("SignatureValue does not verify");
        }

        @Test
        void trustedCertificateShownButSignedWithAnotherKey() throws Exception {
            // The intruder signs with its own key and puts AR's (trusted) certificate in KeyInfo.
            Document doc = envelope("AR", Instant.now());
            CustomSignature custom = new CustomSignature();
            custom.keyInfoCertificate = ar.certificate();
            custom.sign(doc.getDocumentElement(), intruder.privateKey(), intruder.certificate());
            assertRejected(doc, RejectionReason.SIGNATURE_INVALID);
        }
    }

    @Nested
    class Structure {
        @Test
        void twoSignaturesUnderTheRoot() {
            Document doc = signedByAr();
            doc.getDocumentElement().appendChild(signatureOf(doc).cloneNode(true));
            assertRejected(doc, RejectionReason.SIGNATURE_PROFILE)
                    .hasMessage("the document has 2 ds:Signature elements; the profile allows exactly one, a direct child of the root");
        }

        @Test
        void secondSignatureHiddenInTheBody() {
            Document doc = signedByAr();
            Element body = child(doc.getDocumentElement(), NS, "Body");
            body.appendChild(signatureOf(doc).cloneNode(true));
            assertRejected(doc, RejectionReason.SIGNATURE_PROFILE).hasMessageContaining("2 ds:Signature elements");
        }

        @Test
        void signatureNotADirectChildOfTheRoot() {
            Document doc = signedByAr();
            Element header = child(doc.getDocumentElement(), NS, "Header");
            header.appendChild(signatureOf(doc));
            assertRejected(doc, RejectionReason.SIGNATURE_PROFILE)
                    .hasMessageContaining("inside /ExchangeEnvelope/Header");
        }

        @Test
        void signatureMadeInsideTheBody() throws Exception {
            Document doc = envelope("AR", Instant.now());
            new CustomSignature().sign(child(doc.getDocumentElement(), NS, "Body"), ar.privateKey(), ar.certificate());
            assertRejected(doc, RejectionReason.SIGNATURE_PROFILE);
        }

        @Test
        void extraReferenceToKeyInfo() throws Exception {
            assertRejected(customSigned(c -> c.referenceKeyInfo = true), RejectionReason.SIGNATURE_PROFILE)
                    .hasMessageContaining("2 Reference elements");
        }

        @Test
        void idBasedReference() throws Exception {
            Document doc = envelope("AR", Instant.now());
            Element root = doc.getDocumentElement();
            root.setAttribute("Id", "envelope");
            root.setIdAttribute("Id", true);
            CustomSignature custom = new CustomSignature();
            custom.uri = "#envelope";
            custom.sign(root, ar.privateKey(), ar.certificate());
            assertThatThrownBy(() -> verifier.verify(doc, List.of(ar.certificate())))
                    .isInstanceOfSatisfying(MessageRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectionReason.SIGNATURE_PROFILE))
                    .hasMessageContaining("URI=\"#envelope\"");
        }

        @Test
        void referenceWithoutUri() {
            Document doc = signedByAr();
            ((Element) doc.getElementsByTagNameNS(DS, "Reference").item(0)).removeAttribute("URI");
            assertRejected(doc, RejectionReason.SIGNATURE_PROFILE)
                    .hasMessageContaining("no URI attribute");
        }

        @Test
        void otherTransforms() throws Exception {
            assertRejected(customSigned(c -> c.transforms = List.of(Transform.ENVELOPED,
                    CanonicalizationMethod.INCLUSIVE_WITH_COMMENTS)), RejectionReason.SIGNATURE_PROFILE)
                    .hasMessageContaining("transforms");
            assertRejected(customSigned(c -> c.transforms = List.of(CanonicalizationMethod.EXCLUSIVE,
                    Transform.ENVELOPED)), RejectionReason.SIGNATURE_PROFILE);
        }

        @Test
        void objectInsideTheSignature() throws Exception {
            assertRejected(customSigned(c -> c.withObject = true), RejectionReason.SIGNATURE_PROFILE)
                    .hasMessageContaining("ds:Object");
        }

        @Test
        void noKeyInfo() throws Exception {
            assertRejected(customSigned(c -> c.withKeyInfo = false), RejectionReason.SIGNATURE_PROFILE)
                    .hasMessageContaining("KeyInfo");
        }

        @Test
        void sha1Digest() throws Exception {
            assertRejected(customSigned(c -> c.digest = DigestMethod.SHA1), RejectionReason.SIGNATURE_PROFILE)
                    .hasMessageContaining("digest http://www.w3.org/2000/09/xmldsig#sha1");
        }

        @Test
        void rsaSha1SignatureMethod() throws Exception {
            assertRejected(customSigned(c -> c.signatureMethod = SignatureMethod.RSA_SHA1), RejectionReason.SIGNATURE_PROFILE)
                    .hasMessageContaining("rsa-sha1");
        }

        @Test
        void canonicalizationWithComments() throws Exception {
            assertRejected(customSigned(c -> c.c14n = CanonicalizationMethod.EXCLUSIVE_WITH_COMMENTS),
                    RejectionReason.SIGNATURE_PROFILE).hasMessageContaining("canonicalization");
        }

        @Test
        void inclusiveCanonicalizationOfSignedInfoIsAccepted() throws Exception {
            Document doc = customSigned(c -> c.c14n = CanonicalizationMethod.INCLUSIVE);
            assertThat(verifier.verify(reparse(doc), List.of(ar.certificate())).signerCertificate())
                    .isEqualTo(ar.certificate());
        }

        @Test
        void rootIsNotAnEnvelope() {
            Document doc = parse("<Other xmlns=\"urn:example\"/>");
            assertThatThrownBy(() -> verifier.verify(doc, List.of(ar.certificate())))
                    .isInstanceOfSatisfying(MessageRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectionReason.SCHEMA_INVALID));
        }
    }

    /** Signature wrapping: a genuine signed envelope reused to vouch for forged content. */
    @Nested
    class Wrapping {
        Element forgedEnvelopeRoot(Document target) {
            Document forged = envelope("AR", Instant.now());
            forged.getElementsByTagNameNS(NS, "Reason").item(0).setTextContent("forged");
            return (Element) target.importNode(forged.getDocumentElement(), true);
        }

        @Test
        void signedEnvelopeMovedUnderANewRootWithForgedHeaderAndBody() {
            Document signed = signedByAr();
            Document attack = envelope("AR", Instant.now());
            attack.getElementsByTagNameNS(NS, "Reason").item(0).setTextContent("forged");
            // The genuine envelope, signature included, hidden as a third child of the forged root.
            attack.getDocumentElement().appendChild(attack.importNode(signed.getDocumentElement(), true));
            assertRejected(attack, RejectionReason.SIGNATURE_PROFILE).hasMessageContaining("direct child of the root");
        }

        @Test
        void signatureMovedToTheForgedRootAndGenuineEnvelopeHiddenInside() {
            Document signed = signedByAr();
            Element signature = signatureOf(signed);
            Document attack = envelope("AR", Instant.now());
            attack.getElementsByTagNameNS(NS, "Reason").item(0).setTextContent("forged");
            Element genuine = (Element) attack.importNode(signed.getDocumentElement(), true);
            genuine.removeChild(genuine.getElementsByTagNameNS(DS, "Signature").item(0));
            Element root = attack.getDocumentElement();
            root.appendChild(genuine);
            root.appendChild(attack.importNode(signature, true));
            assertRejected(attack, RejectionReason.SIGNATURE_INVALID);
        }

        @Test
        void genuineEnvelopeHiddenInADsObject() {
            Document signed = signedByAr();
            Document attack = envelope("AR", Instant.now());
            attack.getElementsByTagNameNS(NS, "Reason").item(0).setTextContent("forged");
            Element signature = (Element) attack.importNode(signatureOf(signed), true);
            Element object = attack.createElementNS(DS, "ds:Object");
            Element genuine = (Element) attack.importNode(signed.getDocumentElement(), true);
            genuine.removeChild(genuine.getElementsByTagNameNS(DS, "Signature").item(0));
            object.appendChild(genuine);
            signature.appendChild(object);
            attack.getDocumentElement().appendChild(signature);
            assertRejected(attack, RejectionReason.SIGNATURE_PROFILE).hasMessageContaining("ds:Object");
        }

        @Test
        void forgedHeaderAddedBeforeTheGenuineOne() {
            Document doc = signedByAr();
            Element root = doc.getDocumentElement();
            Element forgedHeader = child(forgedEnvelopeRoot(doc), NS, "Header");
            root.insertBefore(forgedHeader, root.getFirstChild());
            assertRejected(doc, RejectionReason.SIGNATURE_INVALID);
        }

        @Test
        void newRootOfAnotherNameAroundTheSignedEnvelope() {
            Document signed = signedByAr();
            String wrapped = "<Wrapper xmlns=\"urn:example\">" + string(signed).replaceFirst("<\\?xml[^>]*>", "")
                    + "</Wrapper>";
            assertThatThrownBy(() -> verifier.verify(parse(wrapped), List.of(ar.certificate())))
                    .isInstanceOfSatisfying(MessageRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectionReason.SCHEMA_INVALID));
        }

        @Test
        void verifiedRootIsTheDocumentRootTheCallerReads() {
            Document doc = signedByAr();
            VerifiedSignature verified = verifier.verify(doc, List.of(ar.certificate()));
            assertThat(verified.signedRoot()).isSameAs(doc.getDocumentElement());
            assertThat(signatureOf(doc).getParentNode()).isSameAs(verified.signedRoot());
        }
    }

    @Nested
    class Trust {
        @Test
        void validSignatureByAnUntrustedCertificate() {
            Document doc = reparse(signer.sign(envelope("AR", Instant.now()), intruder));
            assertRejected(doc, RejectionReason.UNTRUSTED_SIGNER)
                    .hasMessageContaining("Origin Hub demo signing key XX")
                    .hasMessageContaining("not one of the 1 certificate(s) configured for sender AR");
        }

        @Test
        void certificateExpiredAtSigningTime() {
            SigningKey expired = DemoKeys.generate("AR", "old", Instant.now().minus(Duration.ofDays(3 * 365)),
                    Duration.ofDays(2 * 365));
            Document doc = reparse(signer.sign(envelope("AR", Instant.now().minus(1, ChronoUnit.HOURS)), expired));
            assertThatThrownBy(() -> verifier.verify(doc, List.of(expired.certificate())))
                    .isInstanceOfSatisfying(MessageRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNTRUSTED_SIGNER))
                    .hasMessageContaining("was not valid at the signing time");
        }

        @Test
        void certificateNotYetValidAtSigningTime() {
            Document doc = reparse(signer.sign(envelope("AR", Instant.now().minus(Duration.ofDays(2))), ar));
            assertRejected(doc, RejectionReason.UNTRUSTED_SIGNER).hasMessageContaining("was not valid at the signing time");
        }

        @Test
        void signingTimeTooFarInTheFuture() {
            Document doc = reparse(signer.sign(envelope("AR", Instant.now().plus(Duration.ofHours(1))), ar));
            assertRejected(doc, RejectionReason.UNTRUSTED_SIGNER).hasMessageContaining("allowed skew of PT5M");
        }

        @Test
        void signingTimeWithinTheClockSkewIsAccepted() {
            Instant now = Instant.now();
            EnvelopeVerifier strict = new EnvelopeVerifier(Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(5));
            Document doc = reparse(signer.sign(envelope("AR", now.plus(Duration.ofMinutes(4))), ar));
            assertThat(strict.verify(doc, List.of(ar.certificate())).signerCertificate()).isEqualTo(ar.certificate());

            EnvelopeVerifier noSkew = new EnvelopeVerifier(Clock.fixed(now, ZoneOffset.UTC), Duration.ZERO);
            assertThatThrownBy(() -> noSkew.verify(doc, List.of(ar.certificate())))
                    .isInstanceOfSatisfying(MessageRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNTRUSTED_SIGNER));
        }
    }
}
