package org.originhub.inbound;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.originhub.config.OriginHubProperties;
import org.originhub.dataset.AcknowledgementFactory;
import org.originhub.dataset.Attachments;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.HeaderType;
import org.originhub.exchange.HubHeaders;
import org.originhub.format.FormatRegistry;
import org.originhub.format.NationalFormat;
import org.originhub.lifecycle.CertificateLifecycle;
import org.originhub.lifecycle.MessageIdentity;
import org.springframework.stereotype.Component;

/**
 * Last step of the inbound flow: renders a verified envelope in the national format of the party it is addressed to
 * (or in the common dataset, for a message type that format cannot express) for that party's single-window inbox. In
 * the common dataset the single window receives the partner's signed envelope byte for byte, signature included.
 * The original national document, when it travelled with a CO, is kept readable by the single window in headers
 * ({@code OriginHubOriginalDocument} base64, {@code OriginHubOriginalDocumentFormat},
 * {@code OriginHubOriginalDocumentSha256}).
 */
@Component("singleWindowDelivery")
public class SingleWindowDelivery {
    /** Exchange property: the delivered message's identity, for its acknowledgement. */
    public static final String ORIGINAL = "OriginHubAcknowledgedMessage";
    /** Exchange property: warnings to report in an AcceptedWithWarnings acknowledgement. */
    public static final String WARNINGS = "OriginHubWarnings";

    private final EnvelopeCodec codec;
    private final FormatRegistry formats;
    private final OriginHubProperties props;
    private final CertificateLifecycle lifecycle;

    public SingleWindowDelivery(EnvelopeCodec codec, FormatRegistry formats, OriginHubProperties props, CertificateLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.codec = codec;
        this.formats = formats;
        this.props = props;
    }

    /**
     * A partner's CertificateRequest is answered by this hub from its lifecycle store (a copy of the CO, or a "not
     * found" Acknowledgement), not delivered to the single window: the answer, unsigned, replaces the body and goes
     * to the outbound flow, which signs and sends it.
     */
    public void answerCertificateRequest(Exchange exchange) {
        Message in = exchange.getMessage();
        ExchangeEnvelope request = codec.read(in.getBody(byte[].class));
        lifecycle.onInbound(request, in.getBody(byte[].class));
        ExchangeEnvelope answer = lifecycle.answerCertificateRequest(request, request.getHeader().getReceiver().getCountry())
                .orElseThrow(() -> new IllegalStateException("not a CertificateRequest: " + request.getHeader().getMessageId()));
        HubHeaders.clearForNewMessage(in);
        in.setBody(new String(codec.write(answer), java.nio.charset.StandardCharsets.UTF_8));
        MessageIdentity.set(in, answer);
        in.setHeader(HubHeaders.IN_REPLY_TO, answer.getHeader().getInReplyTo());
    }

    /** The warnings the delivery collected for the acknowledgement (empty if none). */
    @SuppressWarnings("unchecked")
    static List<AcknowledgementFactory.Reason> warnings(Exchange exchange) {
        List<AcknowledgementFactory.Reason> w = exchange.getProperty(WARNINGS, List.class);
        return w == null ? List.of() : w;
    }

    public void toNational(Exchange exchange) {
        Message in = exchange.getMessage();
        byte[] signed = in.getBody(byte[].class);
        ExchangeEnvelope envelope = codec.read(signed);
        HeaderType header = envelope.getHeader();
        String party = header.getReceiver().getCountry();
        NationalFormat format = formats.forDelivery(party, header.getMessageType());
        // The receiving party's view of the CO: refuses what the lifecycle forbids, warns about what it flags.
        List<AcknowledgementFactory.Reason> warnings = new ArrayList<>(lifecycle.onInbound(envelope, signed).acknowledgementReasons());
        // A single window that speaks the common dataset gets the partner's envelope exactly as received and verified,
        // signature included, so it can check the signature itself; any other gets its national rendering.
        byte[] document = FormatRegistry.COMMON_DATASET.equals(format.name()) ? signed
                : format.render(envelope, formats.contextFor(party).withWarnings(
                        w -> warnings.add(new AcknowledgementFactory.Reason("DEFAULTED_FIELD", w, true))));

        in.setBody(document);
        MessageIdentity.set(in, envelope);
        in.setHeader(HubHeaders.PARTY, party);
        in.setHeader(HubHeaders.FORMAT, format.name());
        exchange.setProperty(HubHeaders.INBOX_QUEUE, props.parties().get(party).inboxQueue(party));
        in.setHeader(HubHeaders.IN_REPLY_TO, header.getInReplyTo());
        if (envelope.getBody().getCertificateOfOrigin() != null) {
            Attachments.findOriginal(envelope.getBody().getCertificateOfOrigin()).ifPresent(a -> {
                if (Attachments.hashMatches(a)) {
                    in.setHeader(HubHeaders.ORIGINAL_DOCUMENT, Base64.getEncoder().encodeToString(a.getContent()));
                    in.setHeader(HubHeaders.ORIGINAL_DOCUMENT_FORMAT, a.getFormat());
                    in.setHeader(HubHeaders.ORIGINAL_DOCUMENT_SHA256, a.getSha256());
                } else {
                    warnings.add(new AcknowledgementFactory.Reason("ATTACHMENT_HASH_MISMATCH",
                            "The original national document attached to the CO does not match its SHA-256; it was not passed on.", true));
                }
            });
        }
        exchange.setProperty(ORIGINAL, AcknowledgementFactory.Original.of(header));
        if (envelope.getBody().getAcknowledgement() != null) {
            exchange.setProperty(HubHeaders.ACKNOWLEDGEMENT_STATUS, envelope.getBody().getAcknowledgement().getStatus().value());
        }
        exchange.setProperty(WARNINGS, warnings);
    }
}
