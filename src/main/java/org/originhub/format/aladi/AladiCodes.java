package org.originhub.format.aladi;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The translations between ALADI's free-text or national codes and the common dataset's code lists: units
 * (Rec 20), transport means (Rec 19), tariff item codes, origin criteria, agreement nomenclatures and the time zone
 * of a member country (a COD date-time may carry no offset). Each translation goes both ways where it can.
 */
final class AladiCodes {
    /** The ALADI member states, as the COD's {@code Countries} list names them. */
    static final Set<String> MEMBERS = Set.of("AR", "BO", "BR", "CL", "CO", "CU", "EC", "MX", "PA", "PY", "PE", "UY", "VE");

    // A COD date-time without offset is local time at the certifying entity; these zones give its offset.
    private static final Map<String, String> ZONES = Map.ofEntries(
            Map.entry("AR", "America/Argentina/Buenos_Aires"), Map.entry("BO", "America/La_Paz"),
            Map.entry("BR", "America/Sao_Paulo"), Map.entry("CL", "America/Santiago"), Map.entry("CO", "America/Bogota"),
            Map.entry("CU", "America/Havana"), Map.entry("EC", "America/Guayaquil"), Map.entry("MX", "America/Mexico_City"),
            Map.entry("PA", "America/Panama"), Map.entry("PY", "America/Asuncion"), Map.entry("PE", "America/Lima"),
            Map.entry("UY", "America/Montevideo"), Map.entry("VE", "America/Caracas"));

