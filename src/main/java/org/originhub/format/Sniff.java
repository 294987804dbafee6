package org.originhub.format;

import java.nio.charset.StandardCharsets;

/** Cheap looks at a document's first bytes, for formats to recognise their own documents. */
public final class Sniff {
    private static final int WINDOW = 2048;

    private Sniff() {
    }

    /** The first non-blank character (after a UTF-8 byte-order mark), or 0. */
    public static char firstSignificant(byte[] document) {
        if (document == null) return 0;
        String head = head(document);
        for (int i = 0; i < head.length(); i++) {
            char c = head.charAt(i);
            if (c != '\uFEFF' && !Character.isWhitespace(c)) return c;
        }
        return 0;
    }

    /** Whether the first bytes of an XML document contain every one of the given strings. */
    public static boolean xmlHeadContains(byte[] document, String... needles) {
        if (firstSignificant(document) != '<') return false;
        String head = head(document);
        for (String n : needles) {
            if (!head.contains(n)) return false;
        }
        return true;
    }

    private static String head(byte[] document) {
        return new String(document, 0, Math.min(document.length, WINDOW), StandardCharsets.UTF_8);
    }
}
