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
        put("ORIGINHUB_BROKER_PASSWORD", HUB_PASSWORD);
        put("ORIGINHUB_SW_AR_PASSWORD", SW_AR_PASSWORD);
        put("ORIGINHUB_SW_BR_PASSWORD", SW_BR_PASSWORD);
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
