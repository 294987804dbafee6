package org.originhub.signature;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.springframework.core.io.Resource;

/**
 * Loads the key material of the exchange: a party's signing key from its PKCS12 keystore (used by
 * {@link EnvelopeSigner}) and partners' signing certificates from PEM files (the trust list handed to
 * {@link EnvelopeVerifier}). Every error names the keystore or file and the alias, because it surfaces at
 * start-up where an operator has to fix the configuration.
 */
public final class KeyStores {
    private KeyStores() {
    }

    /** Loads the private key and certificate stored under {@code alias} in a PKCS12 file. */
    public static SigningKey load(Path keystore, String alias, char[] password) {
        try (InputStream in = Files.newInputStream(keystore)) {
            return load(in, keystore.toString(), alias, password);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("signing keystore " + keystore + " does not exist (alias '" + alias + "')", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read signing keystore " + keystore + ": " + e.getMessage(), e);
        }
    }

    /** Loads the private key and certificate stored under {@code alias} in a PKCS12 resource (file or class path). */
    public static SigningKey load(Resource keystore, String alias, char[] password) {
        String name = keystore.getDescription();
        if (!keystore.exists()) {
            throw new IllegalStateException("signing keystore " + name + " does not exist (alias '" + alias + "')");
        }
        try (InputStream in = keystore.getInputStream()) {
            return load(in, name, alias, password);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read signing keystore " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads the private key and certificate stored under {@code alias} in a PKCS12 stream; {@code keystoreName}
     * only serves the error messages.
     */
    public static SigningKey load(InputStream keystore, String keystoreName, String alias, char[] password) {
        if (alias == null || alias.isBlank()) {
            throw new IllegalStateException("no key alias given for signing keystore " + keystoreName);
        }
        KeyStore ks;
        try {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(keystore, password);
        } catch (IOException e) {
            // PKCS12 reports a wrong password as an IOException caused by UnrecoverableKeyException.
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalStateException("cannot open signing keystore " + keystoreName
                        + ": wrong password (or not a PKCS12 file)", e);
            }
            throw new IllegalStateException("cannot open signing keystore " + keystoreName
                    + " as PKCS12: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open signing keystore " + keystoreName + ": " + e.getMessage(), e);
        }
        try {
            if (!ks.containsAlias(alias)) {
                throw new IllegalStateException("signing keystore " + keystoreName + " has no entry with alias '"
                        + alias + "'; it holds " + Collections.list(ks.aliases()));
            }
            if (!ks.isKeyEntry(alias)) {
                throw new IllegalStateException("entry '" + alias + "' of signing keystore " + keystoreName
                        + " holds only a certificate, not a private key");
            }
            Key key = ks.getKey(alias, password);
            if (!(key instanceof PrivateKey privateKey)) {
                throw new IllegalStateException("entry '" + alias + "' of signing keystore " + keystoreName
                        + " does not hold a private key");
            }
            Certificate cert = ks.getCertificate(alias);
            if (!(cert instanceof X509Certificate x509)) {
                throw new IllegalStateException("entry '" + alias + "' of signing keystore " + keystoreName
                        + " has no X.509 certificate; partners need it in the signature's KeyInfo");
            }
            if (!x509.getPublicKey().getAlgorithm().equals(privateKey.getAlgorithm())) {
                throw new IllegalStateException("entry '" + alias + "' of signing keystore " + keystoreName
                        + ": the certificate's key (" + x509.getPublicKey().getAlgorithm()
                        + ") does not match the private key (" + privateKey.getAlgorithm() + ")");
            }
            return new SigningKey(alias, privateKey, x509);
        } catch (UnrecoverableKeyException e) {
            throw new IllegalStateException("cannot recover the key '" + alias + "' of signing keystore " + keystoreName
                    + ": the key password differs from the keystore password", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read entry '" + alias + "' of signing keystore " + keystoreName
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads every certificate of a PEM stream (one or several {@code BEGIN CERTIFICATE} blocks; text between
     * blocks is ignored). Anything else in the stream, such as a private key, is refused: a trust file that holds
     * a key is a configuration mistake worth stopping for.
     */
    public static List<X509Certificate> readPemCertificates(InputStream pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new InputStreamReader(pem, StandardCharsets.US_ASCII))) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Object object;
            while ((object = parser.readObject()) != null) {
                if (!(object instanceof X509CertificateHolder holder)) {
                    throw new IllegalArgumentException("the PEM data holds a " + object.getClass().getSimpleName()
                            + " where only certificates are expected");
                }
                // The JDK's own X.509 implementation, so that certificates compare equal to those of KeyInfo.
                certificates.add((X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(holder.getEncoded())));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read PEM certificates: " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("invalid certificate in PEM data: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("the PEM data holds no certificate (no -----BEGIN CERTIFICATE----- block)");
        }
        return List.copyOf(certificates);
    }

    /** Reads every certificate of a PEM file; errors name the file. */
    public static List<X509Certificate> readPemCertificates(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            return readPemCertificates(in);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(pemFile + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read certificate file " + pemFile + ": " + e.getMessage(), e);
        }
    }

    /** Renders a certificate as PEM, the form partners exchange and configure. */
    public static String toPem(X509Certificate certificate) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
