package org.originhub.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.originhub.config.AccountBindings;
import org.originhub.config.OriginHubProperties;
import org.originhub.config.OriginHubProperties.Account;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The hub's own ActiveMQ Artemis broker, embedded in the process by default: an in-VM acceptor for the hub, a CORE
 * acceptor for single windows and operators' tools, an AMQP 1.0 acceptor for partners. Authentication is always on:
 * the hub's account may do everything, each partner's account (a role of its own) may only send to the inbound
 * address, a single window's account may only send to its outbox and read its inbox; the broker stamps the
 * authenticated account on what outsiders send ({@link AuthenticatedSender}). Each queue a route reads dead-letters to {@code DLQ.<queue>}
 * once the broker gives up on it.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "originhub.broker", name = "embedded", havingValue = "true", matchIfMissing = true)
public class EmbeddedBrokerConfiguration {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBrokerConfiguration.class);

    static final String ROLE_HUB = "hub";
    static final String ROLE_PARTNER_PREFIX = "partner-account-";
    static final String ROLE_SW_PREFIX = "single-window-";

    /** {@code accounts} is taken so that the accounts' bindings are validated before the broker opens. */
    @Bean(initMethod = "start", destroyMethod = "stop")
    public EmbeddedActiveMQ embeddedBroker(OriginHubProperties props, HubQueues queues, AccountBindings accounts) throws Exception {
        OriginHubProperties.Broker broker = props.broker();
        if (broker.hubPassword() == null || broker.hubPassword().isBlank()) {
            throw new IllegalStateException("originhub.broker.hub-password is not set (set ORIGINHUB_BROKER_PASSWORD)");
        }
        Configuration config = new ConfigurationImpl();
        config.setName(broker.name());
        config.setPersistenceEnabled(broker.persistent());
        config.setJournalDirectory(broker.dataDirectory() + "/journal");
        config.setBindingsDirectory(broker.dataDirectory() + "/bindings");
        config.setLargeMessagesDirectory(broker.dataDirectory() + "/large-messages");
        config.setPagingDirectory(broker.dataDirectory() + "/paging");
        config.setNodeManagerLockDirectory(broker.dataDirectory());
        config.setSecurityEnabled(true);
        config.setJMXManagementEnabled(true);
        config.setJMXUseBrokerName(true);
        // Duplicate detection by _AMQ_DUPL_ID (the messageId) must survive restarts: it is what makes a resend harmless.
        config.setPersistIDCache(true);
        config.setIDCacheSize(100_000);
        // A delivery a crash interrupted comes back flagged as redelivered: the intake tells such a retry of its own
        // rolled-back hop from a single window sending a messageId again (SingleWindowIntake).
        config.setPersistDeliveryCountBeforeDelivery(true);
        config.addAcceptorConfiguration("in-vm", "vm://" + broker.inVmId());
        config.addAcceptorConfiguration("core", "tcp://" + broker.host() + ":" + broker.corePort() + "?protocols=CORE");
        config.addAcceptorConfiguration("amqp", amqpAcceptor(broker));
        config.registerBrokerPlugin(MessageSizeLimit.of(props)); // oversize messages refused at send, every protocol

        AddressSettings defaults = new AddressSettings()
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                .setDefaultAddressRoutingType(RoutingType.ANYCAST)
                .setDefaultQueueRoutingType(RoutingType.ANYCAST)
                .setMaxDeliveryAttempts(broker.maxDeliveryAttempts())
                .setRedeliveryDelay(1000)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(60_000)
                .setMaxSizeBytes(-1)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE);
        config.addAddressSetting("#", defaults);
        // A queue a route or a single window reads: what the broker gives up on (attempts, expiry) goes to DLQ.<queue>.
        List<String> read = new ArrayList<>(queues.inputQueues());
        read.addAll(queues.deliveryQueues());
        for (String queue : read) {
            config.addAddressSetting(queue, deadLetteringTo(defaults, queues.deadLetterQueue(queue), broker.maxDeliveryAttempts()));
        }
        // Dead letters stay until an operator acts: never redelivered elsewhere, never expired.
        for (String dlq : queues.deadLetterQueues()) {
            config.addAddressSetting(dlq, deadLetteringTo(defaults, dlq, -1));
        }
        List<String> outboxes = queues.outboxQueues();
        for (String q : queues.all()) {
            // Per-CO order at the intake: an outbox is read by one consumer at a time, of any number (HubQueues).
            config.addQueueConfiguration(QueueConfiguration.of(q).setAddress(q).setRoutingType(RoutingType.ANYCAST).setDurable(true)
                    .setExclusive(outboxes.contains(q)));
        }

        SecurityConfiguration security = new SecurityConfiguration();
        security.addUser(broker.hubUser(), broker.hubPassword());
        security.addRole(broker.hubUser(), ROLE_HUB);
        // Each partner account has a role of its own, so the broker's settings and audit log tell partners apart.
        Set<Role> inboundRoles = new java.util.HashSet<>(Set.of(hubRole()));
        for (Map.Entry<String, Account> e : broker.accounts().entrySet()) {
            Account account = e.getValue();
            security.addUser(e.getKey(), account.password());
            switch (account.role()) {
                case PARTNER -> {
                    String role = ROLE_PARTNER_PREFIX + e.getKey();
                    security.addRole(e.getKey(), role);
                    // A partner may only send to the inbound address (and nothing else, not even read it back).
                    inboundRoles.add(new Role(role, true, false, false, false, false, false, false, false, false, false, false, false));
                }
                case SINGLE_WINDOW -> security.addRole(e.getKey(), ROLE_SW_PREFIX + account.party());
            }
        }
        config.putSecurityRoles("#", Set.of(hubRole()));
        config.putSecurityRoles(props.queues().inbound(), inboundRoles);
        props.parties().forEach((cc, party) -> {
            Role swSend = new Role(ROLE_SW_PREFIX + cc, true, false, false, false, false, false, false, false, false, false, false, false);
            Role swRead = new Role(ROLE_SW_PREFIX + cc, false, true, false, false, false, false, false, true, false, false, false, false);
            config.putSecurityRoles(party.outboxQueue(cc), Set.of(hubRole(), swSend));
            config.putSecurityRoles(party.inboxQueue(cc), Set.of(hubRole(), swRead));
        });
        // Identity from authentication: the broker stamps the sending account on what outsiders send, and scopes
        // their duplicate-detection ids by it.
        config.registerBrokerPlugin(new AuthenticatedSender(broker.hubUser()));

        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        server.setConfiguration(config);
        server.setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), security));
        log.info("Embedded broker: CORE tcp://{}:{}, AMQP tcp://{}:{} ({}), journal under {}", broker.host(), broker.corePort(),
                broker.host(), broker.amqpPort(), broker.amqpTls().enabled() ? (broker.amqpTls().clientAuth() ? "mutual TLS" : "TLS")
                        : "no TLS", broker.dataDirectory());
        return server;
    }

    /** The partners' AMQP acceptor: plain, TLS, or mutual TLS ({@code originhub.broker.amqp-tls}). */
    static String amqpAcceptor(OriginHubProperties.Broker broker) {
        // maxFrameSize: largest AMQP frame the broker reads into memory (Artemis' default, stated so it stays bounded).
        String uri = "tcp://" + broker.host() + ":" + broker.amqpPort() + "?protocols=AMQP;maxFrameSize=131072";
        OriginHubProperties.AmqpTls tls = broker.amqpTls();
        if (!tls.enabled()) {
            return uri;
        }
        if (tls.keystore() == null || tls.keystore().isBlank() || tls.keystorePassword() == null) {
            throw new IllegalStateException("originhub.broker.amqp-tls.keystore and .keystore-password are required when TLS is enabled");
        }
        uri += ";sslEnabled=true;keyStoreType=PKCS12;keyStorePath=" + tls.keystore() + ";keyStorePassword=" + tls.keystorePassword();
        if (tls.clientAuth()) {
            if (tls.truststore() == null || tls.truststore().isBlank() || tls.truststorePassword() == null) {
                throw new IllegalStateException("originhub.broker.amqp-tls.truststore and .truststore-password are required for client-auth");
            }
            uri += ";needClientAuth=true;trustStoreType=PKCS12;trustStorePath=" + tls.truststore()
                    + ";trustStorePassword=" + tls.truststorePassword();
        }
        return uri;
    }

    private static AddressSettings deadLetteringTo(AddressSettings defaults, String deadLetterQueue, int maxDeliveryAttempts) {
        AddressSettings settings = new AddressSettings();
        settings.merge(defaults);
        settings.setMaxDeliveryAttempts(maxDeliveryAttempts);
        settings.setDeadLetterAddress(SimpleString.of(deadLetterQueue));
        settings.setExpiryAddress(SimpleString.of(deadLetterQueue));
        return settings;
    }

    private static Role hubRole() {
        // send, consume, createDurableQueue, deleteDurableQueue, createNonDurableQueue, deleteNonDurableQueue, manage,
        // browse, createAddress, deleteAddress, update, view
        return new Role(ROLE_HUB, true, true, true, true, true, true, true, true, true, true, true, true);
    }
}
