package org.originhub.inbound;

import java.time.Clock;
import org.originhub.config.OriginHubProperties;
import org.originhub.signature.EnvelopeVerifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Beans of the inbound flow: the signature verifier with the hub's freshness limits, and the duplicate check's
 * messageId memory in the hub's database with its time-based purge.
 */
@Configuration(proxyBeanMethods = false)
public class InboundConfiguration {

    @Bean
    public EnvelopeVerifier envelopeVerifier(OriginHubProperties props) {
        OriginHubProperties.Inbound inbound = props.inbound();
        return new EnvelopeVerifier(Clock.systemUTC(), EnvelopeVerifier.DEFAULT_MAX_CLOCK_SKEW,
                inbound.maxMessageAge(), inbound.certificateGrace());
    }

    /**
     * Sender and messageId of every partner message delivered within the message age window: a replay (even after a
     * restart, or to another hub process on the same database) is acknowledged again but not delivered again.
     */
    @Bean("inboundMessageIds")
    public InboundMessageIds inboundMessageIds(JdbcTemplate jdbc) {
        return new InboundMessageIds(jdbc, Clock.systemUTC());
    }

    @Bean
    public InboundMessageIdRetention inboundMessageIdRetention(InboundMessageIds ids, OriginHubProperties props) {
        return new InboundMessageIdRetention(ids, props.inbound().maxMessageAge(), Clock.systemUTC());
    }
}
