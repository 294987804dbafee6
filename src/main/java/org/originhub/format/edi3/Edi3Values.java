package org.originhub.format.edi3;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.originhub.dataset.v1.ClassificationType;
import org.originhub.dataset.v1.IdentifierType;
import org.originhub.dataset.v1.OriginCriterionType;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;

/**
 * Value rules between edi3 JSON and the common dataset: identifiers (edi3 wants URIs), text lengths, dates,
 * HS codes, origin criteria, UN/LOCODEs. Each rule is written so that edi3 → dataset → edi3 gives back the same
 * value.
 */
final class Edi3Values {
    /** Prefix of the URN the hub writes for an identifier that is not a URI of its own. */
    static final String HUB_URN = "urn:originhub:";
    /** Scheme the hub writes for a UN/LOCODE location. */
    static final String LOCODE_SCHEME = "unlocode:";

    private static final Pattern ABSOLUTE_URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:\\S+");
    private static final Pattern LOCODE = Pattern.compile("[A-Z]{2}[A-Z2-9]{3}");
    private static final Pattern CRITERION_WITH_PERCENT =
            Pattern.compile("\\s*([A-Za-z]+)\\s*(\\d{1,3}(?:[.,]\\d+)?)\\s*%?\\s*");
    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .parseCaseInsensitive().append(DateTimeFormatter.ISO_OFFSET_DATE_TIME).toFormatter();

    private Edi3Values() {
    }

    // ---------------------------------------------------------------- text

    /** An xs:token of at most 64 characters (whitespace collapsed); null for null or blank. */
    static String token64(String value, String path) {
        if (value == null) return null;
        String v = value.trim().replaceAll("\\s+", " ");
        if (v.isEmpty()) return null;
        if (v.length() > 64) throw tooLong(path, 64);
        return v;
    }

    /** A text of 1 to 256 characters; null for null or blank. */
    static String text256(String value, String path) {
        if (value == null || value.isBlank()) return null;
        if (value.length() > 256) throw tooLong(path, 256);
        return value;
    }

    /** A text of at most 2048 characters; null for null or blank. */
    static String text2048(String value, String path) {
        if (value == null || value.isBlank()) return null;
        if (value.length() > 2048) throw tooLong(path, 2048);
        return value;
    }

    static MessageRejectedException missing(String path, String why) {
        return new MessageRejectedException(RejectionReason.MAPPING_FAILED, path + " is missing: " + why);
    }

    private static MessageRejectedException tooLong(String path, int max) {
        return new MessageRejectedException(RejectionReason.MAPPING_FAILED,
                path + " is longer than the " + max + " characters the common dataset allows");
    }

    // ---------------------------------------------------------------- identifiers

    /** An identifier as an edi3 URI: itself when it already is an absolute URI, else {@code urn:originhub:<kind>:<value>}. */
    static String toUri(String value, String kind) {
        if (isAbsoluteUri(value)) return value;
        return HUB_URN + kind + ":" + encode(value);
    }

    /** The identifier an edi3 URI stands for: the URI itself, or the value inside the hub's own URN. */
    static String fromUri(String uri, String kind) {
        String prefix = HUB_URN + kind + ":";
        return uri != null && uri.startsWith(prefix) ? decode(uri.substring(prefix.length())) : uri;
    }

    /**
     * A party's edi3 {@code iD} as a dataset identifier: the text after the last colon is the value, the text
     * before it the scheme ({@code CNPJ:12345678000190} → scheme CNPJ, value 12345678000190). A hierarchical URI
     * ({@code https://...}) is kept whole, as is the value inside the hub's own URN.
     */
    static IdentifierType partyId(String iD, String path) {
        if (iD == null || iD.isBlank()) return null;
        IdentifierType id = new IdentifierType();
        String own = fromUri(iD, "id");
        int colon = iD.lastIndexOf(':');
        if (!own.equals(iD) || colon <= 0 || colon == iD.length() - 1 || iD.startsWith("//", colon + 1)) {
            id.setValue(token64(own, path));
        } else {
            id.setScheme(token64(iD.substring(0, colon), path));
            id.setValue(token64(iD.substring(colon + 1), path));
        }
        return id;
    }

    /** A dataset identifier as an edi3 party {@code iD} (the reverse of {@link #partyId}). */
    static String partyUri(IdentifierType id) {
        if (id.getScheme() != null) {
            String joined = id.getScheme() + ":" + id.getValue();
            if (isAbsoluteUri(joined)) return joined;
        }
        return toUri(id.getValue(), "id");
    }

