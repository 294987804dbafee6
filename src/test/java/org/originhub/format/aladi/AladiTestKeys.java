package org.originhub.format.aladi;

import java.io.InputStream;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.originhub.signature.SigningKey;

/** The throwaway key the ALADI samples were signed with (test resources only; never a real party's key). */
final class AladiTestKeys {
    static final String KEYSTORE = "/aladi-cod/test-signer.p12";
    static final char[] PASSWORD = "changeit".toCharArray();
    static final String ALIAS = "aladi-sample";

    private AladiTestKeys() {
    }

    static SigningKey sampleSigner() {
        try (InputStream in = AladiTestKeys.class.getResourceAsStream(KEYSTORE)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD);
            return new SigningKey(ALIAS, (PrivateKey) ks.getKey(ALIAS, PASSWORD), (X509Certificate) ks.getCertificate(ALIAS));
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the ALADI test key", e);
        }
    }
}
