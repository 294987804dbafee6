package org.originhub.inbound;

import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.originhub.config.OriginHubProperties;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.HeaderType;
import org.originhub.exchange.HubHeaders;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.originhub.outbound.SingleWindowIntake;
import org.originhub.signature.EnvelopeVerifier;
import org.originhub.signature.PartnerTrustStore;
import org.originhub.signature.VerifiedSignature;
import org.originhub.xml.SecureXml;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;

/**
 * First step of the inbound flow: decides whether what a partner sent to {@code hub.inbound} may enter. In order:
 * bounded, secure parse; the signature profile and signature (exactly one enveloped signature over the whole
 * document); the signer's certificate is one configured for the sender the signed header names, valid at signing
 * time and now (within the certificate grace); the signing time no older than the maximum message age; the envelope
 * XSD, read from the very DOM that was verified (so signature wrapping cannot substitute content); the receiver is a
 * party this hub serves. Each failure is a permanent fault naming the rule.
 */
@Component("partnerMessageVerifier")
public class PartnerMessageVerifier {
    private final EnvelopeVerifier verifier;
    private final PartnerTrustStore trust;
    private final EnvelopeCodec codec;
    private final OriginHubProperties props;

    public PartnerMessageVerifier(EnvelopeVerifier verifier, PartnerTrustStore trust, EnvelopeCodec codec, OriginHubProperties props) {
        this.verifier = verifier;
        this.trust = trust;
        this.codec = codec;
        this.props = props;
    }

    public void verify(Exchange exchange) {
        Message in = exchange.getMessage();
        byte[] bytes = in.getBody(byte[].class);
        Document document = SecureXml.parse(bytes, props.limits().maxMessageBytes(), props.limits().maxXmlDepth());
        VerifiedSignature verified = verifier.verify(document, trust);
        ExchangeEnvelope envelope = codec.fromDocument(verified.document());
        HeaderType header = envelope.getHeader();
        String receiver = header.getReceiver().getCountry();
        if (!props.parties().containsKey(receiver)) {
            throw new MessageRejectedException(RejectionReason.UNKNOWN_PARTY, "the message is addressed to "
                    + receiver + ", which this hub does not serve (it serves " + props.parties().keySet() + ")");
        }
        // Forward exactly the bytes that were verified: the single window's side may want to check them again.
        in.setBody(new String(bytes, StandardCharsets.UTF_8));
        SingleWindowIntake.setIdentity(in, envelope);
        in.setHeader(HubHeaders.PARTY, receiver);
        in.setHeader(HubHeaders.SIGNER, verified.signerCertificate().getSubjectX500Principal().getName());
        // The idempotency key: a partner's messageId, scoped by the partner.
        in.setHeader(HubHeaders.IDEMPOTENCY_KEY, header.getSender().getCountry() + ":" + header.getMessageId());
    }
}