    private static boolean isAbsoluteUri(String value) {
        if (value == null || !ABSOLUTE_URI.matcher(value).matches()) return false;
        try {
            return new URI(value).isAbsolute();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Percent-encodes what a URN's specific part may not hold (UTF-8). */
    private static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~:/@!$&'()*+,;=".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String decode(String value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length()) {
                out.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- locations

    /** The UN/LOCODE an edi3 location {@code iD} ends with ({@code unlocode:BRSSZ}), or null. */
    static String locode(String iD) {
        if (iD == null) return null;
        String last = iD.substring(Math.max(iD.lastIndexOf(':'), iD.lastIndexOf('/')) + 1);
        return LOCODE.matcher(last).matches() ? last : null;
    }

    // ---------------------------------------------------------------- dates

    static OffsetDateTime dateTime(String value, String path) {
        if (value == null) return null;
        try {
            return OffsetDateTime.parse(value.trim(), DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new MessageRejectedException(RejectionReason.MAPPING_FAILED, path + " is not a date-time: " + value, e);
        }
    }

    /** The calendar date of an edi3 date-time, in its own offset. */
    static LocalDate date(String value, String path) {
        OffsetDateTime t = dateTime(value, path);
        return t == null ? null : t.toLocalDate();
    }

    static String format(OffsetDateTime value) {
        return value.truncatedTo(ChronoUnit.MILLIS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /** A dataset date as an edi3 date-time: midnight UTC of that date (edi3 has date-times only). */
    static String format(LocalDate value) {
        return format(value.atStartOfDay().atOffset(ZoneOffset.UTC));
    }

    // ---------------------------------------------------------------- goods

    /**
     * An edi3 {@code classCode} ({@code 2204.21}, {@code 2204.21.00}) as the dataset's classification: the first 6
     * digits (or 4, or 2) are the HS code; all the digits are the national code when there are more.
     */
    static ClassificationType classification(String classCode, String path) {
        if (classCode == null || classCode.isBlank()) return null;
        String digits = classCode.replaceAll("[.\\s-]", "");
        if (!digits.matches("[0-9]{2,}")) {
            throw new MessageRejectedException(RejectionReason.MAPPING_FAILED, path + " is not an HS code: " + classCode);
        }
        ClassificationType c = new ClassificationType();
        int hsLength = digits.length() >= 6 ? 6 : digits.length() >= 4 ? 4 : 2;
        c.setHsCode(digits.substring(0, hsLength));
        if (digits.length() > hsLength) c.setNationalCode(token64(digits, path));
        return c;
    }

    /** The dataset's classification as an edi3 {@code classCode}: 4 digits, a dot, 2 digits, a dot, the rest. */
    static String classCode(ClassificationType c) {
        String d = c.getNationalCode() != null ? c.getNationalCode() : c.getHsCode();
        if (d.length() <= 4) return d;
        return d.substring(0, 4) + "." + d.substring(4, Math.min(6, d.length())) + (d.length() > 6 ? "." + d.substring(6) : "");
    }

    /**
     * An edi3 {@code originCriteriaText} as the dataset's origin criterion. The text is kept whole; the code is the
     * text itself, except for "criterion + percentage" ({@code RVC 40%}), which gives code RVC and percent 40.
     */
    static OriginCriterionType originCriterion(String text, String path) {
        if (text == null || text.isBlank()) return null;
        OriginCriterionType oc = new OriginCriterionType();
        Matcher m = CRITERION_WITH_PERCENT.matcher(text);
        if (m.matches()) {
            oc.setCode(m.group(1).toUpperCase(java.util.Locale.ROOT));
            oc.setPercent(new BigDecimal(m.group(2).replace(',', '.')));
        } else {
            String collapsed = text.trim().replaceAll("\\s+", " ");
            oc.setCode(collapsed.length() <= 64 ? collapsed : collapsed.substring(0, 64).trim());
        }
        oc.setText(text2048(text, path));
        return oc;
    }

    /** The dataset's origin criterion as edi3 text: its Text, or its Code with the percentage. */
    static String originCriteriaText(OriginCriterionType oc) {
        if (oc == null) return null;
        if (oc.getText() != null && !oc.getText().isBlank()) return oc.getText();
        return oc.getCode() + (oc.getPercent() != null ? " " + oc.getPercent().stripTrailingZeros().toPlainString() + "%" : "");
    }
}
