package org.originhub.signature;

import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
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
 * The certificates each partner signs with ({@code originhub.partners.<CC>.certificates}, several during a key
 * rotation). A message whose header names partner X as sender is accepted only if signed by one of X's certificates.
 * Depends on {@link PartyKeyRing} so that, in demo mode, the demo certificates exist before they are read.
 */
@Component
public class PartnerTrustStore implements SignerTrust {
    private static final Logger log = LoggerFactory.getLogger(PartnerTrustStore.class);

    private final Map<String, List<X509Certificate>> certificates = new TreeMap<>();
    private final PinnedCertificates pinned;

    public PartnerTrustStore(OriginHubProperties props, ResourceLoader resources, PartyKeyRing demoKeysFirst) {
        props.partners().forEach((cc, partner) -> {
            List<X509Certificate> certs = new ArrayList<>();
            for (int i = 0; i < partner.certificates().size(); i++) {
                String location = partner.certificates().get(i);
                String key = "originhub.partners." + cc + ".certificates[" + i + "]";
                Resource r = resources.getResource(location);
                if (!r.exists()) {
                    throw new IllegalStateException(key + ": no certificate at " + location);
                }
                try (InputStream in = r.getInputStream()) {
                    List<X509Certificate> read = KeyStores.readPemCertificates(in);
                    if (read.isEmpty()) {
                        throw new IllegalStateException(key + ": " + location + " holds no PEM certificate");
                    }
                    certs.addAll(read);
                } catch (IOException | RuntimeException e) {
                    throw new IllegalStateException(key + ": cannot read " + location + ": " + e.getMessage(), e);
                }
            }
            certificates.put(cc, List.copyOf(certs));
            log.info("Partner {} trusted signers: {}", cc, certs.stream().map(c -> c.getSubjectX500Principal().getName()).toList());
        });
        pinned = PinnedCertificates.of(certificates);
    }

    /**
     * Trusts a signer for a sender only if its certificate is one configured for that sender: the pinning rule of
     * {@link PinnedCertificates}, the one implementation. The verifier calls it after the signature has verified.
     */
    @Override
    public void check(String senderCountry, X509Certificate signer, List<X509Certificate> presented, java.time.Instant signingTime) {
        pinned.check(senderCountry, signer, presented, signingTime);
    }

    /** The certificates trusted for a sender; a sender that is not a configured partner is refused. */
    public List<X509Certificate> trustedFor(String partner) {
        List<X509Certificate> certs = certificates.get(partner);
        if (certs == null) {
            throw new MessageRejectedException(RejectionReason.UNTRUSTED_SIGNER,
                    "the sender " + partner + " is not a partner of this hub, so none of its certificates is trusted");
        }
        return certs;
    }
}
