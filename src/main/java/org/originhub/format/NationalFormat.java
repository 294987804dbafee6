package org.originhub.format;

import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.MessageTypeCode;

/**
 * A national single window's message format: the one extension point for a new country. An implementation is a
 * Spring bean; the hub finds it by {@link #name()} from {@code originhub.parties.<CC>.format}. Adding a format
 * touches no route.
 *
 * <p>Both directions throw {@link org.originhub.exchange.MessageRejectedException} for a document that can never
 * be handled (unparseable, schema-invalid, unmappable); any other exception is treated as transient.
 */
public interface NationalFormat {

    /** The name used in configuration, e.g. {@code aladi-cod}. */
    String name();

    /**
     * National document → exchange envelope. The result carries the Body and every Header field the document
     * knows (MessageType, MessageFunction, Receiver, DocumentNumber, DocumentIssueDate, AgreementId, and
     * MessageId/Sender when the format has them); the hub fills the rest (MessageId if absent, Sender, CreatedAt,
     * SchemaVersion) and validates the result against the envelope XSD. A format that can carry the original
     * document adds it as an attachment ({@link org.originhub.dataset.Attachments#originalDocument}).
     */
    ExchangeEnvelope parse(byte[] document, FormatContext context);

    /** Exchange envelope → national document for the single window of {@code context.party()}. */
    byte[] render(ExchangeEnvelope envelope, FormatContext context);

    /**
     * Whether this format can express a message type. A message the party's format cannot express is delivered to
     * its single window in the common dataset ({@code ccd}) instead, and said so in the {@code OriginHubFormat} header.
     */
    default boolean supports(MessageTypeCode messageType) {
        return true;
    }

    /**
     * A cheap look at a document's first bytes: does it look like this format? Used when a party's outbox accepts
     * more than one format ({@code originhub.parties.<CC>.also-accepts}); the full check is {@link #parse}.
     */
    default boolean recognises(byte[] document) {
        return false;
    }
}
