package org.originhub.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.activemq.artemis.core.config.FileDeploymentManager;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.originhub.OriginHubApplication;
import org.originhub.support.HubProperties;
import org.originhub.support.PartnerBroker;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A hub on an external broker ({@code originhub.broker.embedded=false}), against a real Artemis running the
 * repository's {@code config/artemis/broker.xml} (parsed by Artemis itself; only its acceptor is moved to a free
 * loopback port and its journal to a temporary folder):
 * <ul>
 * <li>without the hub's broker plugins (the broker would not stamp the authenticated account: any partner could claim
 * any identity) or without persisted delivery counts, the hub refuses to start and names what is missing;</li>
 * <li>with them, the hub declares its queues (the outboxes exclusive), their dead-letter queues and the rights on
 * them: a partner's account may send to {@code hub.inbound} but not read it, nor send to the hub's internal queues; a
 * single window may not read another party's inbox.</li>
 * </ul>
 */
class ExternalBrokerProvisioningTest {
    static final String HUB_PASSWORD = HubProperties.HUB_PASSWORD;
    EmbeddedActiveMQ broker;
    ConfigurableApplicationContext hub;
    final int corePort = PartnerBroker.freePort();

    @AfterEach
    void stop() throws Exception {
        if (hub != null) hub.close();
        if (broker != null) broker.stop();
    }

    @Test
    void aBrokerWithoutTheHubsPluginsOrPersistedDeliveryCountsIsRefusedByName() throws Exception {
        broker = startBroker(config -> {
            config.getBrokerPlugins().clear();
            config.setPersistDeliveryCountBeforeDelivery(false);
        });
        assertThatThrownBy(() -> startHub("ext-refused"))
                .rootCause()
                .hasMessageContaining("AuthenticatedSender")
                .hasMessageContaining("MessageSizeLimit")
                .hasMessageContaining("persist-delivery-count-before-delivery");
        assertThat(broker.getActiveMQServer().locateQueue("hub.outbound")).as("nothing declared on a broker that was refused").isNull();
    }

