package org.originhub.inbound;

import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.originhub.config.AccountBindings;
import org.originhub.config.OriginHubProperties;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.HeaderType;
import org.originhub.exchange.HubHeaders;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.originhub.lifecycle.MessageIdentity;
import org.originhub.signature.EnvelopeVerifier;
import org.originhub.signature.PartnerTrustStore;
import org.originhub.signature.VerifiedSignature;
import org.originhub.xml.SecureXml;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;

/**
 * First step of the inbound flow: decides whether what a partner sent to {@code hub.inbound} may enter. In order:
 * the broker account that sent it (stamped by the broker) is bound to one or more partners; strictly UTF-8, bounded,
 * secure parse; the signature profile and signature (exactly one enveloped signature over the whole document); the
 * sender the signed header names is a partner that account speaks for, and the signer's certificate is one configured
 * for that sender, valid at signing time and now (within the certificate grace); the signing time no older than the
 * maximum message age; the envelope XSD, read from the very DOM that was verified (so signature wrapping cannot
 * substitute content); the receiver is a party this hub serves. Each failure is a permanent fault naming the rule.
 *
 * <p>What travels on is the exact bytes that were verified (a JMS BytesMessage); every later step reads those bytes,
 * which strict UTF-8 guarantees all parsers read alike.
 */
@Component("partnerMessageVerifier")
public class PartnerMessageVerifier {
    private final EnvelopeVerifier verifier;
    private final PartnerTrustStore trust;
    private final EnvelopeCodec codec;
    private final OriginHubProperties props;
    private final AccountBindings accounts;

    public PartnerMessageVerifier(EnvelopeVerifier verifier, PartnerTrustStore trust, EnvelopeCodec codec,
                                  OriginHubProperties props, AccountBindings accounts) {
        this.verifier = verifier;
        this.trust = trust;
        this.codec = codec;
        this.props = props;
        this.accounts = accounts;
    }

    public void verify(Exchange exchange) {
        Message in = exchange.getMessage();
        String account = in.getHeader(HubHeaders.AUTHENTICATED_ACCOUNT, String.class);
        if (account == null) {
            // The broker stamps every outsider's message; a replay keeps the original's stamp.
            throw new MessageRejectedException(RejectionReason.SENDER_MISMATCH, "the message carries no authenticated "
                    + "broker account (" + HubHeaders.AUTHENTICATED_ACCOUNT + "); is org.originhub.broker.AuthenticatedSender "
                    + "installed on the broker?");
        }
        Set<String> speaksFor = accounts.partnersOf(account);
        if (speaksFor.isEmpty()) {
            throw new MessageRejectedException(RejectionReason.SENDER_MISMATCH,
                    "broker account '" + account + "' is bound to no partner of this hub");
        }
        byte[] bytes = in.getBody(byte[].class);
        Document document = SecureXml.parse(bytes, props.limits().maxMessageBytes(), props.limits().maxXmlDepth());
        VerifiedSignature verified = speaksFor.size() == 1
                ? verifier.verify(document, speaksFor.iterator().next(), trust)
                : verifier.verify(document, trust);
        if (!speaksFor.contains(verified.senderCountry())) {
            throw new MessageRejectedException(RejectionReason.SENDER_MISMATCH, "the signed header names sender "
                    + verified.senderCountry() + ", but broker account '" + account + "' speaks only for " + speaksFor);
        }
        ExchangeEnvelope envelope = codec.fromDocument(verified.document());
        HeaderType header = envelope.getHeader();
        String receiver = header.getReceiver().getCountry();
        if (!props.parties().containsKey(receiver)) {
            throw new MessageRejectedException(RejectionReason.UNKNOWN_PARTY, "the message is addressed to "
                    + receiver + ", which this hub does not serve (it serves " + props.parties().keySet() + ")");
        }
        // Exactly the bytes that were verified travel on, as bytes: no decoding and re-encoding on the way.
        in.setBody(bytes);
        MessageIdentity.set(in, envelope);
        in.setHeader(HubHeaders.PARTY, receiver);
        in.setHeader(HubHeaders.SIGNER, verified.signerCertificate().getSubjectX500Principal().getName());
        // The idempotency key: a partner's messageId, scoped by the partner.
        in.setHeader(HubHeaders.IDEMPOTENCY_KEY, header.getSender().getCountry() + ":" + header.getMessageId());
    }
}
