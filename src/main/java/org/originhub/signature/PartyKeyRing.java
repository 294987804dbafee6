package org.originhub.signature;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.originhub.config.OriginHubProperties;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * The signing keys of the parties this hub serves, one PKCS12 keystore each, loaded at start-up (a missing or wrong
 * keystore stops the hub, naming the key). In demo mode a missing {@code file:} keystore is created first, with a
 * self-signed certificate written beside it as PEM, and the log says so.
 */
@Component
public class PartyKeyRing {
    private static final Logger log = LoggerFactory.getLogger(PartyKeyRing.class);

    private final Map<String, SigningKey> keys = new TreeMap<>();

    public PartyKeyRing(OriginHubProperties props, ResourceLoader resources) {
        props.parties().forEach((cc, party) -> {
            OriginHubProperties.Signing signing = party.signing();
            String key = "originhub.parties." + cc + ".signing";
            if (props.demo().enabled() && signing.keystore().startsWith("file:")) {
                Path p12 = Path.of(signing.keystore().substring("file:".length()));
                DemoKeys.KeyFiles files = DemoKeys.ensure(cc, p12, signing.alias(), signing.password().toCharArray());
                if (files.created()) {
                    log.warn("DEMO MODE: created a self-signed signing key for party {} at {} (certificate {}). "
                            + "Not for production: configure {}.keystore with the authority's real key.", cc, p12,
                            files.certificatePem(), key);
                }
            }
            Resource keystore = resources.getResource(signing.keystore());
            if (!keystore.exists()) {
                throw new IllegalStateException(key + ".keystore: no keystore at " + signing.keystore());
            }
            try {
                keys.put(cc, KeyStores.load(keystore, signing.alias(), signing.password().toCharArray()));
            } catch (RuntimeException e) {
                throw new IllegalStateException(key + ": " + e.getMessage(), e);
            }
            log.info("Party {} signs with '{}' ({}), valid until {}", cc, signing.alias(),
                    keys.get(cc).certificate().getSubjectX500Principal().getName(), keys.get(cc).certificate().getNotAfter());
        });
    }

    public SigningKey signingKey(String party) {
        SigningKey k = keys.get(party);
        if (k == null) {
            throw new MessageRejectedException(RejectionReason.UNKNOWN_PARTY, "this hub holds no signing key for party " + party);
        }
        return k;
    }

    public Map<String, SigningKey> all() {
        return Map.copyOf(keys);
    }
}
