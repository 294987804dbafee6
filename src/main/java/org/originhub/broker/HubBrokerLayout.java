package org.originhub.broker;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.originhub.config.OriginHubProperties;
import org.originhub.config.OriginHubProperties.Account;

/**
 * What the hub needs of its broker, whichever broker it is: its durable queues (the single windows' outboxes
 * exclusive), the address settings of each (redelivery back-off, dead-lettering to {@code DLQ.<queue>}, paging) and who
 * may do what on each (the hub everything; a partner's account only send to the inbound address; a single window only
 * send to its outbox and read its inbox). The embedded broker is configured from it ({@link EmbeddedBrokerConfiguration});
 * an external broker is given it through its management API at start-up ({@link ExternalBrokerProvisioning}).
 */
public final class HubBrokerLayout {
    static final String ROLE_HUB = "hub";
    static final String ROLE_PARTNER_PREFIX = "partner-account-";
    static final String ROLE_SW_PREFIX = "single-window-";

    private final OriginHubProperties props;
    private final HubQueues queues;

    public HubBrokerLayout(OriginHubProperties props, HubQueues queues) {
        this.props = props;
        this.queues = queues;
    }

    /** The settings of any address the hub uses: anycast, redelivery with back-off, paging instead of refusing. */
    public AddressSettings defaults() {
        return new AddressSettings()
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                .setDefaultAddressRoutingType(RoutingType.ANYCAST)
                .setDefaultQueueRoutingType(RoutingType.ANYCAST)
                .setMaxDeliveryAttempts(props.broker().maxDeliveryAttempts())
                .setRedeliveryDelay(props.broker().redeliveryDelay().toMillis())
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(props.broker().maxRedeliveryDelay().toMillis())
                .setMaxSizeBytes(-1)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE);
    }

    /**
     * Address settings by exact queue name: a queue a route or a single window reads dead-letters what the broker gives
     * up on (attempts, expiry) to {@code DLQ.<queue>}; dead letters stay until an operator acts (never redelivered
     * elsewhere, never expired).
     * <p>
     * A queue the hub's routes read has no broker redelivery delay: a message whose hop rolled back goes back to the
     * head of its queue at once, and the hub's consumer holds it for the back-off
     * ({@code exchange.HopListenerContainer}). A delay at the broker would set the message aside and let the next message
     * about the same CO pass it (per-CO order). The single windows' inboxes keep the broker's back-off for their readers.
     */
    public Map<String, AddressSettings> addressSettings() {
        AddressSettings defaults = defaults();
        Map<String, AddressSettings> settings = new LinkedHashMap<>();
        for (String queue : queues.inputQueues()) {
            AddressSettings s = deadLetteringTo(defaults, queues.deadLetterQueue(queue), props.broker().maxDeliveryAttempts());
            s.setRedeliveryDelay(0L);
            settings.put(queue, s);
        }
        for (String queue : queues.deliveryQueues()) {
            settings.put(queue, deadLetteringTo(defaults, queues.deadLetterQueue(queue), props.broker().maxDeliveryAttempts()));
        }
        for (String dlq : queues.deadLetterQueues()) {
            settings.put(dlq, deadLetteringTo(defaults, dlq, -1));
        }
        return settings;
    }

    /** Every queue the hub declares: durable, anycast, one address each; an outbox exclusive (per-CO order, HubQueues). */
    public List<QueueConfiguration> queueConfigurations() {
        List<String> outboxes = queues.outboxQueues();
        List<QueueConfiguration> configurations = new ArrayList<>();
        for (String q : queues.all()) {
            configurations.add(QueueConfiguration.of(q).setAddress(q).setRoutingType(RoutingType.ANYCAST).setDurable(true)
                    .setExclusive(outboxes.contains(q)));
        }
        return configurations;
    }

    /**
     * Who may do what, by exact address; {@code everythingElse} is the match for all other addresses ({@code #} on the
     * embedded broker, where the hub is alone; left out for an external broker, whose operator owns {@code #}).
     */
    public Map<String, Set<Role>> securityRoles(boolean everythingElse) {
        Map<String, Set<Role>> roles = new LinkedHashMap<>();
        if (everythingElse) {
            roles.put("#", Set.of(hubRole()));
        } else {
            queues.all().forEach(q -> roles.put(q, Set.of(hubRole())));
        }
        // Each partner account has a role of its own, so the broker's settings and audit log tell partners apart.
        Set<Role> inboundRoles = new HashSet<>(Set.of(hubRole()));
        for (Map.Entry<String, Account> e : props.broker().accounts().entrySet()) {
            if (e.getValue().role() == OriginHubProperties.AccountRole.PARTNER) {
                // A partner may only send to the inbound address (and nothing else, not even read it back).
                inboundRoles.add(sendOnly(ROLE_PARTNER_PREFIX + e.getKey()));
            }
        }
        roles.put(props.queues().inbound(), inboundRoles);
        props.parties().forEach((cc, party) -> {
            roles.put(party.outboxQueue(cc), Set.of(hubRole(), sendOnly(ROLE_SW_PREFIX + cc)));
            roles.put(party.inboxQueue(cc), Set.of(hubRole(), consumeAndBrowse(ROLE_SW_PREFIX + cc)));
        });
        return roles;
    }

    /** The broker role of an account: what its user is given in the broker's role file, or by the embedded broker. */
    public String roleOf(String account) {
        if (account.equals(props.broker().hubUser())) {
            return ROLE_HUB;
        }
        Account a = props.broker().accounts().get(account);
        if (a == null) {
            throw new IllegalArgumentException("no broker account " + account);
        }
        return switch (a.role()) {
            case PARTNER -> ROLE_PARTNER_PREFIX + account;
            case SINGLE_WINDOW -> ROLE_SW_PREFIX + a.party();
        };
    }

    static AddressSettings deadLetteringTo(AddressSettings defaults, String deadLetterQueue, int maxDeliveryAttempts) {
        AddressSettings settings = new AddressSettings();
        settings.merge(defaults);
        settings.setMaxDeliveryAttempts(maxDeliveryAttempts);
        settings.setDeadLetterAddress(SimpleString.of(deadLetterQueue));
        settings.setExpiryAddress(SimpleString.of(deadLetterQueue));
        return settings;
    }

    static Role hubRole() {
        // send, consume, createDurableQueue, deleteDurableQueue, createNonDurableQueue, deleteNonDurableQueue, manage,
        // browse, createAddress, deleteAddress, view, edit
        return new Role(ROLE_HUB, true, true, true, true, true, true, true, true, true, true, true, true);
    }

    private static Role sendOnly(String role) {
        return new Role(role, true, false, false, false, false, false, false, false, false, false, false, false);
    }

    private static Role consumeAndBrowse(String role) {
        return new Role(role, false, true, false, false, false, false, false, true, false, false, false, false);
    }
}
