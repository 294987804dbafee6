package org.originhub.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.originhub.signature.TestEnvelopes.demoKey;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.originhub.xml.SecureXml;

/**
 * Interoperability with an independent XML-DSig implementation, xmlsec1 (libxmlsec1 + OpenSSL): partners are not
 * bound to run Origin Hub, so what we sign must verify there, and what it signs to the profile must verify here.
 * Skipped only on a developer machine without xmlsec1; in CI (CI=true) a missing xmlsec1 fails the build.
 */
class XmlSec1InteropTest {
    static final String TEMPLATE_SIGNATURE = """
            <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
              <ds:SignedInfo>
                <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
                <ds:SignatureMethod Algorithm="%s"/>
                <ds:Reference URI="">
                  <ds:Transforms>
                    <ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
                    <ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
                  </ds:Transforms>
                  <ds:DigestMethod Algorithm="%s"/>
                  <ds:DigestValue/>
                </ds:Reference>
              </ds:SignedInfo>
              <ds:SignatureValue/>
              <ds:KeyInfo><ds:X509Data/></ds:KeyInfo>
            </ds:Signature>
            """;

    @TempDir
    static Path keys;
    static SigningKey ar;
    static Path arCertPem;
    static Path arKeyPem;

    @TempDir
    Path work;

    @BeforeAll
    static void createKeys() throws IOException {
        ar = demoKey(keys, "AR");
        arCertPem = keys.resolve("AR.pem");
        arKeyPem = keys.resolve("AR-key.pem");
        Files.writeString(arKeyPem, privateKeyPem(ar.privateKey()));
    }

    @BeforeEach
    void requireXmlSec1() {
        boolean present = xmlsec1() != null;
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("xmlsec1 is required in CI (Debian package xmlsec1) but is not on the PATH");
        }
        assumeThat(present).as("xmlsec1 on the PATH (apt-get install xmlsec1)").isTrue();
    }

    @Test
    void ourSignatureVerifiesWithXmlSec1AndATamperedCopyDoesNot() throws Exception {
        byte[] signed = new EnvelopeSigner().sign(TestEnvelopes.xml("AR", Instant.now()).getBytes(StandardCharsets.UTF_8), ar);
        Path good = work.resolve("signed.xml");
        Files.write(good, signed);

        Result ok = xmlsec1("--verify", "--trusted-pem", arCertPem.toString(), good.toString());
        assertThat(ok.exit).as(ok.output).isZero();
        assertThat(ok.output).contains("OK");

        Path tampered = work.resolve("tampered.xml");
        Files.writeString(tampered, new String(signed, StandardCharsets.UTF_8)
                .replace("Issued in error: wrong importer", "Issued in error: wrong exporter"));
        Result bad = xmlsec1("--verify", "--trusted-pem", arCertPem.toString(), tampered.toString());
        assertThat(bad.exit).as(bad.output).isNotZero();
    }

    @Test
    void xmlSec1SignatureFollowingTheProfileVerifiesHere() throws Exception {
        Path signed = signWithXmlSec1(SignatureProfile.RSA_SHA256, SignatureProfile.DIGEST);

        VerifiedSignature verified = new EnvelopeVerifier()
                .verify(SecureXml.parse(Files.readAllBytes(signed)), List.of(ar.certificate()));

        assertThat(verified.signerCertificate()).isEqualTo(ar.certificate());
        assertThat(verified.senderCountry()).isEqualTo("AR");
    }

    @Test
    void xmlSec1SignatureWithSha1IsRefusedByTheProfile() throws Exception {
        Path signed = signWithXmlSec1("http://www.w3.org/2000/09/xmldsig#rsa-sha1", "http://www.w3.org/2000/09/xmldsig#sha1");

        assertThatThrownBy(() -> new EnvelopeVerifier()
                .verify(SecureXml.parse(Files.readAllBytes(signed)), List.of(ar.certificate())))
                .isInstanceOfSatisfying(MessageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.SIGNATURE_PROFILE))
                .hasMessageContaining("rsa-sha1");
    }

    private Path signWithXmlSec1(String signatureMethod, String digest) throws Exception {
        String xml = TestEnvelopes.xml("AR", Instant.now().minus(1, ChronoUnit.MINUTES));
        String template = xml.replace("</ExchangeEnvelope>",
                TEMPLATE_SIGNATURE.formatted(signatureMethod, digest) + "</ExchangeEnvelope>");
        Path tmpl = work.resolve("template.xml");
        Files.writeString(tmpl, template);
        Path out = work.resolve("xmlsec1-signed.xml");
        Result r = xmlsec1("--sign", "--privkey-pem", arKeyPem + "," + arCertPem, "--output", out.toString(),
                tmpl.toString());
        assertThat(r.exit).as(r.output).isZero();
        return out;
    }

    // ------------------------------------------------------------------ helpers

    record Result(int exit, String output) {
    }

    static Result xmlsec1(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(xmlsec1());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("xmlsec1 did not finish within 60 s: " + command);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.exitValue(), output);
    }

    static String xmlsec1() {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "xmlsec1");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    static String privateKeyPem(PrivateKey key) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        }
        return out.toString();
    }
}
