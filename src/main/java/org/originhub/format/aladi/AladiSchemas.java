package org.originhub.format.aladi;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.net.URL;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.XMLConstants;
import java.io.ByteArrayInputStream;
import javax.xml.transform.Source;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.w3c.dom.Document;
import org.w3c.dom.ls.LSInput;
import org.w3c.dom.ls.LSResourceResolver;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The ALADI COD schemas this hub knows (1.8.0 and 4.1.0, copied under {@code /formats/aladi-cod/}), each compiled
 * once and shared: a {@link Schema} is thread-safe, a {@link Validator} is not, so each validation makes its own.
 *
 * <p>The schemas import the W3C xmldsig schema by URL. It is resolved by namespace to the copy inside Santuario's
 * jar, never fetched. That copy starts with a DOCTYPE naming {@code http://www.w3.org/2001/XMLSchema.dtd}, which
 * the JDK's schema loader asks for; {@link org.originhub.xml.SecureXml#loadSchema} refuses it (any non-class-path
 * reference), so this class loads the ALADI schemas with its own resolver that answers that one DTD with an empty
 * document (the DTD only serves DTD-validating parsers; the xmldsig schema uses none of its entities) and refuses
 * everything else.
 */
public final class AladiSchemas {
    /** The 1.8.x family of the COD (older single windows). */
    public static final String V1_8_0 = "1.8.0";
    /** The 4.1.x family of the COD (current ALADI specification). */
    public static final String V4_1_0 = "4.1.0";

    private static final String BASE = "/formats/aladi-cod/";
    private static final String XMLDSIG_NS = "http://www.w3.org/2000/09/xmldsig#";
    private static final String XMLDSIG_SCHEMA = "/org/apache/xml/security/resource/schema/xmldsig-core-schema.xsd";
    private static final String XML_SCHEMA_DTD = "http://www.w3.org/2001/XMLSchema.dtd";
    private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

    private AladiSchemas() {
    }

    /**
     * The schema version family a COD's {@code CODVer} belongs to: {@value #V1_8_0} for 1.8.x, {@value #V4_1_0} for
     * 4.1.x; any other version is not one this hub can validate, a permanent SCHEMA_INVALID fault.
     */
    public static String schemaVersionFor(String codVer) {
        if (codVer != null && codVer.matches("1\\.8\\.\\d+")) {
            return V1_8_0;
        }
        if (codVer != null && codVer.matches("4\\.1\\.\\d+")) {
            return V4_1_0;
        }
        throw new MessageRejectedException(RejectionReason.SCHEMA_INVALID,
                "ALADI COD version '" + codVer + "' is not supported (supported: 1.8.x, 4.1.x)");
    }

    /** The compiled schema of one version family ({@value #V1_8_0} or {@value #V4_1_0}), loaded on first use. */
    public static Schema schema(String version) {
        if (!V1_8_0.equals(version) && !V4_1_0.equals(version)) {
            throw new IllegalArgumentException("unknown ALADI COD schema version " + version);
        }
        return CACHE.computeIfAbsent(version, v -> load(BASE + "cod_ver_" + v + ".xsd"));
    }

    /**
     * Validates a COD, given as the bytes that {@link org.originhub.xml.SecureXml#parse} already accepted (so it
     * has no DOCTYPE and is bounded), against the schema of its version. Validating the bytes rather than the DOM
     * gives the line and column of the first error, which become part of the SCHEMA_INVALID fault.
     */
    public static void validate(byte[] acceptedXml, String version) {
        validate(new StreamSource(new ByteArrayInputStream(acceptedXml)), version);
    }

    /** Validates a COD built in memory (a rendering) against the schema of {@code version}. */
    public static void validate(Document cod, String version) {
        validate(new DOMSource(cod), version);
    }

    private static void validate(Source source, String version) {
        Validator validator = schema(version).newValidator();
        try {
            // Belt and braces: the input was parsed securely already; the validator's own parse may fetch nothing.
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        } catch (SAXException e) {
            throw new IllegalStateException("the XML validator does not support access restrictions", e);
        }
        validator.setErrorHandler(new ErrorHandler() {
            @Override public void warning(SAXParseException e) { }
            @Override public void error(SAXParseException e) throws SAXException { throw e; }
            @Override public void fatalError(SAXParseException e) throws SAXException { throw e; }
        });
        try {
            validator.validate(source);
        } catch (SAXParseException e) {
            String where = e.getLineNumber() > 0 ? "line " + e.getLineNumber() + ", column " + e.getColumnNumber() + ": " : "";
            throw new MessageRejectedException(RejectionReason.SCHEMA_INVALID, "ALADI COD " + version + ": " + where
                    + e.getMessage(), e);
        } catch (SAXException | IOException e) {
            throw new MessageRejectedException(RejectionReason.SCHEMA_INVALID, "ALADI COD " + version + ": " + e.getMessage(), e);
        }
    }

    private static Schema load(String location) {
        URL url = AladiSchemas.class.getResource(location);
        if (url == null) {
            throw new IllegalStateException("schema not on the class path: " + location);
        }
        try {
            SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            sf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            sf.setResourceResolver(new LocalOnlyResolver());
            return sf.newSchema(url);
        } catch (SAXException e) {
            throw new IllegalStateException("cannot load schema " + location + ": " + e.getMessage(), e);
        }
    }

    /** Answers the xmldsig import from Santuario's jar and its DTD reference with nothing; refuses the rest. */
    private static final class LocalOnlyResolver implements LSResourceResolver {
        @Override
        public LSInput resolveResource(String type, String namespace, String publicId, String systemId, String baseUri) {
            if (XMLDSIG_NS.equals(namespace)) {
                URL url = AladiSchemas.class.getResource(XMLDSIG_SCHEMA);
                if (url == null) {
                    throw new IllegalStateException("xmldsig schema not on the class path: " + XMLDSIG_SCHEMA);
                }
                try {
                    return new LocalInput(publicId, url.toString(), url.openStream(), null);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read " + XMLDSIG_SCHEMA, e);
                }
            }
            if (XML_SCHEMA_DTD.equals(systemId)) {
                return new LocalInput(publicId, systemId, null, "");
            }
            throw new IllegalStateException("schema reference not available locally: " + systemId);
        }
    }

    private record LocalInput(String publicId, String systemId, InputStream stream, String text) implements LSInput {
        @Override public Reader getCharacterStream() { return text == null ? null : new StringReader(text); }
        @Override public void setCharacterStream(Reader r) { }
        @Override public InputStream getByteStream() { return stream; }
        @Override public void setByteStream(InputStream s) { }
        @Override public String getStringData() { return text; }
        @Override public void setStringData(String s) { }
        @Override public String getSystemId() { return systemId; }
        @Override public void setSystemId(String s) { }
        @Override public String getPublicId() { return publicId; }
        @Override public void setPublicId(String s) { }
        @Override public String getBaseURI() { return null; }
        @Override public void setBaseURI(String s) { }
        @Override public String getEncoding() { return null; }
        @Override public void setEncoding(String s) { }
        @Override public boolean getCertifiedText() { return false; }
        @Override public void setCertifiedText(boolean b) { }
    }
}
