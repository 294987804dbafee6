package org.originhub.outbound;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.originhub.config.AccountBindings;
import org.originhub.config.OriginHubProperties;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.AuthorityRefType;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.HeaderType;
import org.originhub.exchange.HubHeaders;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.originhub.format.FormatRegistry;
import org.originhub.format.NationalFormat;
import org.originhub.history.MessageHistory;
import org.originhub.history.MessageState;
import org.originhub.lifecycle.CertificateKey;
import org.originhub.lifecycle.CertificateLifecycle;
import org.originhub.lifecycle.LifecycleOutcome;
import org.originhub.lifecycle.MessageIdentity;
import org.originhub.routing.PartnerDirectory;
import org.originhub.xml.StrictUtf8;
import org.springframework.stereotype.Component;

/**
 * First step of the outbound flow: takes what a party's single window dropped on its outbox (sent by that single
 * window's broker account, strictly UTF-8), parses it with the
 * party's national format, completes the envelope header (messageId, sender, creation time, schema version), checks
 * that the sender is the party and that a partner serves the receiver, and validates the result against the
 * envelope XSD, and applies the CO lifecycle rules from the sending party's side. The message leaves as the unsigned
 * common-dataset envelope, with its identity in headers.
 */
@Component("singleWindowIntake")
public class SingleWindowIntake {
    private final FormatRegistry formats;
    private final EnvelopeCodec codec;
    private final PartnerDirectory partners;
    private final OriginHubProperties props;
    private final CertificateLifecycle lifecycle;
    private final MessageHistory history;
    private final AccountBindings accounts;

    public SingleWindowIntake(FormatRegistry formats, EnvelopeCodec codec, PartnerDirectory partners, OriginHubProperties props,
                              CertificateLifecycle lifecycle, MessageHistory history, AccountBindings accounts) {
        this.accounts = accounts;
        this.lifecycle = lifecycle;
        this.history = history;
        this.formats = formats;
        this.codec = codec;
        this.partners = partners;
        this.props = props;
    }

    /** Maps the national document in the body to the exchange envelope; the route sets the party header. */
    public void toEnvelope(Exchange exchange) {
        Message in = exchange.getMessage();
        String party = in.getHeader(HubHeaders.PARTY, String.class);
        byte[] document = in.getBody(byte[].class);
        if (document != null && document.length > props.limits().maxMessageBytes()) {
            throw new MessageRejectedException(RejectionReason.TOO_LARGE,
                    "the document has " + document.length + " bytes, the limit is " + props.limits().maxMessageBytes());
        }
        String account = in.getHeader(HubHeaders.AUTHENTICATED_ACCOUNT, String.class);
        if (account != null && !accounts.isSingleWindowOf(account, party)) {
            // The broker lets only this party's single window send here; this holds if its settings ever do not.
            throw new MessageRejectedException(RejectionReason.SENDER_MISMATCH, "broker account '" + account
                    + "' is not the single window of party " + party);
        }
        StrictUtf8.require(document);
        NationalFormat format = formats.forOutboxDocument(party, document);
        ExchangeEnvelope envelope = format.parse(document, formats.contextFor(party));
        HeaderType header = complete(envelope, party, in.getHeader("JMSMessageID", String.class),
                Boolean.TRUE.equals(in.getHeader("JMSRedelivered", Boolean.class)));
        partners.require(header.getReceiver().getCountry());
        byte[] xml = codec.write(envelope);
        // The sending party's view of the CO: refuses what the lifecycle forbids (e.g. cancelling an unknown CO).
        LifecycleOutcome outcome = lifecycle.onOutbound(envelope, xml);
        if (outcome.hasWarnings()) {
            in.setHeader(HubHeaders.LIFECYCLE_WARNINGS, outcome.warnings().stream()
                    .map(w -> w.code() + ": " + w.text()).collect(java.util.stream.Collectors.joining("; ")));
        }

        in.setBody(new String(xml, java.nio.charset.StandardCharsets.UTF_8));
        in.setHeader(HubHeaders.PARTY, party);
        MessageIdentity.set(in, envelope);
    }

    private HeaderType complete(ExchangeEnvelope envelope, String party, String jmsMessageId, boolean redelivered) {
        HeaderType header = envelope.getHeader();
        if (header == null) {
            throw new MessageRejectedException(RejectionReason.MAPPING_FAILED, "the document gave no envelope header");
        }
        if (header.getMessageId() == null) {
            // Derived from the broker's id of this delivery, not drawn at random: a redelivery after a rollback or a
            // crash is the same message under the same id, so its history continues rather than leaving an orphan.
            header.setMessageId(derivedMessageId(party, jmsMessageId));
        }
        String messageId = header.getMessageId();
        // A single window that sends a messageId again (a retry after a failed send) is told so, rather than let the
        // broker's duplicate detection fail the whole hop's transaction over and over. Not a repeat: a message refused
        // before (REJECTED, FAILED) or replayed by an operator (REPLAYED); nor this very delivery coming back after
        // its hop rolled back (a crash, a failed commit): its RECEIVED/MAPPED were written before the commit that
        // never happened, and the broker's redelivery flag (persisted before delivery) says it is the same delivery.
        history.lastState(messageId)
                .filter(state -> state != MessageState.REJECTED && state != MessageState.FAILED && state != MessageState.REPLAYED)
                .filter(state -> !(redelivered && (state == MessageState.RECEIVED || state == MessageState.MAPPED)))
                .ifPresent(state -> {
                    throw new MessageRejectedException(RejectionReason.DUPLICATE, "messageId " + messageId
                            + " was received from this single window before (its state is " + state + "); it is not sent again");
                });
        // Always the hub's clock: CreatedAt is the signing time a partner checks the certificate against.
        header.setCreatedAt(OffsetDateTime.now(ZoneOffset.UTC));
        if (header.getSchemaVersion() == null) {
            header.setSchemaVersion(EnvelopeCodec.SCHEMA_VERSION);
        }
        AuthorityRefType sender = header.getSender();
        if (sender == null) {
            sender = new AuthorityRefType();
            header.setSender(sender);
        }
        if (sender.getCountry() == null) {
            sender.setCountry(party);
        } else if (!party.equals(sender.getCountry())) {
            throw new MessageRejectedException(RejectionReason.SENDER_MISMATCH, "the document names sender "
                    + sender.getCountry() + " but came from the single window of party " + party);
        }
        OriginHubProperties.Party config = props.parties().get(party);
        if (sender.getAuthorityId() == null && config.authorityId() != null) {
            sender.setAuthorityId(config.authorityId());
        }
        if (sender.getName() == null && config.name() != null) {
            sender.setName(config.name());
        }
        if (header.getReceiver() == null || header.getReceiver().getCountry() == null) {
            throw new MessageRejectedException(RejectionReason.MAPPING_FAILED, "the document names no receiving country");
        }
        return header;
    }

    /**
     * The messageId of a document that gives none: a name-based UUID of the party and the broker's message id, the
     * same for every delivery of that broker message (a random one when the broker gave none).
     */
    static String derivedMessageId(String party, String jmsMessageId) {
        if (jmsMessageId == null || jmsMessageId.isBlank()) {
            return UUID.randomUUID().toString();
        }
        return UUID.nameUUIDFromBytes((party + "/" + jmsMessageId).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }
}
