package org.originhub.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.FileSystemResource;

/** Demo key creation and the loading of keystores and PEM trust files, with the errors an operator sees. */
class KeyStoresAndDemoKeysTest {
    static final char[] PASSWORD = "changeit-demo".toCharArray();

    @TempDir
    Path dir;

    @Test
    void demoKeystoreHoldsAnRsa3072KeyAndTheProfileCertificate() throws Exception {
        Path p12 = dir.resolve("keys/AR.p12");
        DemoKeys.KeyFiles files = DemoKeys.ensure("AR", p12, "ar-signing", PASSWORD);

        assertThat(files.created()).isTrue();
        assertThat(files.keystore()).isEqualTo(p12).isRegularFile();
        assertThat(files.certificatePem()).isEqualTo(dir.resolve("keys/AR.pem")).isRegularFile();

        SigningKey key = KeyStores.load(p12, "ar-signing", PASSWORD);
        X509Certificate cert = key.certificate();
        assertThat(key.alias()).isEqualTo("ar-signing");
        assertThat(((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength()).isEqualTo(3072);
        assertThat(cert.getSubjectX500Principal())
                .isEqualTo(new X500Principal("CN=Origin Hub demo signing key AR, O=Origin Hub demo, C=AR"));
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
        cert.verify(cert.getPublicKey());
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()))
                .isEqualTo(DemoKeys.VALIDITY);
        cert.checkValidity();
        boolean[] keyUsage = cert.getKeyUsage();
        assertThat(keyUsage[0]).as("digitalSignature").isTrue();
        assertThat(keyUsage[1]).as("nonRepudiation").isTrue();
        assertThat(keyUsage[5]).as("keyCertSign").isFalse();
        assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.15");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);

        assertThat(KeyStores.readPemCertificates(files.certificatePem())).containsExactly(cert);
    }

    @Test
    void ensureDoesNothingWhenBothFilesExist() throws Exception {
        Path p12 = dir.resolve("CL.p12");
        DemoKeys.ensure("CL", p12, "signing", PASSWORD);
        byte[] keystore = Files.readAllBytes(p12);
        byte[] pem = Files.readAllBytes(dir.resolve("CL.pem"));

        DemoKeys.KeyFiles again = DemoKeys.ensure("CL", p12, "signing", PASSWORD);

        assertThat(again.created()).isFalse();
        assertThat(Files.readAllBytes(p12)).isEqualTo(keystore);
        assertThat(Files.readAllBytes(dir.resolve("CL.pem"))).isEqualTo(pem);
    }

    @Test
    void ensureReplacesALoneLeftover() throws Exception {
        Path p12 = dir.resolve("PE.p12");
        Files.writeString(p12, "leftover of an interrupted run");

        assertThat(DemoKeys.ensure("PE", p12, "signing", PASSWORD).created()).isTrue();
        assertThat(KeyStores.load(p12, "signing", PASSWORD).certificate())
                .isEqualTo(KeyStores.readPemCertificates(dir.resolve("PE.pem")).get(0));
    }

    @Test
    void filesAreOwnerOnlyOnPosixFileSystems() throws Exception {
        Path p12 = dir.resolve("data/keys/UY.p12");
        DemoKeys.ensure("UY", p12, "signing", PASSWORD);
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p12))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data/keys/UY.pem"))))
                    .isEqualTo("rw-------");
            // The folders the keys live in are created owner-only as well.
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p12.getParent()))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data")))).isEqualTo("rwx------");
            try (var left = Files.list(p12.getParent())) {
                assertThat(left).as("no temporary file left").hasSize(2);
            }
        }
    }

    @Test
    void badPartyCodeIsRefused() {
        assertThatThrownBy(() -> DemoKeys.ensure("a r", dir.resolve("x.p12"), "signing", PASSWORD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("party code");
    }

    @Test
    void loadErrorsNameTheKeystoreAndAlias() {
        Path p12 = dir.resolve("AR.p12");
        DemoKeys.ensure("AR", p12, "ar-signing", PASSWORD);

        assertThatThrownBy(() -> KeyStores.load(p12, "other", PASSWORD))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(p12.toString()).hasMessageContaining("'other'").hasMessageContaining("ar-signing");
        assertThatThrownBy(() -> KeyStores.load(p12, "ar-signing", "wrong".toCharArray()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(p12.toString()).hasMessageContaining("wrong password");
        Path missing = dir.resolve("missing.p12");
        assertThatThrownBy(() -> KeyStores.load(missing, "ar-signing", PASSWORD))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> KeyStores.load(new FileSystemResource(missing), "ar-signing", PASSWORD))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("missing.p12");
    }

    @Test
    void loadsFromASpringResource() {
        Path p12 = dir.resolve("AR.p12");
        DemoKeys.ensure("AR", p12, "ar-signing", PASSWORD);

        assertThat(KeyStores.load(new FileSystemResource(p12), "ar-signing", PASSWORD).privateKey().getAlgorithm())
                .isEqualTo("RSA");
    }

    @Test
    void pemFileWithSeveralCertificatesForKeyRotation() throws Exception {
        SigningKey current = DemoKeys.generate("AR", "a", java.time.Instant.now(), Duration.ofDays(10));
        SigningKey next = DemoKeys.generate("AR", "b", java.time.Instant.now(), Duration.ofDays(10));
        String pem = "# AR signing certificates\n" + KeyStores.toPem(current.certificate()) + "\nnext one:\n"
                + KeyStores.toPem(next.certificate());

        List<X509Certificate> read = KeyStores.readPemCertificates(
                new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));

        assertThat(read).containsExactly(current.certificate(), next.certificate());
    }

    @Test
    void pemErrors() throws Exception {
        assertThatThrownBy(() -> KeyStores.readPemCertificates(new ByteArrayInputStream("nothing".getBytes())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no certificate");

        Path withKey = dir.resolve("with-key.pem");
        SigningKey key = DemoKeys.generate("AR", "a", java.time.Instant.now(), Duration.ofDays(10));
        Files.writeString(withKey, XmlSec1InteropTest.privateKeyPem(key.privateKey()) + KeyStores.toPem(key.certificate()));
        assertThatThrownBy(() -> KeyStores.readPemCertificates(withKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(withKey.toString()).hasMessageContaining("only certificates");
    }
}
