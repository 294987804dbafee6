package org.originhub.inbound;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.originhub.config.AccountBindings;
import org.originhub.config.OriginHubProperties;
import org.originhub.dataset.AcknowledgementFactory;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.AcknowledgementStatusCode;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.MessageTypeCode;
import org.originhub.exchange.HubHeaders;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.TrustBoundary;
import org.originhub.lifecycle.MessageIdentity;
import org.originhub.xml.SecureXml;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Tells a partner what became of its message: Accepted once delivered to the single window, Accepted again (not
 * delivered again) for a repeat, Rejected with the rule that failed when it was dead-lettered. A message that failed
 * verification is answered only to the partner bound to the broker account that sent it, never to the sender its
 * unsigned header claims. The acknowledgement is
 * put on {@code hub.outbound}, where the outbound flow signs it with the acknowledging party's key and routes it to the
 * sender's partner queue. An Acknowledgement is never acknowledged (no loops). A document the hub's own single window
 * sent and the hub refused is answered on that single window's inbox.
 */
@Component("acknowledgements")
public class Acknowledgements {
    /** A messageId as the exchange dataset defines it (UuidType of origin-hub-exchange-v1.xsd): a lower-case UUID. */
    private static final java.util.regex.Pattern MESSAGE_ID =
            java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Logger log = LoggerFactory.getLogger(Acknowledgements.class);

    private final EnvelopeCodec codec;
    private final OriginHubProperties props;
    private final AccountBindings accounts;
    private final TrustBoundary boundary;

    public Acknowledgements(EnvelopeCodec codec, OriginHubProperties props, AccountBindings accounts, TrustBoundary boundary) {
        this.codec = codec;
        this.props = props;
        this.accounts = accounts;
        this.boundary = boundary;
    }

    /** After delivery to the single window: Accepted (unless the delivered message is itself an acknowledgement). */
    public void accepted(Exchange exchange) {
        AcknowledgementFactory.Original original = exchange.getProperty(SingleWindowDelivery.ORIGINAL, AcknowledgementFactory.Original.class);
        exchange.removeProperty(HubHeaders.ACKNOWLEDGEMENT_QUEUE);
        if (original == null || original.messageType() == MessageTypeCode.ACKNOWLEDGEMENT) {
            return;
        }
        String party = original.receiverCountry();
        List<AcknowledgementFactory.Reason> reasons = SingleWindowDelivery.warnings(exchange);
        AcknowledgementStatusCode status = reasons.isEmpty() ? AcknowledgementStatusCode.ACCEPTED : AcknowledgementStatusCode.ACCEPTED_WITH_WARNINGS;
        send(exchange, AcknowledgementFactory.acknowledge(original, party, status, reasons));
    }

    /** A repeat of a message already received: acknowledged again, not delivered again. */
    public void duplicate(Exchange exchange) {
        ExchangeEnvelope envelope = codec.read(exchange.getMessage().getBody(byte[].class));
        AcknowledgementFactory.Original original = AcknowledgementFactory.Original.of(envelope.getHeader());
        log.info("Message {} from {} was received before: acknowledged again, not delivered again", original.messageId(), original.senderCountry());
        exchange.removeProperty(HubHeaders.ACKNOWLEDGEMENT_QUEUE);
        if (original.messageType() == MessageTypeCode.ACKNOWLEDGEMENT) {
            return;
        }
        send(exchange, AcknowledgementFactory.acknowledge(original, original.receiverCountry(), AcknowledgementStatusCode.ACCEPTED,
                List.of(new AcknowledgementFactory.Reason("DUPLICATE", "This messageId was received and acknowledged before; it was not delivered again.", true))));
    }

