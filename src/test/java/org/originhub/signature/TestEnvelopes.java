package org.originhub.signature;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.originhub.xml.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Envelopes and keys for the signature tests: a minimal valid StatusNotice envelope and demo keys on disk. */
final class TestEnvelopes {
    static final String DS = SignatureProfile.DSIG_NS;
    static final String NS = "urn:originhub:exchange:v1";
    static final char[] PASSWORD = "test-only-password".toCharArray();
    static final String ALIAS = "signing";

    private TestEnvelopes() {
    }

    /** The sample envelope's XML for a sender and a CreatedAt. */
    static String xml(String sender, Instant createdAt) {
        try (InputStream in = TestEnvelopes.class.getResourceAsStream("/signature/status-notice-envelope.xml")) {
            String template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return template.replace("${SENDER}", sender)
                    .replace("${CREATED_AT}", createdAt.truncatedTo(ChronoUnit.SECONDS).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Document envelope(String sender, Instant createdAt) {
        return parse(xml(sender, createdAt));
    }

    /** A DOM made the way inbound messages are made: bytes through SecureXml. */
    static Document parse(String xml) {
        return SecureXml.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    /** Serialize and parse again: what the partner receives. */
    static Document reparse(Document document) {
        return SecureXml.parse(SecureXml.serialize(document));
    }

    static String string(Document document) {
        return SecureXml.toString(document);
    }

    /** A demo key written by DemoKeys into {@code dir} and loaded back through KeyStores, as the hub does. */
    static SigningKey demoKey(Path dir, String party) {
        Path p12 = dir.resolve(party + ".p12");
        DemoKeys.ensure(party, p12, ALIAS, PASSWORD);
        return KeyStores.load(p12, ALIAS, PASSWORD);
    }

    static Element signatureOf(Document document) {
        return (Element) document.getElementsByTagNameNS(DS, "Signature").item(0);
    }

    static Element child(Element parent, String ns, String localName) {
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && ns.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        throw new IllegalArgumentException("no " + localName + " under " + parent.getLocalName());
    }
}
