package org.originhub.broker;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.originhub.config.OriginHubProperties;
import org.springframework.stereotype.Component;

/**
 * The durable queues of the exchange, derived from the configuration: each party's single-window outbox and inbox,
 * the hub's internal hops, one queue per partner, and a dead-letter queue for every queue a route reads.
 */
@Component
public class HubQueues {
    private final OriginHubProperties props;

    public HubQueues(OriginHubProperties props) {
        this.props = props;
    }

    /** Queues that a hub route consumes from: each gets a dead-letter queue. */
    public List<String> inputQueues() {
        Set<String> queues = new LinkedHashSet<>(outboxQueues());
        queues.add(props.queues().outbound());
        queues.add(props.queues().inbound());
        queues.add(props.queues().verified());
        props.partners().keySet().forEach(cc -> queues.add(props.queues().partnerQueue(cc)));
        return new ArrayList<>(queues);
    }

    /**
     * The single windows' outboxes. The broker keeps them exclusive (one consumer at a time, the others waiting), as the
     * intake learns which CO a document is about only when it has read it: with two consumers taking turns, a slow
     * document could be overtaken by the next one about the same CO. Every later queue groups by CO instead.
     */
    public List<String> outboxQueues() {
        List<String> queues = new ArrayList<>();
        props.parties().forEach((cc, party) -> queues.add(party.outboxQueue(cc)));
        return queues;
    }

    /** Queues that only the single windows read. */
    public List<String> deliveryQueues() {
        List<String> queues = new ArrayList<>();
        props.parties().forEach((cc, party) -> queues.add(party.inboxQueue(cc)));
        return queues;
    }

    public String deadLetterQueue(String input) {
        return props.queues().deadLetterQueue(input);
    }

    /** The dead-letter queue of every queue that a route or a single window reads. */
    public List<String> deadLetterQueues() {
        List<String> dlqs = new ArrayList<>();
        inputQueues().forEach(q -> dlqs.add(deadLetterQueue(q)));
        deliveryQueues().forEach(q -> dlqs.add(deadLetterQueue(q)));
        return dlqs;
    }

    /** Every queue the hub declares on its broker. */
    public List<String> all() {
        List<String> all = new ArrayList<>(inputQueues());
        all.addAll(deliveryQueues());
        all.addAll(deadLetterQueues());
        return all;
    }
}
