package org.originhub.routing;

import org.originhub.config.OriginHubProperties;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.springframework.stereotype.Component;

/** Picks the partner for a receiver country, and its queue; a receiver with no (enabled) partner is a permanent fault. */
@Component
public class PartnerDirectory {
    private final OriginHubProperties props;

    public PartnerDirectory(OriginHubProperties props) {
        this.props = props;
    }

    public OriginHubProperties.Partner require(String receiverCountry) {
        OriginHubProperties.Partner partner = receiverCountry == null ? null : props.partners().get(receiverCountry);
        if (partner == null) {
            throw new MessageRejectedException(RejectionReason.UNKNOWN_PARTNER,
                    "no partner is configured for receiver country " + receiverCountry
                            + " (configured: " + props.partners().keySet() + ")");
        }
        if (!partner.enabled()) {
            throw new MessageRejectedException(RejectionReason.UNKNOWN_PARTNER,
                    "the partner for receiver country " + receiverCountry + " is disabled (originhub.partners."
                            + receiverCountry + ".enabled=false)");
        }
        return partner;
    }

    public String queueFor(String receiverCountry) {
        require(receiverCountry);
        return props.queues().partnerQueue(receiverCountry);
    }
}
