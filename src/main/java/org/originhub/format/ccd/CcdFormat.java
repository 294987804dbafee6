package org.originhub.format.ccd;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.format.FormatContext;
import org.originhub.format.NationalFormat;
import org.originhub.xml.SecureXml;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The common dataset itself as a national format ({@code ccd}): for a single window that already speaks the
 * exchange envelope of {@code origin-hub-exchange-v1.xsd}.
 *
 * <p><b>parse</b> reads the single window's envelope securely ({@link SecureXml}: no DTD, no external entity, size
 * and depth bounds) and checks it against the exchange XSD with one relaxation: the Header fields the hub assigns,
 * {@code MessageId}, {@code CreatedAt} and {@code SchemaVersion}, may be absent (they come back {@code null}, and
 * the hub fills them). Everything else must be schema-valid, or the message is rejected as {@code SCHEMA_INVALID}.
 * A single window does not sign: a {@code ds:Signature} it sends anyway is dropped, since the hub signs what it
 * sends with the party's key.
 *
 * <p><b>render</b> marshals the envelope, validated against the XSD, as UTF-8 XML without the hub's
 * {@code ds:Signature}: the single window receives the dataset, the signature was checked on the way in.
 */
@Component
public class CcdFormat implements NationalFormat {
    public static final String NAME = "ccd";
    private static final String XMLDSIG_NS = "http://www.w3.org/2000/09/xmldsig#";

    private final EnvelopeCodec codec;

    /**
     * With the hub's shared codec. Spring uses this constructor when an {@link EnvelopeCodec} bean exists, and the
     * no-argument one otherwise.
     */
    @Autowired(required = false)
    public CcdFormat(EnvelopeCodec codec) {
        this.codec = codec;
    }

    /** With its own codec. */
    public CcdFormat() {
        this(new EnvelopeCodec());
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The common dataset: an XML document whose root is the exchange envelope. */
    @Override
    public boolean recognises(byte[] document) {
        return org.originhub.format.Sniff.xmlHeadContains(document, "ExchangeEnvelope", EnvelopeCodec.NAMESPACE);
    }

    @Override
    public ExchangeEnvelope parse(byte[] document, FormatContext context) {
        Document dom = SecureXml.parse(document);
        removeSignatures(dom);
        Set<HubAssignedFields.Field> placeholders = HubAssignedFields.standIn(dom);
        ExchangeEnvelope envelope = codec.fromDocument(dom);
        HubAssignedFields.clear(envelope, placeholders);
        envelope.setAny(null);
        return envelope;
    }

    @Override
    public byte[] render(ExchangeEnvelope envelope, FormatContext context) {
        Document dom = codec.toDocument(envelope);
        removeSignatures(dom);
        return SecureXml.serialize(dom);
    }

    /** Removes every ds:Signature that is a direct child of the root. */
    private static void removeSignatures(Document dom) {
        Element root = dom.getDocumentElement();
        List<Node> signatures = new ArrayList<>();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && XMLDSIG_NS.equals(e.getNamespaceURI()) && "Signature".equals(e.getLocalName())) {
                signatures.add(n);
            }
        }
        signatures.forEach(root::removeChild);
    }
}