    @Test
    void theHubDeclaresItsQueuesSettingsAndRightsOnTheRepositorysBrokerXml() throws Exception {
        broker = startBroker(config -> { });
        hub = startHub("ext-provisioned");
        var server = broker.getActiveMQServer();

        Queue outbox = server.locateQueue("BR.sw.outbox");
        assertThat(outbox).isNotNull();
        assertThat(outbox.isExclusive()).as("an outbox is exclusive (per-CO order)").isTrue();
        assertThat(server.locateQueue("hub.outbound").isExclusive()).isFalse();
        assertThat(server.locateQueue("DLQ.hub.outbound")).isNotNull();
        var settings = server.getAddressSettingsRepository().getMatch("hub.outbound");
        assertThat(settings.getDeadLetterAddress().toString()).isEqualTo("DLQ.hub.outbound");
        assertThat(server.getAddressSettingsRepository().getMatch("DLQ.hub.outbound").getMaxDeliveryAttempts()).isEqualTo(-1);
        assertThat(server.getConfiguration().getBrokerPlugins()).extracting(p -> p.getClass().getSimpleName())
                .contains("AuthenticatedSender", "MessageSizeLimit");

        // The rights the hub gave: a partner's account only sends to hub.inbound; a single window only its own queues.
        try (Connection partner = factory("partner-ar", HubProperties.PARTNER_AR_PASSWORD).createConnection()) {
            Session s = partner.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("hub.inbound")).send(s.createTextMessage("<allowed-to-send/>"));
            assertThatThrownBy(() -> s.createConsumer(s.createQueue("hub.inbound"))).isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> s.createProducer(s.createQueue("hub.outbound")).send(s.createTextMessage("<forged/>")))
                    .isInstanceOf(JMSSecurityException.class);
        }
        try (Connection swBr = factory("sw-br", HubProperties.SW_BR_PASSWORD).createConnection()) {
            Session s = swBr.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> s.createConsumer(s.createQueue("AR.sw.inbox"))).isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> s.createProducer(s.createQueue("AR.sw.outbox")).send(s.createTextMessage("<not-mine/>")))
                    .isInstanceOf(JMSSecurityException.class);
        }
    }

    /**
     * The hub reaches an external broker over TLS on its CORE connection, configured only by the broker URL as the
     * README says ({@code sslEnabled=true;trustStorePath=...}); a client that does not speak TLS gets nothing from
     * that acceptor.
     */
    @Test
    void theHubReachesTheBrokerOverTlsByItsUrlAlone() throws Exception {
        Path tls = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "external-broker-tls-");
        String pw = "tls-test-password";
        var brokerKey = org.originhub.signature.DemoKeys.generate("AR", "broker", java.time.Instant.now().minusSeconds(3600),
                java.time.Duration.ofDays(30));
        org.originhub.signature.DemoKeys.write(brokerKey, tls.resolve("broker.p12"), pw.toCharArray());
        AmqpMutualTlsTest.trustStore(tls.resolve("trust.p12"), brokerKey.certificate(), pw);
        broker = startBroker(config -> {
            config.getAcceptorConfigurations().clear();
            try {
                config.addAcceptorConfiguration("core", "tcp://127.0.0.1:" + corePort + "?protocols=CORE;sslEnabled=true;"
                        + "keyStoreType=PKCS12;keyStorePath=" + tls.resolve("broker.p12") + ";keyStorePassword=" + pw);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String url = "tcp://127.0.0.1:" + corePort + "?sslEnabled=true;trustStoreType=PKCS12;trustStorePath="
                + tls.resolve("trust.p12") + ";trustStorePassword=" + pw
                // The demo certificate names no host (the client refused it: "No subject alternative names present");
                // a production broker's certificate names its host, and host verification stays on.
                + ";verifyHost=false";
        hub = startHub("ext-tls", url);
        assertThat(broker.getActiveMQServer().locateQueue("hub.outbound")).as("the hub provisioned over TLS").isNotNull();
        assertThat(broker.getActiveMQServer().getRemotingService().getConnections())
                .as("the hub is connected through the TLS acceptor, the broker's only one").isNotEmpty();

        // A single window over TLS is served; the same account in plaintext is not.
        try (Connection c = new ActiveMQConnectionFactory(url, "sw-br", HubProperties.SW_BR_PASSWORD).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("BR.sw.outbox")).send(s.createTextMessage("<over-tls/>"));
        }
        ActiveMQConnectionFactory plain = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + corePort
                + "?callTimeout=3000;initialConnectAttempts=1;reconnectAttempts=0", "sw-br", HubProperties.SW_BR_PASSWORD);
        assertThatThrownBy(() -> plain.createConnection().close()).isInstanceOf(jakarta.jms.JMSException.class);
    }

    private ActiveMQConnectionFactory factory(String user, String password) {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + corePort, user, password);
    }

    /** config/artemis/broker.xml as Artemis parses it, on a free port and a temporary journal; accounts as an operator gives them. */
    private EmbeddedActiveMQ startBroker(Consumer<FileConfiguration> change) throws Exception {
        FileConfiguration config = new FileConfiguration();
        FileDeploymentManager files = new FileDeploymentManager(Path.of("config/artemis/broker.xml").toAbsolutePath().toUri().toString());
        files.addDeployable(config);
        files.readConfiguration();
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "external-broker-");
        config.setJournalDirectory(data.resolve("journal").toString());
        config.setBindingsDirectory(data.resolve("bindings").toString());
        config.setPagingDirectory(data.resolve("paging").toString());
        config.setLargeMessagesDirectory(data.resolve("large-messages").toString());
        config.setNodeManagerLockDirectory(data.toString());
        config.getAcceptorConfigurations().clear();
        config.addAcceptorConfiguration("core", "tcp://127.0.0.1:" + corePort + "?protocols=CORE");
        change.accept(config);

        SecurityConfiguration accounts = new SecurityConfiguration();
        accounts.addUser("hub", HUB_PASSWORD);
        accounts.addRole("hub", "hub");
        accounts.addUser("partner-ar", HubProperties.PARTNER_AR_PASSWORD);
        accounts.addRole("partner-ar", "partner-account-partner-ar");
        accounts.addUser("sw-br", HubProperties.SW_BR_PASSWORD);
        accounts.addRole("sw-br", "single-window-BR");
        EmbeddedActiveMQ embedded = new EmbeddedActiveMQ();
        embedded.setConfiguration(config);
        embedded.setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), accounts));
        embedded.start();
        return embedded;
    }

    private ConfigurableApplicationContext startHub(String name) throws Exception {
        return startHub(name, "tcp://127.0.0.1:" + corePort);
    }

    private ConfigurableApplicationContext startHub(String name, String brokerUrl) throws Exception {
        HubProperties props = new HubProperties(Files.createTempDirectory(Path.of("target").toAbsolutePath(), name), name, 79)
                .put("originhub.broker.embedded", "false")
                .put("spring.artemis.broker-url", brokerUrl)
                .put("spring.artemis.user", "hub")
                .put("spring.artemis.password", HUB_PASSWORD);
        return new SpringApplicationBuilder(OriginHubApplication.class).run(props.asArgs());
    }
}
