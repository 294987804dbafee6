package org.originhub.broker;

import java.util.Map;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
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
        config.registerBrokerPlugin(MessageSizeLimit.of(props.limits().maxMessageBytes(), broker.hubUser())); // oversize messages refused at send, every protocol

        HubBrokerLayout layout = new HubBrokerLayout(props, queues);
        config.addAddressSetting("#", layout.defaults());
        layout.addressSettings().forEach(config::addAddressSetting);
        layout.queueConfigurations().forEach(config::addQueueConfiguration);
        layout.securityRoles(true).forEach(config::putSecurityRoles);

        SecurityConfiguration security = new SecurityConfiguration();
        security.addUser(broker.hubUser(), broker.hubPassword());
        security.addRole(broker.hubUser(), layout.roleOf(broker.hubUser()));
        for (Map.Entry<String, Account> e : broker.accounts().entrySet()) {
            security.addUser(e.getKey(), e.getValue().password());
            security.addRole(e.getKey(), layout.roleOf(e.getKey()));
        }
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
}