    // ALADI unit spellings seen on CODs → UN/ECE Rec 20; the reverse uses the first spelling of each code.
    private static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("KG", "KGM"), Map.entry("KGS", "KGM"), Map.entry("KGM", "KGM"), Map.entry("KILOGRAMO", "KGM"),
            Map.entry("KILOGRAMOS", "KGM"), Map.entry("TN", "TNE"), Map.entry("TNE", "TNE"), Map.entry("TON", "TNE"),
            Map.entry("TONELADAS", "TNE"), Map.entry("GR", "GRM"), Map.entry("GRM", "GRM"), Map.entry("G", "GRM"),
            Map.entry("LT", "LTR"), Map.entry("LTS", "LTR"), Map.entry("LTR", "LTR"), Map.entry("LITROS", "LTR"),
            Map.entry("M", "MTR"), Map.entry("MT", "MTR"), Map.entry("MTR", "MTR"), Map.entry("M2", "MTK"),
            Map.entry("MTK", "MTK"), Map.entry("M3", "MTQ"), Map.entry("MTQ", "MTQ"), Map.entry("UN", "H87"),
            Map.entry("U", "H87"), Map.entry("UNIDAD", "H87"), Map.entry("UNIDADES", "H87"), Map.entry("H87", "H87"),
            Map.entry("C62", "C62"), Map.entry("PAR", "PR"), Map.entry("PARES", "PR"), Map.entry("PR", "PR"),
            Map.entry("DOC", "DZN"), Map.entry("DOCENA", "DZN"), Map.entry("DZN", "DZN"));
    private static final Map<String, String> UNITS_BACK = Map.of("KGM", "KG", "TNE", "TN", "GRM", "GR", "LTR", "LT",
            "MTR", "M", "MTK", "M2", "MTQ", "M3", "H87", "UN", "PR", "PAR", "DZN", "DOC");
    private static final Set<String> WEIGHT_UNITS = Set.of("KGM", "TNE", "GRM");

    private static final String[] MODE_WORDS = {null, "MARITIMO", "FERROVIARIO", "CARRETERO", "AEREO", "POSTAL",
            "MULTIMODAL", "INSTALACION FIJA", "FLUVIAL"};

    private static final Pattern ARTICLE = Pattern.compile(
            "ART(?:[IÍ]CULO|\\.)?\\s*(\\d+)\\s*[,º°.]*\\s*(?:LITERAL|INCISO|LETRA)?\\s*\\(?([A-Z])\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern SHORT_CODE = Pattern.compile("\\b(WO|PE|CTH|CTSH|CC|RVC|VCR|PSR)\\b");
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3}(?:[.,]\\d+)?)\\s*%");

    private AladiCodes() {
    }

    /** A COD date-time (with or without offset) as an offset date-time; no offset means local time in {@code country}. */
    static OffsetDateTime dateTime(String text, String country) {
        if (text.matches(".*(Z|[+-]\\d\\d:\\d\\d)$")) {
            return OffsetDateTime.parse(text);
        }
        ZoneId zone = ZoneId.of(ZONES.getOrDefault(country, "America/Montevideo"));
        return LocalDateTime.parse(text).atZone(zone).toOffsetDateTime();
    }

    /** Rec 20 code of an ALADI unit, or the unit as written (upper case) when it has no known equivalent. */
    static String rec20Unit(String aladiUnit) {
        String u = aladiUnit.trim().toUpperCase(Locale.ROOT);
        return UNITS.getOrDefault(u, u);
    }

    /** The usual ALADI spelling of a Rec 20 unit, or the code itself. */
    static String aladiUnit(String rec20) {
        return rec20 == null ? null : UNITS_BACK.getOrDefault(rec20, rec20);
    }

    /** ALADI's "peso o cantidad" is a net weight when its unit is a mass unit, otherwise a quantity. */
    static boolean isWeight(String rec20) {
        return WEIGHT_UNITS.contains(rec20);
    }

    /** Rec 19 mode for the free text of {@code TransportMeans}, or null when the words name no mode. */
    static String transportMode(String means) {
        String m = means.toUpperCase(Locale.ROOT).replace('Í', 'I').replace('É', 'E').replace('Á', 'A');
        if (m.matches(".*(MARIT|BUQUE|BARCO|NAVIO|VESSEL|SEA).*")) return "1";
        if (m.matches(".*(FERRO|TREN|RAIL).*")) return "2";
        if (m.matches(".*(AERE|AVION|AIR).*")) return "4";
        if (m.matches(".*(TERRESTRE|CARRET|CAMION|RODOV|ROAD|TRUCK).*")) return "3";
        if (m.matches(".*(POSTAL|CORREO|MAIL).*")) return "5";
        if (m.matches(".*MULTIMODAL.*")) return "6";
        if (m.matches(".*(DUCTO|INSTALACION FIJA).*")) return "7";
        if (m.matches(".*(FLUVIAL|HIDROVIA|LACUSTRE|RIVER).*")) return "8";
        return null;
    }

    /** The Spanish word ALADI forms use for a Rec 19 mode, or null. */
    static String transportWord(String mode) {
        if (mode == null || !mode.matches("[1-8]")) return null;
        return MODE_WORDS[Integer.parseInt(mode)];
    }

    /** The nomenclature a form's item codes follow: NCM in the MERCOSUR agreements 14 and 18, NALADISA otherwise. */
    static String nomenclature(String acronym) {
        return "A14".equals(acronym) || "A18".equals(acronym) ? "NCM" : "NALADISA";
    }

    /**
     * The short code of an ALADI origin rule text: a WCO-style code when the text names one (WO, PE, CTH, RVC...),
     * else the article and letter ("Art. 3 a)"), else the text itself cut to 64 characters.
     */
    static String originCode(String rule) {
        Matcher s = SHORT_CODE.matcher(rule.toUpperCase(Locale.ROOT));
        if (s.find()) {
            return "VCR".equals(s.group(1)) ? "RVC" : s.group(1);
        }
        Matcher a = ARTICLE.matcher(rule);
        if (a.find()) {
            return "Art. " + a.group(1) + " " + a.group(2).toLowerCase(Locale.ROOT) + ")";
        }
        String t = rule.trim().replaceAll("\\s+", " ");
        return t.length() > 64 ? t.substring(0, 64).trim() : t;
    }

    /** The regional value content percentage written in an origin rule, if any. */
    static BigDecimal originPercent(String rule) {
        Matcher m = PERCENT.matcher(rule);
        return m.find() ? new BigDecimal(m.group(1).replace(',', '.')) : null;
    }

    /**
     * Writes the digits of a tariff item in the first ALADI layout that the form's pattern accepts (the schemas
     * differ per form and version); when none fits the digits as they are, pads them with zeros to a longer layout
     * (an unsubdivided NALADISA/NCM item ends in 00). Null when no layout fits at all.
     */
    static String itemCode(String digits, String xsdPattern) {
        List<String> candidates = new ArrayList<>();
        for (String d : new String[] {digits, pad(digits, 8), pad(digits, 10), pad(digits, 12)}) {
            if (d == null) continue;
            switch (d.length()) {
                case 6 -> candidates.add(d.substring(0, 4) + "." + d.substring(4));
                case 7 -> {
                    candidates.add(d.substring(0, 2) + "." + d.substring(2, 4) + "." + d.charAt(4) + "." + d.substring(5));
                    candidates.add(d.substring(0, 4) + "." + d.charAt(4) + "." + d.substring(5));
                }
                case 8 -> candidates.add(d.substring(0, 4) + "." + d.substring(4, 6) + "." + d.substring(6));
                case 10 -> candidates.add(d.substring(0, 4) + "." + d.substring(4, 6) + "." + d.substring(6, 8) + "." + d.substring(8));
                case 12 -> candidates.add(d.substring(0, 4) + "." + d.substring(4, 6) + "." + d.substring(6, 8) + "." + d.substring(8));
                default -> { }
            }
        }
        for (String c : candidates) {
            if (xsdPattern == null || Pattern.matches(xsdPattern, c)) return c;
        }
        return null;
    }

    private static String pad(String digits, int length) {
        return digits.length() < length ? digits + "0".repeat(length - digits.length()) : null;
    }
}
