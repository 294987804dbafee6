package org.originhub.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the independent XML-DSig implementation, {@code xmlsec1} (Debian package xmlsec1), on a document. In CI
 * ({@code CI=true}) it must be installed; elsewhere tests that need it are skipped when it is absent.
 */
public final class Xmlsec1 {
    private Xmlsec1() {
    }

    public static void assumeAvailable() {
        boolean present = Files.isExecutable(Path.of("/usr/bin/xmlsec1"));
        if (!present && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort("xmlsec1 is not installed (apt-get install -y xmlsec1)");
        }
    }

    /** Exit code of {@code xmlsec1 --verify --trusted-pem cert signed.xml}. */
    public static Result verify(Path signed, Path trustedPem) throws IOException, InterruptedException {
        return run(List.of("xmlsec1", "--verify", "--trusted-pem", trustedPem.toString(), signed.toString()));
    }

    /** The profile's signature template: enveloped, URI="", exclusive C14N, RSA-SHA256, SHA-256, X.509 in KeyInfo. */
    public static final String PROFILE_TEMPLATE = """
            <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>\
            <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>\
            <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>\
            <ds:Reference URI=""><ds:Transforms>\
            <ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>\
            <ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>\
            <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>\
            </ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data></ds:KeyInfo>\
            </ds:Signature>""";

    /**
     * Signs an unsigned envelope with {@code xmlsec1 --sign}, from the profile template appended to its root, with the
     * key and certificate given as PEM files. Returns the signed document.
     */
    public static String sign(String unsignedEnvelope, java.security.PrivateKey key, java.security.cert.X509Certificate cert,
                              Path workDir) throws Exception {
        Path keyPem = Files.writeString(workDir.resolve("xmlsec1-key-" + System.nanoTime() + ".pem"), privateKeyPem(key));
        Path certPem = Files.writeString(workDir.resolve("xmlsec1-cert-" + System.nanoTime() + ".pem"),
                org.originhub.signature.KeyStores.toPem(cert));
        int close = unsignedEnvelope.lastIndexOf("</");
        Path template = Files.writeString(workDir.resolve("xmlsec1-template-" + System.nanoTime() + ".xml"),
                unsignedEnvelope.substring(0, close) + PROFILE_TEMPLATE + unsignedEnvelope.substring(close));
        Path out = workDir.resolve("xmlsec1-signed-" + System.nanoTime() + ".xml");
        Result r = run(List.of("xmlsec1", "--sign", "--privkey-pem", keyPem + "," + certPem, "--output", out.toString(),
                template.toString()));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("xmlsec1 --sign failed: " + r.output());
        }
        return Files.readString(out);
    }

    static String privateKeyPem(java.security.PrivateKey key) throws IOException {
        java.io.StringWriter out = new java.io.StringWriter();
        try (org.bouncycastle.openssl.jcajce.JcaPEMWriter writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(out)) {
            writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
        }
        return out.toString();
    }

    public static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("xmlsec1 did not finish: " + command);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.exitValue(), out);
    }

    public record Result(int exitCode, String output) {
    }
}
