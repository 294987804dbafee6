package org.originhub.format.ccd;

import java.util.EnumSet;
import java.util.Set;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.HeaderType;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The three Header fields a single window may leave to the hub: {@code MessageId}, {@code CreatedAt} and
 * {@code SchemaVersion}. Everything else in a single window's envelope must follow the exchange XSD.
 *
 * <p>To check "schema-valid except that these three may be absent" with the one XSD, the missing fields are
 * stood in for by placeholder values at their place in the Header ({@link #standIn}), the document is validated
 * and bound, and the placeholders are then cleared from the bound envelope ({@link #clear}) so that the hub fills
 * the real values.
 */
final class HubAssignedFields {

    /** A Header field the hub assigns when the single window did not. */
    enum Field {
        MESSAGE_ID("MessageId", "00000000-0000-0000-0000-000000000000"),
        CREATED_AT("CreatedAt", "1970-01-01T00:00:00Z"),
        SCHEMA_VERSION("SchemaVersion", EnvelopeCodec.SCHEMA_VERSION);

        final String element;
        final String placeholder;

        Field(String element, String placeholder) {
            this.element = element;
            this.placeholder = placeholder;
        }
    }

    private HubAssignedFields() {
    }

    /**
     * Adds a placeholder for each hub-assigned field the Header lacks, at the position the XSD expects, and
     * returns which ones were added. A document without a Header is left as it is (validation will say so).
     */
    static Set<Field> standIn(Document document) {
        Set<Field> added = EnumSet.noneOf(Field.class);
        Element header = firstChild(document.getDocumentElement(), "Header");
        if (header == null) return added;
        if (firstChild(header, Field.MESSAGE_ID.element) == null) {
            header.insertBefore(placeholder(document, Field.MESSAGE_ID), firstElement(header));
            added.add(Field.MESSAGE_ID);
        }
        Element schemaVersion = firstChild(header, Field.SCHEMA_VERSION.element);
        if (firstChild(header, Field.CREATED_AT.element) == null) {
            // CreatedAt comes just before SchemaVersion, or last when SchemaVersion is absent too.
            header.insertBefore(placeholder(document, Field.CREATED_AT), schemaVersion);
            added.add(Field.CREATED_AT);
        }
        if (schemaVersion == null) {
            header.appendChild(placeholder(document, Field.SCHEMA_VERSION));
            added.add(Field.SCHEMA_VERSION);
        }
        return added;
    }

    /** Clears from the bound Header the fields that were only placeholders. */
    static void clear(ExchangeEnvelope envelope, Set<Field> placeholders) {
        HeaderType header = envelope.getHeader();
        if (header == null) return;
        if (placeholders.contains(Field.MESSAGE_ID)) header.setMessageId(null);
        if (placeholders.contains(Field.CREATED_AT)) header.setCreatedAt(null);
        if (placeholders.contains(Field.SCHEMA_VERSION)) header.setSchemaVersion(null);
    }

    private static Element placeholder(Document document, Field field) {
        Element e = document.createElementNS(EnvelopeCodec.NAMESPACE, field.element);
        e.setTextContent(field.placeholder);
        return e;
    }

    private static Element firstChild(Element parent, String localName) {
        if (parent == null) return null;
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && EnvelopeCodec.NAMESPACE.equals(e.getNamespaceURI())
                    && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static Node firstElement(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element) return n;
        }
        return null;
    }
}
