package org.originhub.exchange;

import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.component.jms.JmsHeaderFilterStrategy;

/**
 * The header filter of every Camel JMS endpoint of the hub: Camel's own JMS filter, made case-insensitive for
 * Camel's control headers.
 *
 * <p>Why: Camel's message headers are a case-insensitive map, but its JMS filter drops only properties whose names
 * start with {@code Camel}/{@code camel} exactly. A property named {@code CAMELJMSDESTINATIONNAME} or
 * {@code cAmeLJmsDestinationName} set by a single window or a partner passed the filter and was then obeyed by the
 * JMS producer as {@code CamelJmsDestinationName}, sending the message past every check straight to any queue. Here
 * any name starting with {@code camel} or {@code org.apache.camel}, in any case, is dropped in both directions.
 */
public class JmsHeaderFilter extends JmsHeaderFilterStrategy {

    public JmsHeaderFilter() {
        super(false);
    }

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return isCamelControlHeader(headerName) || super.applyFilterToCamelHeaders(headerName, headerValue, exchange);
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return isCamelControlHeader(headerName) || super.applyFilterToExternalHeaders(headerName, headerValue, exchange);
    }

    /** Whether a header name is one of Camel's control headers, whatever its case. */
    public static boolean isCamelControlHeader(String name) {
        if (name == null) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        // JMS property names cannot hold '.', so Camel's binding may also have encoded them with '_DOT_'/'_HYPHEN_'.
        return lower.startsWith("camel") || lower.startsWith("org.apache.camel") || lower.startsWith("org_dot_apache_dot_camel");
    }
}
