package org.originhub.format.aladi;

import java.io.IOException;
import java.net.URL;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.XMLConstants;
import java.io.ByteArrayInputStream;
import javax.xml.transform.Source;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.Validator;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The ALADI COD schemas this hub knows (1.8.0 and 4.1.0, copied under {@code /formats/aladi-cod/}), each compiled
 * once and shared: a {@link Schema} is thread-safe, a {@link Validator} is not, so each validation makes its own.
 *
 * <p>The schemas import the W3C xmldsig schema by URL. It is resolved by namespace to the copy inside Santuario's
 * jar, never fetched, by {@link org.originhub.xml.SecureXml#loadSchema}.
 */
public final class AladiSchemas {
    /** The 1.8.x family of the COD (older single windows). */
    public static final String V1_8_0 = "1.8.0";
    /** The 4.1.x family of the COD (current ALADI specification). */
    public static final String V4_1_0 = "4.1.0";

    private static final String BASE = "/formats/aladi-cod/";
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
        return org.originhub.xml.SecureXml.loadSchema(location);
    }
}
