package org.originhub.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.originhub.OriginHubApplication;
import org.originhub.signature.DemoKeys;
import org.originhub.signature.KeyStores;
import org.originhub.signature.SigningKey;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two hubs in one JVM, each with its own embedded broker and configuration ({@code src/test/resources/two-hubs}):
 * hub AR serves Argentina (ALADI COD), hub BR serves Brazil (ccd, also accepting edi3-json); each is the other's
 * partner over AMQP. A third, bare broker stands for partner CL of hub AR. Keys are made before start so each hub
 * can trust the other's certificate.
 */
public final class TwoHubs implements AutoCloseable {
    public final Path dir;
    public final Path keys;
    public final PartnerBroker partnerCl;
    public final Ports ar = new Ports();
    public final Ports br = new Ports();
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    public static final class Ports {
        public final int core = PartnerBroker.freePort();
        public final int amqp = PartnerBroker.freePort();

        public String amqpUrl() {
            return "amqp://127.0.0.1:" + amqp;
        }

        public ActiveMQConnectionFactory connectionFactory(String user, String password) {
            return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + core, user, password);
        }
    }

    public TwoHubs(Path dir) throws Exception {
        this.dir = dir;
        this.keys = dir.resolve("keys");
        Files.createDirectories(keys);
        DemoKeys.ensure("AR", keys.resolve("AR.p12"), "origin-hub-ar", "ar-key-test-password".toCharArray());
        DemoKeys.ensure("BR", keys.resolve("BR.p12"), "origin-hub-br", "br-key-test-password".toCharArray());
        DemoKeys.ensure("CL", keys.resolve("CL.p12"), "origin-hub-cl", "cl-key-test-password".toCharArray());
        partnerCl = new PartnerBroker("partner-cl", dir.resolve("partner-cl").toString(), "hub.inbound").start();
    }

    public TwoHubs start() {
        contexts.add(startHub("ar", ar, 31));
        contexts.add(startHub("br", br, 32));
        return this;
    }

    private ConfigurableApplicationContext startHub(String name, Ports ports, int inVmId) {
        Path hubDir = dir.resolve("hub-" + name);
        String[] args = {
                "--spring.config.location=classpath:/application.yml,classpath:/two-hubs/hub-" + name + ".yml",
                "--server.port=0",
                "--camel.main.name=hub-" + name,
                "--camel.main.jmx-management-name-pattern=hub-" + name + "-#name#",
                "--originhub.broker.name=hub-" + name,
                "--originhub.broker.in-vm-id=" + inVmId,
                "--originhub.broker.core-port=" + ports.core,
                "--originhub.broker.amqp-port=" + ports.amqp,
                "--originhub.broker.data-directory=" + hubDir.resolve("broker"),
                "--spring.datasource.url=jdbc:h2:file:" + hubDir.resolve("history/origin-hub").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE",
                "--TEST_KEYS=" + keys,
                "--TEST_AR_AMQP=" + ar.amqpUrl(),
                "--TEST_BR_AMQP=" + br.amqpUrl(),
                "--TEST_CL_AMQP=" + partnerCl.amqpUrl(),
        };
        return new SpringApplicationBuilder(OriginHubApplication.class).run(args);
    }

    public ConfigurableApplicationContext hubAr() {
        return contexts.get(0);
    }

    public ConfigurableApplicationContext hubBr() {
        return contexts.get(1);
    }

    public SigningKey key(String party) {
        return KeyStores.load(keys.resolve(party + ".p12"), "origin-hub-" + party.toLowerCase(),
                (party.toLowerCase() + "-key-test-password").toCharArray());
    }

    public ActiveMQConnectionFactory hubArAdmin() {
        return ar.connectionFactory("hub", "hub-ar-test-password");
    }

    public ActiveMQConnectionFactory hubBrAdmin() {
        return br.connectionFactory("hub", "hub-br-test-password");
    }

    @Override
    public void close() throws Exception {
        for (int i = contexts.size() - 1; i >= 0; i--) {
            contexts.get(i).close();
        }
        partnerCl.close();
    }
}
