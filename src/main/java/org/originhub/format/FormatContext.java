package org.originhub.format;

import java.util.Map;
import org.originhub.signature.SigningKey;

/**
 * What a format knows about the party it works for: the party's country, the format options from
 * {@code originhub.parties.<CC>.format-options} (for instance the ALADI COD version to render), and the party's
 * signing key, for national formats whose schema requires signatures inside the rendered document, and where to
 * report values a rendering had to default because the common dataset did not have them.
 */
public record FormatContext(String party, Map<String, String> options, SigningKey signingKey,
                            java.util.function.Consumer<String> warnings) {
    public FormatContext {
        options = options == null ? Map.of() : Map.copyOf(options);
        warnings = warnings == null ? w -> { } : warnings;
    }

    public FormatContext(String party, Map<String, String> options, SigningKey signingKey) {
        this(party, options, signingKey, null);
    }

    /** The same context, reporting what a rendering had to default (for an AcceptedWithWarnings acknowledgement). */
    public FormatContext withWarnings(java.util.function.Consumer<String> sink) {
        return new FormatContext(party, options, signingKey, sink);
    }

    public static FormatContext of(String party) {
        return new FormatContext(party, Map.of(), null);
    }

    public String option(String key, String defaultValue) {
        return options.getOrDefault(key, defaultValue);
    }
}
