package org.originhub.dataset;

import jakarta.xml.bind.annotation.adapters.XmlAdapter;
import java.time.LocalDate;

/** Binds xs:date of the exchange envelope to {@link LocalDate}; a zone suffix, allowed by xs:date, is ignored. */
public class LocalDateAdapter extends XmlAdapter<String, LocalDate> {
    @Override
    public LocalDate unmarshal(String value) {
        if (value == null) return null;
        String v = value.trim();
        // xs:date may carry a zone ("2025-01-31Z", "2025-01-31-03:00"); the calendar date is what matters.
        return LocalDate.parse(v.length() > 10 ? v.substring(0, 10) : v);
    }

    @Override
    public String marshal(LocalDate value) {
        return value == null ? null : value.toString();
    }
}
