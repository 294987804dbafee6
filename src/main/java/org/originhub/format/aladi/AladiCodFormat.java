package org.originhub.format.aladi;

import org.originhub.dataset.v1.BodyType;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.originhub.format.FormatContext;
import org.originhub.format.NationalFormat;
import org.originhub.xml.SecureXml;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;

/**
 * The ALADI digital certificate of origin (COD) as a national format: {@code aladi-cod}, versions 1.8.x and 4.1.x,
 * every agreement form (FormA14, FormA18, FormR252, ...).
 *
 * <p><b>parse</b>: secure parse, version from {@code COD/CODVer}, validation against that version's XSD, then the
 * mapping of {@link AladiCodReader}. The original COD travels on as an attachment, byte for byte.
 *
 * <p><b>render</b>: a certificate of origin of the common dataset becomes a COD of the version named by the
 * party's format option {@code version} (default 4.1.0), in the form its agreement calls for ({@link AladiCodWriter}).
 * The ALADI schema requires two XML signatures (the exporter's over {@code #COD}, the certifying entity's over
 * {@code #CODEH}). With the party's signing key in the context, both are made with that key: the receiving hub
 * attests its own rendering, it does not claim to be the exporter or the foreign certifying entity. What they
 * signed is the original COD, still available as the envelope's attachment when the issuing side sent one. The
 * signed rendering is validated against the XSD; a rendering that does not validate is a MAPPING_FAILED fault.
 * Without a key the COD is returned unsigned and unvalidated, since the schema cannot accept it without signatures.
 * Option {@code eh-url} gives the {@code EHURL} to write when the issuing authority has no URL.
 */
@Component
public class AladiCodFormat implements NationalFormat {
    public static final String NAME = "aladi-cod";
    static final String DEFAULT_EH_URL = "http://www.aladi.org";

    @Override
    public String name() {
        return NAME;
    }

    /** An ALADI COD: an XML document with the certifying entity's envelope {@code CertOrigin}. */
    @Override
    public boolean recognises(byte[] document) {
        return org.originhub.format.Sniff.xmlHeadContains(document, "CertOrigin");
    }

    /**
     * ALADI COD carries only certificates of origin. An ALADI party's single window receives the other message types
     * (acknowledgements, status notices, ...) in the common dataset, and sends them in it on the same outbox.
     */
    @Override
    public boolean supports(org.originhub.dataset.v1.MessageTypeCode messageType) {
        return messageType == org.originhub.dataset.v1.MessageTypeCode.CERTIFICATE_OF_ORIGIN;
    }

    @Override
    public ExchangeEnvelope parse(byte[] document, FormatContext context) {
        Document doc = SecureXml.parse(document);
        String codVer = AladiDom.text(AladiDom.path(doc.getDocumentElement(), "CertOrigin", "CODEH", "CODExporter", "COD"), "CODVer");
        if (codVer == null) {
            throw new MessageRejectedException(RejectionReason.SCHEMA_INVALID,
                    "not an ALADI COD: no Envelope/CertOrigin/CODEH/CODExporter/COD/CODVer");
        }
        String version = AladiSchemas.schemaVersionFor(codVer);
        AladiSchemas.validate(document, version);
        return AladiCodReader.read(doc, document, codVer);
    }

    @Override
    public byte[] render(ExchangeEnvelope envelope, FormatContext context) {
        BodyType body = envelope.getBody();
        if (body == null || body.getCertificateOfOrigin() == null) {
            throw new MessageRejectedException(RejectionReason.UNSUPPORTED_MESSAGE, "ALADI COD carries only certificates of origin; "
                    + (envelope.getHeader() != null ? envelope.getHeader().getMessageType() : "this message")
                    + " has no ALADI equivalent");
        }
        String codVer = context.option("version", AladiSchemas.V4_1_0);
        String version = AladiSchemas.schemaVersionFor(codVer);
        Document doc = AladiCodWriter.write(body.getCertificateOfOrigin(), envelope.getHeader(), version, codVer,
                context.option("eh-url", DEFAULT_EH_URL), context.warnings());
        if (context.signingKey() != null) {
            AladiCodSigner.sign(doc, context.signingKey());
            try {
                AladiSchemas.validate(doc, version);
            } catch (MessageRejectedException e) {
                throw new MessageRejectedException(RejectionReason.MAPPING_FAILED,
                        "the certificate cannot be expressed as a valid ALADI COD " + version + ": " + e.getMessage(), e);
            }
        }
        return SecureXml.serialize(doc);
    }
}
