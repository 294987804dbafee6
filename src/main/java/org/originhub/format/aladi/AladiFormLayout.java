package org.originhub.format.aladi;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.originhub.xml.SecureXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The content model of one ALADI form in one schema version, read from the XSD itself: element names in schema
 * order, occurrences, and the facets the writer must respect (maxLength, pattern). Rendering walks this layout,
 * so every form of every version is written in the right order with the right elements, without one Java model
 * per form. Layouts are read once and cached.
 */
final class AladiFormLayout {
    private static final String XS = "http://www.w3.org/2001/XMLSchema";
    private static final Map<String, Field> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, Document> XSDS = new ConcurrentHashMap<>();

    /** One element of a form: simple when {@code children} is empty. {@code max} 0 means the form forbids it. */
    record Field(String name, int min, int max, List<Field> children, Integer maxLength, String pattern, String baseType,
                 String firstEnumeration) {
        boolean complex() {
            return !children.isEmpty();
        }
    }

    private AladiFormLayout() {
    }

    /** The layout of {@code formName} (e.g. FormA18) in schema {@code version}, or null when that version lacks the form. */
    static Field form(String version, String formName) {
        String key = version + "/" + formName;
        Field cached = CACHE.get(key);
        if (cached != null) return cached;
        // The schema DOMs are read under one lock: a JDK DOM is not safe for concurrent reads (deferred expansion).
        synchronized (XSDS) {
            Document xsd = XSDS.computeIfAbsent(version, AladiFormLayout::readXsd);
            Element decl = findElement(xsd.getDocumentElement(), formName);
            if (decl == null) return null;
            Field f = new Reader(xsd).field(decl);
            CACHE.put(key, f);
            return f;
        }
    }

    private static Document readXsd(String version) {
        try (InputStream in = AladiFormLayout.class.getResourceAsStream("/formats/aladi-cod/cod_ver_" + version + ".xsd")) {
            return SecureXml.parse(in.readAllBytes(), 5 * SecureXml.DEFAULT_MAX_BYTES, 256);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the ALADI COD schema " + version, e);
        }
    }

    private static Element findElement(Element from, String name) {
        for (Node n = from.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                if (XS.equals(e.getNamespaceURI()) && "element".equals(e.getLocalName()) && name.equals(e.getAttribute("name"))) {
                    return e;
                }
                Element found = findElement(e, name);
                if (found != null) return found;
            }
        }
        return null;
    }

    /** Reads xs:element declarations, following named types of the same schema. */
    private static final class Reader {
        private final Map<String, Element> complexTypes = new HashMap<>();
        private final Map<String, Element> simpleTypes = new HashMap<>();

        Reader(Document xsd) {
            for (Element e : xs(xsd.getDocumentElement())) {
                if ("complexType".equals(e.getLocalName())) complexTypes.put(e.getAttribute("name"), e);
                if ("simpleType".equals(e.getLocalName())) simpleTypes.put(e.getAttribute("name"), e);
            }
        }

        Field field(Element decl) {
            String name = decl.getAttribute("name");
            if (name.isEmpty()) name = decl.getAttribute("ref");
            int min = decl.hasAttribute("minOccurs") ? Integer.parseInt(decl.getAttribute("minOccurs")) : 1;
            String maxText = decl.getAttribute("maxOccurs");
            int max = maxText.isEmpty() ? 1 : "unbounded".equals(maxText) ? Integer.MAX_VALUE : Integer.parseInt(maxText);
            String type = decl.getAttribute("type");
            String local = type.contains(":") ? type.substring(type.indexOf(':') + 1) : type;
            Element complex = child(decl, "complexType");
            Element simple = child(decl, "simpleType");
            if (complex == null && type.startsWith("tns:")) complex = complexTypes.get(local);
            if (simple == null && type.startsWith("tns:")) simple = simpleTypes.get(local);
            List<Field> children = new ArrayList<>();
            if (complex != null) collect(complex, children);
            Integer maxLength = null;
            String pattern = null;
            String enumeration = null;
            String baseType = type.startsWith("xs:") ? local : null;
            Element restriction = simple == null ? null : child(simple, "restriction");
            if (restriction != null) {
                Element ml = child(restriction, "maxLength");
                if (ml != null) maxLength = Integer.valueOf(ml.getAttribute("value").trim());
                Element p = child(restriction, "pattern");
                if (p != null) pattern = p.getAttribute("value");
                Element en = child(restriction, "enumeration");
                if (en != null) enumeration = en.getAttribute("value");
                String base = restriction.getAttribute("base");
                if (base.startsWith("xs:")) baseType = base.substring(3);
                // A number that must be above zero cannot take 0 as placeholder.
                if (child(restriction, "minExclusive") != null && baseType != null) baseType = baseType + ">0";
            }
            return new Field(name, min, max, List.copyOf(children), maxLength, pattern, baseType, enumeration);
        }

        private void collect(Element group, List<Field> out) {
            for (Element e : xs(group)) {
                switch (e.getLocalName()) {
                    case "element" -> out.add(field(e));
                    case "sequence", "choice", "all" -> collect(e, out);
                    default -> { }
                }
            }
        }

        private static Element child(Element parent, String localName) {
            for (Element e : xs(parent)) if (localName.equals(e.getLocalName())) return e;
            return null;
        }

        private static List<Element> xs(Element parent) {
            List<Element> out = new ArrayList<>();
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && XS.equals(e.getNamespaceURI())) out.add(e);
            }
            return out;
        }
    }
}
