package org.originhub.outbound;

import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.originhub.config.OriginHubProperties;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.exchange.HubHeaders;
import org.originhub.lifecycle.MessageIdentity;
import org.originhub.routing.PartnerDirectory;
import org.originhub.signature.EnvelopeSigner;
import org.originhub.signature.PartyKeyRing;
import org.originhub.xml.SecureXml;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;

/**
 * Second step of the outbound flow: signs the envelope with the sending party's key (enveloped XML-DSig over the
 * whole document) and names the queue of the partner that serves the receiver.
 */
@Component("outboundSigner")
public class OutboundSigner {
    private final EnvelopeCodec codec;
    private final EnvelopeSigner signer;
    private final PartyKeyRing keys;
    private final PartnerDirectory partners;
    private final OriginHubProperties props;

    public OutboundSigner(EnvelopeCodec codec, EnvelopeSigner signer, PartyKeyRing keys, PartnerDirectory partners,
                          OriginHubProperties props) {
        this.codec = codec;
        this.signer = signer;
        this.keys = keys;
        this.partners = partners;
        this.props = props;
    }

    public void signAndRoute(Exchange exchange) {
        Message in = exchange.getMessage();
        byte[] xml = in.getBody(byte[].class);
        Document document = SecureXml.parse(xml, props.limits().maxMessageBytes(), props.limits().maxXmlDepth());
        ExchangeEnvelope envelope = codec.fromDocument(document);
        String sender = envelope.getHeader().getSender().getCountry();
        String receiver = envelope.getHeader().getReceiver().getCountry();
        String partnerQueue = partners.queueFor(receiver);
        Document signed = signer.sign(document, keys.signingKey(sender));

        in.setBody(new String(SecureXml.serialize(signed), StandardCharsets.UTF_8));
        MessageIdentity.set(in, envelope);
        in.setHeader(HubHeaders.PARTNER, receiver);
        exchange.setProperty(HubHeaders.PARTNER_QUEUE, partnerQueue);
    }
}
