package org.originhub.format;

import java.util.Map;

/**
 * What a format knows about the party it works for: the party's country and the format options from
 * {@code originhub.parties.<CC>.format-options} (for instance the ALADI COD version to render).
 */
public record FormatContext(String party, Map<String, String> options) {
    public FormatContext {
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    public static FormatContext of(String party) {
        return new FormatContext(party, Map.of());
    }

    public String option(String key, String defaultValue) {
        return options.getOrDefault(key, defaultValue);
    }
}
