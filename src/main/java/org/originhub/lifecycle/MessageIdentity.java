package org.originhub.lifecycle;

import org.apache.camel.Message;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.HeaderType;
import org.originhub.exchange.HubHeaders;

/**
 * A message's identity as headers, set wherever the hub writes an envelope onto a queue (intake, signing, verification,
 * acknowledgements, certificate answers): for routing, for grouping per CO, and for the broker's duplicate detection.
 * Here, beside {@link CertificateKey}, because the JMS group is the CO's: its issuing country and number, whatever the
 * message type, so that nothing about a CO overtakes what came before it.
 */
public final class MessageIdentity {
    private MessageIdentity() {
    }

    public static void set(Message message, ExchangeEnvelope envelope) {
        HeaderType header = envelope.getHeader();
        message.setHeader(HubHeaders.MESSAGE_ID, header.getMessageId());
        message.setHeader(HubHeaders.DUPLICATE_ID, header.getMessageId());
        message.setHeader(HubHeaders.MESSAGE_TYPE, header.getMessageType().value());
        message.setHeader(HubHeaders.SENDER, header.getSender().getCountry());
        message.setHeader(HubHeaders.RECEIVER, header.getReceiver().getCountry());
        message.setHeader(HubHeaders.DOCUMENT_NUMBER, header.getDocumentNumber());
        message.setHeader(HubHeaders.GROUP_ID, CertificateKey.groupId(envelope));
    }
}
