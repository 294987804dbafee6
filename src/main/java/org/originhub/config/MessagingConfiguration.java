package org.originhub.config;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.component.jms.MessageListenerContainerFactory;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.exchange.HopListenerContainer;
import org.originhub.exchange.JmsHeaderFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.connection.JmsTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The local JMS transaction every hop runs in: the consumed message and everything the route sends to the hub's
 * own broker commit together, so a crash leaves the message where it was. The transaction is the listener's own
 * session ({@code camel.component.jms.transacted} without a transaction manager, application.yml), which the listener
 * exposes to the hop's sends ({@code expose-listener-session}); the routes' {@code transacted} step, through the policy
 * below, joins it. If the session were not exposed, this manager would open a session of its own for the step and the
 * hop would commit twice; if the listener were given this manager, the same. {@code exchange.OneTransactionPerHopTest}
 * checks at the broker that each hop's sends and its receive are one broker transaction.
 */
@Configuration(proxyBeanMethods = false)
public class MessagingConfiguration {

    @Bean
    public PlatformTransactionManager jmsTransactionManager(ConnectionFactory connectionFactory) {
        return new JmsTransactionManager(connectionFactory);
    }

    /** The policy the routes' {@code transacted} step uses (looked up by this name). */
    @Bean("PROPAGATION_REQUIRED")
    public SpringTransactionPolicy propagationRequired(PlatformTransactionManager jmsTransactionManager) {
        SpringTransactionPolicy policy = new SpringTransactionPolicy(jmsTransactionManager);
        policy.setPropagationBehaviorName("PROPAGATION_REQUIRED");
        return policy;
    }

    /**
     * The listener containers of the {@code jms} component (application.yml, {@code consumer-type: Custom}): Camel's
     * own, running each hop in a {@link org.originhub.exchange.HopTransaction} so after-commit work follows the
     * session's real commit, and holding a message whose hop rolled back for the redelivery back-off.
     */
    @Bean
    public MessageListenerContainerFactory hopListenerContainers(OriginHubProperties props) {
        return endpoint -> new HopListenerContainer(endpoint, props.broker()::redeliveryDelayAfter);
    }

    /**
     * The header filter of the {@code jms} component (application.yml; Camel Spring Boot applies it to every JmsComponent):
     * Camel's control headers are dropped in any letter case.
     */
    @Bean
    public JmsHeaderFilter hubHeaderFilterStrategy() {
        return new JmsHeaderFilter();
    }

    @Bean
    public EnvelopeCodec envelopeCodec() {
        return new EnvelopeCodec();
    }
}
