package org.originhub.format.aladi;

import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Name-driven access to a COD's DOM. Every ALADI element below {@code CertOrigin} is unqualified (the schemas
 * declare no elementFormDefault), so elements are found by local name, whatever their namespace.
 */
final class AladiDom {
    private AladiDom() {
    }

    static Element child(Element parent, String name) {
        if (parent == null) return null;
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(localName(e))) return e;
        }
        return null;
    }

    static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) return out;
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (name == null || name.equals(localName(e)))) out.add(e);
        }
        return out;
    }

    /** The trimmed text of a child element, or null when it is absent or blank. */
    static String text(Element parent, String name) {
        Element e = child(parent, name);
        if (e == null) return null;
        String t = e.getTextContent().trim();
        return t.isEmpty() ? null : t;
    }

    static Element path(Element from, String... names) {
        Element e = from;
        for (String n : names) {
            e = child(e, n);
            if (e == null) return null;
        }
        return e;
    }

    static String localName(Element e) {
        return e.getLocalName() != null ? e.getLocalName() : e.getNodeName();
    }
}
