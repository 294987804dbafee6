package org.originhub.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The header rules at the trust boundaries, as pure logic. */
class TrustBoundaryTest {
    final CamelContext camel = new DefaultCamelContext();
    final TrustBoundary boundary = new TrustBoundary();

    @Test
    void entryKeepsOnlyWhatTheBrokerVouchesFor() {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setHeader("JMSMessageID", "ID:1");
        e.getMessage().setHeader(HubHeaders.AUTHENTICATED_ACCOUNT, "partner-br");
        e.getMessage().setHeader("JMSXDeliveryCount", 2);
        e.getMessage().setHeader("OriginHubDuplicate", "true");
        e.getMessage().setHeader("ORIGINHUBPARTY", "BR");
        e.getMessage().setHeader("CAMELJMSDESTINATIONNAME", "AR.sw.inbox");
        e.getMessage().setHeader("custom", "x");
        boundary.enter(e);
        assertThat(e.getMessage().getHeaders()).containsOnlyKeys("JMSMessageID", HubHeaders.AUTHENTICATED_ACCOUNT, "JMSXDeliveryCount");
    }

    @Test
    void singleWindowsAndPartnersGetOnlyDocumentedHeaders() {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setHeader(HubHeaders.MESSAGE_ID, "m");
        e.getMessage().setHeader(HubHeaders.FORMAT, "ccd");
        e.getMessage().setHeader(HubHeaders.IDEMPOTENCY_KEY, "BR:m");
        e.getMessage().setHeader(HubHeaders.PARTNER_QUEUE, "partner.BR.out");
        e.getMessage().setHeader(HubHeaders.AUTHENTICATED_ACCOUNT, "partner-br");
        boundary.toSingleWindow(e);
        assertThat(e.getMessage().getHeaders()).containsOnlyKeys(HubHeaders.MESSAGE_ID, HubHeaders.FORMAT);

        e.getMessage().setHeader(HubHeaders.SIGNER, "CN=x");
        e.getMessage().setHeader(HubHeaders.DUPLICATE_ID, "m");
        boundary.toPartner(e.getMessage());
        assertThat(e.getMessage().getHeaders()).containsOnlyKeys(HubHeaders.MESSAGE_ID, HubHeaders.DUPLICATE_ID);
    }

    @Test
    void quarantineRemovesTheHubsNameSpacesInAnyCaseButKeepsTheSendersOwnProperties() {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setHeader("originhubMessageId", "forged");
        e.getMessage().setHeader("_AMQ_DUPL_ID", "x");
        e.getMessage().setHeader("cAmElJmsDestinationName", "q");
        e.getMessage().setHeader(HubHeaders.AUTHENTICATED_ACCOUNT, "sw-ar");
        e.getMessage().setHeader("testCase", "t");
        boundary.quarantine(e.getMessage());
        assertThat(e.getMessage().getHeaders()).containsOnlyKeys(HubHeaders.AUTHENTICATED_ACCOUNT, "testCase");
    }

    @Test
    void camelControlHeadersAreFilteredInAnyCaseInBothDirections() {
        JmsHeaderFilter filter = new JmsHeaderFilter();
        Exchange e = new DefaultExchange(camel);
        for (String name : new String[] {"CamelJmsDestinationName", "CAMELJMSDESTINATIONNAME", "cAmeLJmsDestinationName",
                "org.apache.camel.x", "ORG.APACHE.CAMEL.X"}) {
            assertThat(filter.applyFilterToExternalHeaders(name, "q", e)).as("in: %s", name).isTrue();
            assertThat(filter.applyFilterToCamelHeaders(name, "q", e)).as("out: %s", name).isTrue();
        }
        assertThat(filter.applyFilterToExternalHeaders("OriginHubMessageId", "m", e)).isFalse();
        assertThat(filter.applyFilterToCamelHeaders("OriginHubMessageId", "m", e)).isFalse();
    }
}
