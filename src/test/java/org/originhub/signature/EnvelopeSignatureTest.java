package org.originhub.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.originhub.signature.TestEnvelopes.DS;
import static org.originhub.signature.TestEnvelopes.child;
import static org.originhub.signature.TestEnvelopes.demoKey;
import static org.originhub.signature.TestEnvelopes.envelope;
import static org.originhub.signature.TestEnvelopes.reparse;
import static org.originhub.signature.TestEnvelopes.signatureOf;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.originhub.xml.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Signing and successful verification: what the hub sends is what a partner's hub accepts. */
class EnvelopeSignatureTest {
    @TempDir
    static Path keys;
    static SigningKey ar;
    static SigningKey cl;

    final EnvelopeSigner signer = new EnvelopeSigner();
    final EnvelopeVerifier verifier = new EnvelopeVerifier();

    @BeforeAll
    static void createKeys() {
        ar = demoKey(keys, "AR");
        cl = demoKey(keys, "CL");
    }

    @Test
    void signedEnvelopeVerifiesAndReportsSignerSenderAndTime() {
        Instant createdAt = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        Document received = reparse(signer.sign(envelope("AR", createdAt), ar));

        VerifiedSignature verified = verifier.verify(received, List.of(cl.certificate(), ar.certificate()));

        assertThat(verified.signerCertificate()).isEqualTo(ar.certificate());
        assertThat(verified.signedRoot()).isSameAs(received.getDocumentElement());
        assertThat(verified.document()).isSameAs(received);
        assertThat(verified.senderCountry()).isEqualTo("AR");
        assertThat(verified.signingTime()).isEqualTo(createdAt);
    }

    @Test
    void signatureFollowsTheProfile() {
        Document signed = signer.sign(envelope("AR", Instant.now()), ar);
        Element root = signed.getDocumentElement();
        Element signature = signatureOf(signed);

        assertThat(signed.getElementsByTagNameNS(DS, "Signature").getLength()).isEqualTo(1);
        assertThat(signature.getParentNode()).isSameAs(root);
        assertThat(lastElementChild(root)).isSameAs(signature);
        assertThat(signature.getPrefix()).isEqualTo("ds");

        Element signedInfo = child(signature, DS, "SignedInfo");
        assertThat(child(signedInfo, DS, "CanonicalizationMethod").getAttribute("Algorithm"))
                .isEqualTo("http://www.w3.org/2001/10/xml-exc-c14n#");
        assertThat(child(signedInfo, DS, "SignatureMethod").getAttribute("Algorithm"))
                .isEqualTo("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
        NodeList references = signedInfo.getElementsByTagNameNS(DS, "Reference");
        assertThat(references.getLength()).isEqualTo(1);
        Element reference = (Element) references.item(0);
        assertThat(reference.hasAttribute("URI")).isTrue();
        assertThat(reference.getAttribute("URI")).isEmpty();
        List<String> transforms = new ArrayList<>();
        NodeList ts = reference.getElementsByTagNameNS(DS, "Transform");
        for (int i = 0; i < ts.getLength(); i++) {
            transforms.add(((Element) ts.item(i)).getAttribute("Algorithm"));
        }
        assertThat(transforms).containsExactly("http://www.w3.org/2000/09/xmldsig#enveloped-signature",
                "http://www.w3.org/2001/10/xml-exc-c14n#");
        assertThat(child(reference, DS, "DigestMethod").getAttribute("Algorithm"))
                .isEqualTo("http://www.w3.org/2001/04/xmlenc#sha256");
        Element keyInfo = child(signature, DS, "KeyInfo");
        assertThat(keyInfo.getElementsByTagNameNS(DS, "X509Certificate").getLength()).isEqualTo(1);
        assertThat(keyInfo.hasAttribute("Id")).as("KeyInfo is not referenced").isFalse();
    }

    @Test
    void signedEnvelopeStillFollowsTheExchangeSchema() {
        byte[] signed = signer.sign(TestEnvelopes.xml("AR", Instant.now()).getBytes(StandardCharsets.UTF_8), ar);

        assertThat(new EnvelopeCodec().read(signed).getHeader().getSender().getCountry()).isEqualTo("AR");
        assertThat(verifier.verify(SecureXml.parse(signed), List.of(ar.certificate())).senderCountry()).isEqualTo("AR");
    }

    @Test
    void ecdsaKeysSignWithEcdsaSha256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        SigningKey ec = new SigningKey("ec", pair.getPrivate(),
                DemoKeys.selfSigned("AR", pair, Instant.now().minus(1, ChronoUnit.DAYS), Duration.ofDays(30)));

        Document received = reparse(signer.sign(envelope("AR", Instant.now()), ec));

        assertThat(child(child(signatureOf(received), DS, "SignedInfo"), DS, "SignatureMethod").getAttribute("Algorithm"))
                .isEqualTo("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256");
        assertThat(verifier.verify(received, List.of(ec.certificate())).signerCertificate()).isEqualTo(ec.certificate());
    }

