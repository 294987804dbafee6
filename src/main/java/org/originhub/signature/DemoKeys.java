package org.originhub.signature;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.originhub.config.PrivateFiles;

/**
 * Creates demo signing keys, so that a fresh checkout (or the two-party compose demo) can exchange signed
 * envelopes without a PKI: for a party code such as "AR", a PKCS12 keystore with an RSA-3072 key and a
 * self-signed certificate ({@code AR.p12}), and the certificate as PEM next to it ({@code AR.pem}) to hand to
 * the partner as its trust entry. Never for production: a real administration signs with a key its own PKI
 * issued.
 */
public final class DemoKeys {
    /** Key size of demo keys: RSA-3072 is the size current guidance expects beyond 2030. */
    public static final int RSA_BITS = 3072;
    /** Validity of a demo certificate. */
    public static final Duration VALIDITY = Duration.ofDays(730);
    /**
     * How far a new demo certificate's validity starts before its creation, as CAs do: a message signed right
     * after start-up carries a CreatedAt from a partner-side view of the clock, and must not predate the certificate.
     */
    public static final Duration BACKDATE = Duration.ofHours(1);

    private static final Pattern PARTY_CODE = Pattern.compile("[A-Z0-9]{2,16}");

    private DemoKeys() {
    }

    /** What {@link #ensure} found or wrote. */
    public record KeyFiles(Path keystore, Path certificatePem, boolean created) {
    }

    /**
     * Makes sure a demo keystore and its certificate PEM exist: does nothing when both files are there; otherwise
     * creates a new key and writes both (replacing a lone leftover file, since a keystore without its PEM, or the
     * reverse, cannot be used). The PEM goes next to the keystore, with the extension {@code .pem}.
     */
    public static KeyFiles ensure(String partyCode, Path keystore, String alias, char[] password) {
        Path pem = pemPathFor(keystore);
        if (Files.isRegularFile(keystore) && Files.isRegularFile(pem)) {
            return new KeyFiles(keystore, pem, false);
        }
        SigningKey key = generate(partyCode, alias, Instant.now().minus(BACKDATE), VALIDITY);
        write(key, keystore, password);
        return new KeyFiles(keystore, pem, true);
    }

    /** {@code AR.p12} → {@code AR.pem}; a name without extension gets {@code .pem} appended. */
    public static Path pemPathFor(Path keystore) {
        String name = keystore.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return keystore.resolveSibling(base + ".pem");
    }

    /**
     * Generates an RSA-3072 key and a self-signed certificate for a party, valid from {@code notBefore} for
     * {@code validity} (tests use other periods to get expired or not-yet-valid certificates).
     */
    public static SigningKey generate(String partyCode, String alias, Instant notBefore, Duration validity) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS, new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            return new SigningKey(alias, pair.getPrivate(), selfSigned(partyCode, pair, notBefore, validity));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a demo RSA key", e);
        }
    }

    /**
     * A self-signed signing certificate for any key pair (RSA or EC): subject
     * "CN=Origin Hub demo signing key XX, O=Origin Hub demo, C=XX", KeyUsage digitalSignature + nonRepudiation
     * (critical), not a CA.
     */
    public static X509Certificate selfSigned(String partyCode, KeyPair pair, Instant notBefore, Duration validity) {
        String code = checkPartyCode(partyCode);
        // C= must be an ISO 3166 alpha-2 code; a regional party code (e.g. "ASW") is left out rather than faked.
        boolean country = code.length() == 2 && code.chars().allMatch(Character::isLetter);
        // Built from the RFC 2253 string by the JDK, so that the encoded RDN order is the usual C, O, CN.
        X500Principal subject = new X500Principal("CN=Origin Hub demo signing key " + code + ", O=Origin Hub demo"
                + (country ? ", C=" + code : ""));
        Instant start = notBefore.truncatedTo(ChronoUnit.SECONDS);
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(127, new SecureRandom()).setBit(126), Date.from(start),
                    Date.from(start.plus(validity)), subject, pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            String algorithm = "EC".equals(pair.getPublic().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(pair.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot create the demo certificate of " + code, e);
        }
    }

    /**
     * Writes a key as a PKCS12 keystore (entry {@code key.alias()}) and its certificate as PEM next to it, both
     * owner-only where the file system is POSIX. Each file is written to a temporary sibling and moved into place,
     * so a crash never leaves a half-written keystore.
     */
    public static void write(SigningKey key, Path keystore, char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(key.alias(), key.privateKey(), password, new X509Certificate[] {key.certificate()});
            ByteArrayOutputStream p12 = new ByteArrayOutputStream();
            ks.store(p12, password);
            // Owner-only from its creation, so the key is never readable by others, even briefly (PrivateFiles).
            PrivateFiles.writeSecret(keystore, p12.toByteArray());
            // A certificate is public, but kept owner-only like its key: the operator hands it over deliberately.
            PrivateFiles.writeSecret(pemPathFor(keystore), KeyStores.toPem(key.certificate()).getBytes(StandardCharsets.US_ASCII));
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot write demo keystore " + keystore + ": " + e.getCause().getMessage(), e.getCause());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build demo keystore " + keystore, e);
        }
    }

    private static String checkPartyCode(String partyCode) {
        String code = partyCode == null ? "" : partyCode.trim().toUpperCase(Locale.ROOT);
        if (!PARTY_CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("party code '" + partyCode + "' is not 2-16 letters or digits");
        }
        return code;
    }
}
