package org.originhub.support;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test configuration of one hub on top of {@code config/application.yml}: its own ports, journal, demo secrets and
 * keys under a temporary folder, and known passwords for the accounts that tests use.
 */
public final class HubProperties {
    public static final String SW_AR_PASSWORD = "sw-ar-test-password";
    public static final String SW_BR_PASSWORD = "sw-br-test-password";
    public static final String HUB_PASSWORD = "hub-test-password";
    public static final String OPERATOR_PASSWORD = "operator-test-password";
    public static final String PARTNER_AR_PASSWORD = "partner-ar-test-password";
    public static final String PARTNER_BR_PASSWORD = "partner-br-test-password";

    /**
     * Every secret of config/application.yml, fixed for tests. Given as static test properties they are visible when
     * demo mode looks for missing secrets, so it generates none.
     */
    public static final String[] SECRETS = {
            "ORIGINHUB_BROKER_PASSWORD=" + HUB_PASSWORD,
            "ORIGINHUB_AR_KEY_PASSWORD=ar-key-test-password",
            "ORIGINHUB_BR_KEY_PASSWORD=br-key-test-password",
            "ORIGINHUB_PARTNER_AR_PASSWORD=" + PARTNER_AR_PASSWORD,
            "ORIGINHUB_PARTNER_BR_PASSWORD=" + PARTNER_BR_PASSWORD,
            "ORIGINHUB_SW_AR_PASSWORD=" + SW_AR_PASSWORD,
            "ORIGINHUB_SW_BR_PASSWORD=" + SW_BR_PASSWORD,
            "ORIGINHUB_OPERATOR_PASSWORD=" + OPERATOR_PASSWORD,
    };

    private final Map<String, String> props = new LinkedHashMap<>();
    private final Path dir;
    private final int corePort = PartnerBroker.freePort();
    private final int amqpPort = PartnerBroker.freePort();

    public HubProperties(Path dir, String brokerName, int inVmId) {
        this.dir = dir;
        put("server.port", "0");
        put("originhub.broker.name", brokerName);
        put("originhub.broker.in-vm-id", String.valueOf(inVmId));
        put("originhub.broker.core-port", String.valueOf(corePort));
        put("originhub.broker.amqp-port", String.valueOf(amqpPort));
        put("originhub.broker.data-directory", dir.resolve("broker").toString());
        put("originhub.demo.secrets-file", dir.resolve("demo/secrets.properties").toString());
        for (String secret : SECRETS) {
            int eq = secret.indexOf('=');
            put(secret.substring(0, eq), secret.substring(eq + 1));
        }
        put("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("history/origin-hub").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
        for (String cc : new String[] {"AR", "BR"}) {
            put("originhub.parties." + cc + ".signing.keystore", "file:" + keystore(cc));
            put("originhub.partners." + cc + ".certificates[0]", "file:" + certificate(cc));
            put("originhub.partners." + cc + ".amqp-url", "amqp://127.0.0.1:" + amqpPort);
        }
        put("camel.main.jmx-management-name-pattern", brokerName + "-#name#");
    }

    public HubProperties put(String key, String value) {
        props.put(key, value);
        return this;
    }

    public Path keystore(String party) {
        return dir.resolve("keys/" + party + ".p12");
    }

    public Path certificate(String party) {
        return dir.resolve("keys/" + party + ".pem");
    }

    /** A JMS connection factory on this hub's CORE acceptor. */
    public org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory connectionFactory(String user, String password) {
        return new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory(coreUrl(), user, password);
    }

    public org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory hubConnectionFactory() {
        return connectionFactory("hub", HUB_PASSWORD);
    }

    public String amqpUrl() {
        return "amqp://127.0.0.1:" + amqpPort;
    }

    public String coreUrl() {
        return "tcp://127.0.0.1:" + corePort;
    }

    public int amqpPort() {
        return amqpPort;
    }

    public Map<String, String> asMap() {
        return props;
    }

    public String[] asArgs() {
        return props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }
}
