package org.originhub.format.edi3;

import org.originhub.xml.SecureXml;

/**
 * Bounds on an edi3 JSON document, checked while it is read: its size (the hub's message limit), the nesting
 * depth of objects and arrays, and the length of one string value. Exceeding any of them is a permanent
 * {@code TOO_LARGE} fault.
 *
 * @param maxBytes        largest document accepted, in bytes
 * @param maxDepth        deepest nesting of objects and arrays (a real CO stays under 10)
 * @param maxStringLength longest single string value, in characters (an attached file as a data: URI is the
 *                        longest string a CO carries)
 */
public record Edi3JsonLimits(int maxBytes, int maxDepth, int maxStringLength) {
    /** The hub's defaults: 10 MB, depth 64, strings up to the document limit. */
    public static final Edi3JsonLimits DEFAULT =
            new Edi3JsonLimits(SecureXml.DEFAULT_MAX_BYTES, SecureXml.DEFAULT_MAX_DEPTH, SecureXml.DEFAULT_MAX_BYTES);

    public Edi3JsonLimits {
        if (maxBytes < 1 || maxDepth < 1 || maxStringLength < 1) {
            throw new IllegalArgumentException("JSON limits must be positive");
        }
    }
}