    @Test
    void trustIsLookedUpForTheSenderNamedInTheSignedHeader() {
        SignerTrust trust = PinnedCertificates.of(Map.of("AR", List.of(ar.certificate()), "CL", List.of(cl.certificate())));

        Document fromAr = reparse(signer.sign(envelope("AR", Instant.now()), ar));
        assertThat(verifier.verify(fromAr, trust).senderCountry()).isEqualTo("AR");

        // CL's key signing a message that names AR as its sender: CL's certificate is not configured for AR.
        Document impersonation = reparse(signer.sign(envelope("AR", Instant.now()), cl));
        assertThatThrownBy(() -> verifier.verify(impersonation, trust))
                .isInstanceOfSatisfying(MessageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNTRUSTED_SIGNER))
                .hasMessageContaining("sender AR");

        Document unknownSender = reparse(signer.sign(envelope("PE", Instant.now()), ar));
        assertThatThrownBy(() -> verifier.verify(unknownSender, trust))
                .isInstanceOfSatisfying(MessageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNTRUSTED_SIGNER))
                .hasMessageContaining("no signing certificate is configured for sender PE");
    }

    @Test
    void senderMustBeThePartnerTheMessageCameFrom() {
        SignerTrust trust = PinnedCertificates.of(Map.of("AR", List.of(ar.certificate())));
        Document fromAr = reparse(signer.sign(envelope("AR", Instant.now()), ar));

        assertThat(verifier.verify(fromAr, "AR", trust).senderCountry()).isEqualTo("AR");
        assertThatThrownBy(() -> verifier.verify(fromAr, "CL", trust))
                .isInstanceOfSatisfying(MessageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.SENDER_MISMATCH))
                .hasMessageContaining("names sender AR, but the message came from CL");
    }

    @Test
    void certificateExpiredNowButValidAtSigningTimeIsAccepted() {
        // A message signed while the certificate was valid, received (or replayed from the DLQ) after it expired,
        // within the certificate grace and the message age window (both 7 days by default).
        Instant notBefore = Instant.now().minus(367, ChronoUnit.DAYS);
        SigningKey old = DemoKeys.generate("AR", "old", notBefore, Duration.ofDays(365));
        Instant createdAt = Instant.now().minus(3, ChronoUnit.DAYS);

        Document received = reparse(signer.sign(envelope("AR", createdAt), old));

        assertThat(verifier.verify(received, List.of(old.certificate())).signingTime()).isEqualTo(createdAt.truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    void explicitSigningTimeIsCheckedAgainstTheCertificate() {
        Document received = reparse(signer.sign(envelope("AR", Instant.now()), ar));

        assertThat(verifier.verify(received, List.of(ar.certificate()), Instant.now()).signerCertificate())
                .isEqualTo(ar.certificate());
        assertThatThrownBy(() -> verifier.verify(received, List.of(ar.certificate()), Instant.now().minus(Duration.ofDays(3))))
                .isInstanceOfSatisfying(MessageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNTRUSTED_SIGNER));
    }

    @Test
    void signerCertificateIsReadableWithoutVerification() {
        Document received = reparse(signer.sign(envelope("AR", Instant.now()), ar));

        assertThat(EnvelopeVerifier.signerCertificate(received)).contains(ar.certificate());
        assertThat(EnvelopeVerifier.signerCertificate(envelope("AR", Instant.now()))).isEmpty();
    }

    @Test
    void signingTwiceIsRefused() {
        Document signed = signer.sign(envelope("AR", Instant.now()), ar);

        assertThatThrownBy(() -> signer.sign(signed, ar)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already signed");
    }

    @Test
    void signerAndVerifierAreThreadSafe() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<VerifiedSignature>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                SigningKey key = i % 2 == 0 ? ar : cl;
                String sender = i % 2 == 0 ? "AR" : "CL";
                results.add(pool.submit(() -> verifier.verify(reparse(signer.sign(envelope(sender, Instant.now()), key)),
                        PinnedCertificates.of(Map.of("AR", List.of(ar.certificate()), "CL", List.of(cl.certificate()))))));
            }
            for (Future<VerifiedSignature> result : results) {
                assertThat(result.get().signerCertificate()).isIn(ar.certificate(), cl.certificate());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Element lastElementChild(Element parent) {
        Element last = null;
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                last = e;
            }
        }
        return last;
    }
}
