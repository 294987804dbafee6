package org.originhub.dataset;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBElement;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.Unmarshaller;
import java.io.IOException;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import javax.xml.validation.Validator;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.originhub.xml.SecureXml;
import org.w3c.dom.Document;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads and writes the exchange envelope (the common dataset), always against its XSD: what the hub sends
 * and what it accepts both follow the contract. Thread-safe; one instance serves the whole hub.
 */
public class EnvelopeCodec {
    public static final String NAMESPACE = "urn:originhub:exchange:v1";
    public static final String SCHEMA_VERSION = "1.0";
    public static final String SCHEMA_LOCATION = "/dataset/origin-hub-exchange-v1.xsd";

    private final JAXBContext context;
    private final Schema schema;

    public EnvelopeCodec() {
        try {
            this.context = JAXBContext.newInstance(ExchangeEnvelope.class);
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot create the JAXB context of the exchange envelope", e);
        }
        this.schema = SecureXml.loadSchema(SCHEMA_LOCATION);
    }

    public Schema schema() {
        return schema;
    }

    /** Parses untrusted bytes (securely), validates them against the envelope XSD and binds them. */
    public ExchangeEnvelope read(byte[] xml) {
        return fromDocument(SecureXml.parse(xml));
    }

    /** Validates a parsed document against the envelope XSD and binds it. */
    public ExchangeEnvelope fromDocument(Document document) {
        validate(document);
        try {
            Unmarshaller u = context.createUnmarshaller();
            JAXBElement<ExchangeEnvelope> el = u.unmarshal(new DOMSource(document), ExchangeEnvelope.class);
            return el.getValue();
        } catch (JAXBException e) {
            throw new MessageRejectedException(RejectionReason.SCHEMA_INVALID, "cannot bind the envelope: " + e, e);
        }
    }

    /** Checks a document against the envelope XSD; a failure is a permanent SCHEMA_INVALID fault. */
    public void validate(Document document) {
        Validator v = schema.newValidator();
        try {
            v.validate(new DOMSource(document));
        } catch (SAXParseException e) {
            throw new MessageRejectedException(RejectionReason.SCHEMA_INVALID,
                    "exchange envelope v1: " + e.getMessage(), e);
        } catch (SAXException | IOException e) {
            throw new MessageRejectedException(RejectionReason.SCHEMA_INVALID, "exchange envelope v1: " + e.getMessage(), e);
        }
    }

    /** Marshals an envelope to a DOM (ready to sign), validating it against the XSD on the way. */
    public Document toDocument(ExchangeEnvelope envelope) {
        try {
            Document doc = SecureXml.newDocument();
            Marshaller m = context.createMarshaller();
            m.setSchema(schema);
            m.marshal(envelope, doc);
            return doc;
        } catch (jakarta.xml.bind.MarshalException e) {
            Throwable cause = e.getLinkedException() != null ? e.getLinkedException() : e.getCause();
            throw new MessageRejectedException(RejectionReason.SCHEMA_INVALID,
                    "the mapped envelope does not follow the exchange schema: "
                            + (cause != null ? cause.getMessage() : e.getMessage()), e);
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot marshal the exchange envelope", e);
        }
    }

    /** Marshals an envelope to UTF-8 bytes (validated). */
    public byte[] write(ExchangeEnvelope envelope) {
        return SecureXml.serialize(toDocument(envelope));
    }
}
