package org.originhub.signature;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A party's signing key and its certificate, loaded from the party's PKCS12 keystore. */
public record SigningKey(String alias, PrivateKey privateKey, X509Certificate certificate) {
}