    /**
     * In the error handler, after the message was dead-lettered: if it came from a partner (the inbound or verified
     * queue), acknowledge it as Rejected with the reason. Never throws: a message too broken to name its sender, or
     * whose sender is no partner, is only dead-lettered.
     */
    public void rejection(Exchange exchange) {
        exchange.removeProperty(HubHeaders.ACKNOWLEDGEMENT_QUEUE);
        try {
            String failedQueue = exchange.getMessage().getHeader(HubHeaders.FAILED_QUEUE, String.class);
            String outboxParty = outboxParty(failedQueue);
            if (outboxParty != null) {
                tellSingleWindow(exchange, outboxParty);
                return;
            }
            boolean unverified = props.queues().inbound().equals(failedQueue);
            if (!unverified && !props.queues().verified().equals(failedQueue)) {
                return;
            }
            Optional<AcknowledgementFactory.Original> claimed = claimedHeader(exchange.getMessage().getBody(byte[].class));
            if (claimed.isEmpty()) {
                log.warn("Rejected partner message names no usable messageId: dead-lettered without acknowledgement");
                return;
            }
            AcknowledgementFactory.Original o = claimed.get();
            if (o.messageType() == MessageTypeCode.ACKNOWLEDGEMENT) {
                return;
            }
            Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            String code = MessageRejectedException.reasonCodeOf(error);
            String text = error instanceof MessageRejectedException r ? r.explanation() : "The receiving hub could not process the message: " + error;
            if (unverified) {
                // Nothing in an unverified message is believed: the answer goes to the partner the broker authenticated,
                // and says only what this hub established (which account sent which claimed messageId, and why it failed).
                String account = exchange.getMessage().getHeader(HubHeaders.AUTHENTICATED_ACCOUNT, String.class);
                java.util.Set<String> partners = accounts.partnersOf(account);
                if (partners.isEmpty()) {
                    log.warn("Rejected message {} came from no partner's account ({}): no acknowledgement sent", o.messageId(),
                            account == null ? "the hub's own account" : "account '" + account + "'");
                    return;
                }
                String addressee = partners.contains(o.senderCountry()) ? o.senderCountry() : partners.iterator().next();
                text = "The message with messageId " + o.messageId() + " received from broker account '" + account
                        + "' (partner " + addressee + ") was refused: " + text;
                o = new AcknowledgementFactory.Original(o.messageId(), null, o.messageType(), addressee, null, null, null, null);
            } else if (!props.partners().containsKey(o.senderCountry())) {
                log.warn("Rejected message {} names sender {}, which is no partner: no acknowledgement sent", o.messageId(), o.senderCountry());
                return;
            }
            String party = props.parties().containsKey(o.receiverCountry()) ? o.receiverCountry() : defaultParty();
            send(exchange, AcknowledgementFactory.acknowledge(o, party, AcknowledgementStatusCode.REJECTED,
                    List.of(new AcknowledgementFactory.Reason(code, text, false))));
        } catch (RuntimeException e) {
            log.warn("Could not build a rejection acknowledgement: {}", e.toString());
            exchange.removeProperty(HubHeaders.ACKNOWLEDGEMENT_QUEUE);
        }
    }

    private String outboxParty(String queue) {
        return props.parties().entrySet().stream().filter(e -> e.getValue().outboxQueue(e.getKey()).equals(queue))
                .map(java.util.Map.Entry::getKey).findFirst().orElse(null);
    }

    /**
     * A document the party's own single window sent was refused at intake: the single window is told on its inbox with
     * a Rejected acknowledgement (common dataset, from the hub, unsigned: it never leaves the hub) whose
     * {@code OriginHubInReplyTo} header is the JMS message id the single window sent, and the reason in words.
     */
    private void tellSingleWindow(Exchange exchange, String party) {
        Message m = exchange.getMessage();
        String jmsId = m.getHeader("JMSMessageID", String.class);
        String sentId = m.getHeader(HubHeaders.MESSAGE_ID, String.class);
        String replyTo = jmsId != null ? jmsId : sentId;
        String uuid = replyTo == null ? null : replyTo.replaceFirst("^ID:", "");
        if (uuid == null || !MESSAGE_ID.matcher(uuid).matches()) {
            uuid = java.util.UUID.nameUUIDFromBytes(String.valueOf(replyTo).getBytes(StandardCharsets.UTF_8)).toString();
        }
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String code = MessageRejectedException.reasonCodeOf(error);
        String text = error instanceof MessageRejectedException r ? r.explanation() : "The hub could not process the document: " + error;
        AcknowledgementFactory.Original o = new AcknowledgementFactory.Original(uuid, null, null, party, party,
                m.getHeader(HubHeaders.DOCUMENT_NUMBER, String.class), null, null);
        ExchangeEnvelope ack = AcknowledgementFactory.acknowledge(o, party, AcknowledgementStatusCode.REJECTED,
                List.of(new AcknowledgementFactory.Reason(code, text, false)));
        HubHeaders.clearForNewMessage(m);
        m.setBody(new String(codec.write(ack), StandardCharsets.UTF_8));
        MessageIdentity.set(m, ack);
        m.setHeader(HubHeaders.IN_REPLY_TO, replyTo);
        m.setHeader(HubHeaders.FORMAT, org.originhub.format.FormatRegistry.COMMON_DATASET);
        m.setHeader(HubHeaders.FAILURE_REASON, code);
        boundary.toSingleWindow(exchange);
        exchange.setProperty(HubHeaders.ACKNOWLEDGEMENT_QUEUE, props.parties().get(party).inboxQueue(party));
    }

