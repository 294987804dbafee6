package org.originhub.xml;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.w3c.dom.Document;
import org.w3c.dom.ls.LSInput;
import org.w3c.dom.ls.LSResourceResolver;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The one place where the hub parses XML from outside (a single window or a partner): strictly UTF-8
 * ({@link StrictUtf8}), no DTD, no external entity, no XInclude, bounded size and element depth. Also loads the hub's own schemas with every external
 * reference resolved from the class path, never from the network.
 */
public final class SecureXml {
    /** Default bound on one message, national or partner, before anything parses it. */
    public static final int DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
    /** Default bound on element nesting: real CO documents stay well under 30 levels. */
    public static final int DEFAULT_MAX_DEPTH = 64;

    private static final String XMLDSIG_NS = "http://www.w3.org/2000/09/xmldsig#";
    private static final String XMLDSIG_SCHEMA = "/org/apache/xml/security/resource/schema/xmldsig-core-schema.xsd";
    /** Named by the DOCTYPE of the xmldsig schema; only DTD-validating parsers need it, so it is answered empty. */
    private static final String XML_SCHEMA_DTD = "http://www.w3.org/2001/XMLSchema.dtd";

    private SecureXml() {
    }

    /** Parses untrusted bytes into a namespace-aware DOM, refusing what could attack the parser. */
    public static Document parse(byte[] xml) {
        return parse(xml, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH);
    }

    public static Document parse(byte[] xml, int maxBytes, int maxDepth) {
        if (xml == null || xml.length == 0) {
            throw new MessageRejectedException(RejectionReason.UNPARSEABLE, "the message is empty");
        }
        if (xml.length > maxBytes) {
            throw new MessageRejectedException(RejectionReason.TOO_LARGE,
                    "the message has " + xml.length + " bytes, the limit is " + maxBytes);
        }
        StrictUtf8.require(xml);
        DocumentBuilder builder = builder(maxDepth);
        try {
            builder.setErrorHandler(new DefaultHandler() {
                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            // Nothing may be fetched while parsing, even if a feature above were ignored by the parser in use.
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused: " + systemId);
            });
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXException e) {
            throw new MessageRejectedException(RejectionReason.UNPARSEABLE, describe(e), e);
        } catch (IOException e) {
            throw new MessageRejectedException(RejectionReason.UNPARSEABLE, e.getMessage(), e);
        } finally {
            builder.reset();
        }
    }

    /** An empty namespace-aware document, to marshal or build into. */
    public static Document newDocument() {
        return builder(DEFAULT_MAX_DEPTH).newDocument();
    }

    /**
     * This thread's parser for a depth bound. Why per thread and reused: a {@code DocumentBuilder} is not thread-safe,
     * and making one (a factory look-up through the class loader, then a parser configuration) cost about a third of
     * the hub's CPU per message (issue 12's profile). {@code reset()} after each parse returns it to its configuration.
     */
    private static DocumentBuilder builder(int maxDepth) {
        return BUILDERS.get().computeIfAbsent(maxDepth, depth -> {
            try {
                return newFactory(depth).newDocumentBuilder();
            } catch (ParserConfigurationException e) {
                throw new IllegalStateException("cannot configure the XML parser: " + e.getMessage(), e);
            }
        });
    }

    private static final ThreadLocal<java.util.Map<Integer, DocumentBuilder>> BUILDERS =
            ThreadLocal.withInitial(java.util.HashMap::new);

    /** This thread's identity transformer (same reasons as {@link #builder}); it holds no state between uses. */
    private static final ThreadLocal<Transformer> SERIALIZERS = ThreadLocal.withInitial(() -> {
        try {
            // The JDK's own implementations, named directly: no service look-up through the class loader per call.
            TransformerFactory tf = TransformerFactory.newDefaultInstance();
            tf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            return tf.newTransformer();
        } catch (javax.xml.transform.TransformerConfigurationException e) {
            throw new IllegalStateException("cannot configure the XML serializer: " + e.getMessage(), e);
        }
    });

    private static DocumentBuilderFactory newFactory(int maxDepth) throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", String.valueOf(maxDepth));
        return f;
    }

    private static String describe(SAXException e) {
        if (e instanceof SAXParseException p) {
            return "line " + p.getLineNumber() + ", column " + p.getColumnNumber() + ": " + p.getMessage();
        }
        return e.getMessage();
    }

    /**
     * Loads an XSD from the class path. Imports and includes resolve against the class path only (the W3C
     * xmldsig schema from Santuario's copy, whose DOCTYPE's DTD is answered empty); anything else is refused rather
     * than fetched.
     */
    public static Schema loadSchema(String classpathLocation) {
        URL url = SecureXml.class.getResource(classpathLocation);
        if (url == null) {
            throw new IllegalStateException("schema not on the class path: " + classpathLocation);
        }
        try {
            SchemaFactory sf = SchemaFactory.newDefaultInstance();
            sf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            sf.setResourceResolver(new ClasspathOnlyResolver(classpathLocation));
            sf.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            // Imports are handed to the resolver above; the resolver returns class-path streams.
            sf.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "jar,file");
            return sf.newSchema(url);
        } catch (SAXException e) {
            throw new IllegalStateException("cannot load schema " + classpathLocation + ": " + e.getMessage(), e);
        }
    }

    /** Serializes a DOM as UTF-8 bytes, as is: no indentation, so that signatures stay valid. */
    public static byte[] serialize(Document document) {
        Transformer t = SERIALIZERS.get();
        try {
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.INDENT, "no");
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            t.transform(new DOMSource(document), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot serialize XML: " + e.getMessage(), e);
        }
    }

    /** Resolves schema imports from the class path, relative to the importing schema or by well-known namespace. */
    private static final class ClasspathOnlyResolver implements LSResourceResolver {
        private final String base;

        ClasspathOnlyResolver(String base) {
            this.base = base.substring(0, base.lastIndexOf('/') + 1);
        }

        @Override
        public LSInput resolveResource(String type, String namespace, String publicId, String systemId, String baseUri) {
            String location;
            if (XML_SCHEMA_DTD.equals(systemId)) {
                return new ClasspathInput(publicId, systemId, new java.io.ByteArrayInputStream(new byte[0]));
            }
            if (XMLDSIG_NS.equals(namespace)) {
                location = XMLDSIG_SCHEMA;
            } else if (systemId != null && !systemId.contains(":")) {
                location = base + systemId;
            } else {
                throw new IllegalStateException("schema reference not available locally: " + systemId);
            }
            URL url = SecureXml.class.getResource(location);
            if (url == null) {
                throw new IllegalStateException("schema reference not on the class path: " + location);
            }
            try {
                // The class-path URL as system id: relative imports inside it resolve there, and the access check passes.
                return new ClasspathInput(publicId, url.toString(), url.openStream());
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + location, e);
            }
        }
    }

    private record ClasspathInput(String publicId, String systemId, InputStream stream) implements LSInput {
        @Override public java.io.Reader getCharacterStream() { return null; }
        @Override public void setCharacterStream(java.io.Reader r) { }
        @Override public InputStream getByteStream() { return stream; }
        @Override public void setByteStream(InputStream s) { }
        @Override public String getStringData() { return null; }
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

    /** For tests and logs: a short UTF-8 rendering of a document. */
    public static String toString(Document document) {
        return new String(serialize(document), StandardCharsets.UTF_8);
    }
}
