package org.originhub.xml;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;

/**
 * The hub's first rule at every input boundary: what comes from outside is UTF-8, strictly. A document that declares
 * another encoding, starts with another encoding's byte order mark, or holds a byte sequence that is not UTF-8 is
 * refused before anything parses it.
 *
 * <p>Why: every later step (signature verification, delivery, intake) must read the same characters from the same
 * bytes. With a second encoding in play, bytes that are valid in the declared encoding but not in UTF-8 change when
 * any step decodes them differently (a {@code new String(bytes, UTF_8)}, a JMS TextMessage), and markup that one
 * parse sees is hidden from the next: a partner could sign one sender and have another delivered.
 */
public final class StrictUtf8 {
    /** The XML declaration, if any, within the first bytes (it must be the very first thing in the document). */
    private static final Pattern DECLARATION = Pattern.compile("^<\\?xml\\s[^?]*?encoding\\s*=\\s*[\"']([^\"']*)[\"']");
    private static final int DECLARATION_SCAN = 256;

    private StrictUtf8() {
    }

    /**
     * Refuses ({@link RejectionReason#UNSUPPORTED_ENCODING}) a document that is not strictly UTF-8: another byte order
     * mark, an XML declaration naming another encoding, or any malformed UTF-8 sequence.
     */
    public static void require(byte[] document) {
        if (document == null || document.length == 0) {
            return;
        }
        String bom = foreignByteOrderMark(document);
        if (bom != null) {
            throw refused("the document starts with a " + bom + " byte order mark");
        }
        String declared = declaredEncoding(document);
        if (declared != null && !declared.equalsIgnoreCase("UTF-8")) {
            throw refused("the document declares encoding \"" + shorten(declared) + "\"");
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(document));
        } catch (CharacterCodingException e) {
            throw refused("the document holds a byte sequence that is not valid UTF-8 (" + e.getMessage() + ")");
        }
    }

    /** The encoding named by the XML declaration, read as ASCII (every encoding the hub could meet keeps it so). */
    static String declaredEncoding(byte[] document) {
        int offset = startsWithUtf8Bom(document) ? 3 : 0;
        int n = Math.min(document.length - offset, DECLARATION_SCAN);
        StringBuilder head = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int b = document[offset + i] & 0xFF;
            if (b == '>') {
                head.append('>');
                break;
            }
            head.append(b < 0x80 ? (char) b : '\uFFFD');
        }
        Matcher m = DECLARATION.matcher(head);
        return m.find() ? m.group(1).trim().toUpperCase(Locale.ROOT) : null;
    }

    private static boolean startsWithUtf8Bom(byte[] d) {
        return d.length >= 3 && (d[0] & 0xFF) == 0xEF && (d[1] & 0xFF) == 0xBB && (d[2] & 0xFF) == 0xBF;
    }

    private static String foreignByteOrderMark(byte[] d) {
        int b0 = d[0] & 0xFF;
        int b1 = d.length > 1 ? d[1] & 0xFF : -1;
        int b2 = d.length > 2 ? d[2] & 0xFF : -1;
        int b3 = d.length > 3 ? d[3] & 0xFF : -1;
        if (b0 == 0 && b1 == 0 && b2 == 0xFE && b3 == 0xFF) return "UTF-32BE";
        if (b0 == 0xFF && b1 == 0xFE && b2 == 0 && b3 == 0) return "UTF-32LE";
        if (b0 == 0xFE && b1 == 0xFF) return "UTF-16BE";
        if (b0 == 0xFF && b1 == 0xFE) return "UTF-16LE";
        // '<' or '{' in UTF-16 without a mark, or in EBCDIC: a NUL-interleaved or EBCDIC start is no UTF-8 document.
        if ((b0 == 0 && (b1 == '<' || b1 == '{')) || ((b0 == '<' || b0 == '{') && b1 == 0)) return "UTF-16 (unmarked)";
        if (b0 == 0x4C && b1 == 0x6F && b2 == 0xA7 && b3 == 0x94) return "EBCDIC";
        return null;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static MessageRejectedException refused(String why) {
        return new MessageRejectedException(RejectionReason.UNSUPPORTED_ENCODING,
                why + "; the hub accepts UTF-8 only, so that what is verified is exactly what is delivered");
    }
}