    private String defaultParty() {
        String configured = props.inbound().acknowledgingParty();
        return configured != null ? configured : props.parties().keySet().stream().sorted().findFirst().orElseThrow();
    }

    private void send(Exchange exchange, ExchangeEnvelope ack) {
        Message m = exchange.getMessage();
        HubHeaders.clearForNewMessage(m);
        m.setBody(new String(codec.write(ack), StandardCharsets.UTF_8));
        MessageIdentity.set(m, ack);
        m.setHeader(HubHeaders.IN_REPLY_TO, ack.getHeader().getInReplyTo());
        exchange.setProperty(HubHeaders.ACKNOWLEDGEMENT_QUEUE, props.queues().outbound());
    }

    /**
     * Reads the header a message claims, without trusting it (it may be unsigned or forged): only to address the
     * rejection. Returns empty if the document does not even name a messageId and a sender.
     */
    static Optional<AcknowledgementFactory.Original> claimedHeader(byte[] xml) {
        Document doc;
        try {
            doc = SecureXml.parse(xml);
        } catch (MessageRejectedException e) {
            if (e.reason() != org.originhub.exchange.RejectionReason.UNSUPPORTED_ENCODING) {
                return Optional.empty();
            }
            // Refused for its encoding: only to echo the claimed messageId (a UUID, plain ASCII in any encoding the
            // sender may have meant) to the authenticated partner, read an ASCII-only copy of it.
            try {
                doc = SecureXml.parse(asciiOnly(xml));
            } catch (RuntimeException again) {
                return Optional.empty();
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        Element root = doc.getDocumentElement();
        if (!EnvelopeCodec.NAMESPACE.equals(root.getNamespaceURI())) {
            return Optional.empty();
        }
        Element header = child(root, "Header");
        if (header == null) return Optional.empty();
        String id = text(child(header, "MessageId"));
        String sender = text(child(child(header, "Sender"), "Country"));
        if (id == null || sender == null || !MESSAGE_ID.matcher(id).matches()
                || !sender.matches("[A-Z]{2}")) {
            return Optional.empty();
        }
        String correlation = text(child(header, "CorrelationId"));
        if (correlation != null && !MESSAGE_ID.matcher(correlation).matches()) {
            correlation = null;
        }
        MessageTypeCode type;
        try {
            type = MessageTypeCode.fromValue(text(child(header, "MessageType")));
        } catch (RuntimeException e) {
            type = null;
        }
        String receiver = text(child(child(header, "Receiver"), "Country"));
        String doc2 = text(child(header, "DocumentNumber"));
        if (doc2 != null && (doc2.isBlank() || doc2.length() > 64)) doc2 = null;
        return Optional.of(new AcknowledgementFactory.Original(id, correlation, type, sender, receiver, doc2, null, null));
    }

    /** The document without its XML declaration, every non-ASCII byte replaced by '?'. */
    private static byte[] asciiOnly(byte[] xml) {
        int start = 0;
        if (xml.length > 5 && xml[0] == '<' && xml[1] == '?') {
            for (int i = 2; i + 1 < xml.length; i++) {
                if (xml[i] == '?' && xml[i + 1] == '>') {
                    start = i + 2;
                    break;
                }
            }
        }
        byte[] out = new byte[xml.length - start];
        for (int i = start; i < xml.length; i++) {
            out[i - start] = xml[i] < 0 ? (byte) '?' : xml[i];
        }
        return out;
    }

    private static Element child(Element parent, String name) {
        if (parent == null) return null;
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && EnvelopeCodec.NAMESPACE.equals(e.getNamespaceURI())
                    && name.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent().trim();
    }
}
