package org.originhub.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.originhub.support.PartnerBroker;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.jms.connection.CachingConnectionFactory;

/** The broker contributor against a real embedded Artemis server: up while it runs, down once stopped or unreachable. */
class BrokerHealthIndicatorTest {

    @Test
    void upWhileTheEmbeddedBrokerRunsAndDownOnceItStops() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "broker-health");
        int port = PartnerBroker.freePort();
        Configuration config = new ConfigurationImpl();
        config.setName("broker-health-test");
        config.setPersistenceEnabled(false);
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.setJournalDirectory(dir.resolve("journal").toString());
        config.setBindingsDirectory(dir.resolve("bindings").toString());
        config.setPagingDirectory(dir.resolve("paging").toString());
        config.setLargeMessagesDirectory(dir.resolve("large").toString());
        config.addAcceptorConfiguration("core", "tcp://127.0.0.1:" + port + "?protocols=CORE");
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(
                "tcp://127.0.0.1:" + port + "?reconnectAttempts=0&initialConnectAttempts=1&retryInterval=100");
        // The hub's factory is a caching one; the indicator must still open a real connection.
        BrokerHealthIndicator indicator = new BrokerHealthIndicator(broker::getActiveMQServer, new CachingConnectionFactory(cf));
        try {
            Health up = indicator.health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("embedded", true).containsEntry("name", "broker-health-test")
                    .containsEntry("state", "STARTED").containsEntry("connection", "ok");
        } finally {
            broker.stop();
        }
        Health down = indicator.health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails().get("error").toString()).contains("not active");
    }

    @Test
    void anExternalBrokerThatRefusesConnectionsIsDown() {
        ActiveMQConnectionFactory closedPort = new ActiveMQConnectionFactory(
                "tcp://127.0.0.1:" + PartnerBroker.freePort() + "?reconnectAttempts=0&initialConnectAttempts=1&retryInterval=100");
        Health health = new BrokerHealthIndicator(() -> null, closedPort).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("embedded", false).containsKey("error");
    }
}
