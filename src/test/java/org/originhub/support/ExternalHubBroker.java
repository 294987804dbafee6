package org.originhub.support;

import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The hubs' own broker as a customs administration runs it: a standalone ActiveMQ Artemis (the {@code apache-artemis}
 * distribution the build unpacks) whose instance, made by {@code bin/artemis create}, runs the repository's
 * {@code config/artemis/broker.xml} with the hub's broker plugins ({@code target/origin-hub-broker-plugins.jar}) in its
 * {@code lib/}, on loopback ports given as the system properties that file reads. Accounts in the instance's properties
 * files, with the roles {@code org.originhub.broker.HubBrokerLayout#roleOf} names. Nothing else is declared on it: the
 * hub instances give it their queues and settings at start-up.
 */
public final class ExternalHubBroker implements AutoCloseable {
    public static final String ADMIN = "broker-admin";
    public static final String ADMIN_PASSWORD = "broker-admin-secret";
    static final Path BROKER_XML = Path.of("config/artemis/broker.xml");
    static final Path PLUGINS_JAR = Path.of("target/origin-hub-broker-plugins.jar");

    private final Path dir;
    private final Path instance;
    private final int corePort = PartnerBroker.freePort();
    private final int amqpPort = PartnerBroker.freePort();
    /** account -> password, account -> role */
    private final Map<String, String> passwords = new LinkedHashMap<>();
    private final Map<String, String> roles = new LinkedHashMap<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private String coreExtra = "";
    private String readyMarker = StandaloneArtemis.READY;
    private Process process;

    public ExternalHubBroker(Path dir) {
        this.dir = dir.toAbsolutePath();
        this.instance = this.dir.resolve("instance");
        account(ADMIN, ADMIN_PASSWORD, "amq");
    }

    /** An account of the broker and its role (before {@link #start}). */
    public ExternalHubBroker account(String user, String password, String role) {
        passwords.put(user, password);
        roles.put(user, role);
        return this;
    }

    /** A system property of the broker's JVM (a value {@code config/artemis/broker.xml} reads). */
    public ExternalHubBroker systemProperty(String key, String value) {
        systemProperties.put(key, value);
        return this;
    }

    /**
     * Configuration added to the file's {@code <core>} (e.g. a high-availability policy), and the log line that says
     * the broker is up in that role (a backup logs AMQ221109 and waits for its primary to fail).
     */
    public ExternalHubBroker withCore(String xml, String readyMarker) {
        this.coreExtra = xml;
        this.readyMarker = readyMarker;
        return this;
    }

    public int corePort() {
        return corePort;
    }

    public int amqpPort() {
        return amqpPort;
    }

    public ExternalHubBroker start() throws Exception {
        if (!Files.isRegularFile(PLUGINS_JAR)) {
            throw new IllegalStateException(PLUGINS_JAR + " is missing: it is built in the package phase (run the test with ./mvnw verify)");
        }
        Files.createDirectories(dir);
        Path home = StandaloneArtemis.home();
        StandaloneArtemis.run(dir, home.resolve("bin/artemis").toString(), "create", instance.toString(), "--silent", "--force",
                "--name", "origin-hub-external", "--host", "127.0.0.1", "--user", ADMIN, "--password", ADMIN_PASSWORD,
                "--role", "amq", "--require-login", "--no-web", "--nio", "--no-autotune", "--java-memory", "512M");
        String brokerXml = Files.readString(BROKER_XML, StandardCharsets.UTF_8);
        if (!coreExtra.isEmpty()) {
            brokerXml = brokerXml.replace("   </core>", coreExtra + "\n   </core>");
        }
        Files.writeString(instance.resolve("etc/broker.xml"), brokerXml, StandardCharsets.UTF_8);
        Files.copy(PLUGINS_JAR, instance.resolve("lib").resolve(PLUGINS_JAR.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        StringBuilder users = new StringBuilder();
        passwords.forEach((u, p) -> users.append(u).append(" = ").append(p).append('\n'));
        Files.writeString(instance.resolve("etc/artemis-users.properties"), users, StandardCharsets.UTF_8);
        Map<String, java.util.List<String>> byRole = new LinkedHashMap<>();
        roles.forEach((u, r) -> byRole.computeIfAbsent(r, k -> new java.util.ArrayList<>()).add(u));
        StringBuilder roleFile = new StringBuilder();
        byRole.forEach((r, us) -> roleFile.append(r).append(" = ").append(String.join(",", us)).append('\n'));
        Files.writeString(instance.resolve("etc/artemis-roles.properties"), roleFile, StandardCharsets.UTF_8);
        // The system properties config/artemis/broker.xml reads, as an operator sets them in the profile.
        StringBuilder javaArgs = new StringBuilder(" -Doriginhub.broker.core-port=" + corePort + " -Doriginhub.broker.amqp-port="
                + amqpPort + " -Doriginhub.broker.host=127.0.0.1");
        systemProperties.forEach((k, v) -> javaArgs.append(" -D").append(k).append('=').append(v));
        Files.writeString(instance.resolve("etc/artemis.profile"), "\nJAVA_ARGS=\"$JAVA_ARGS" + javaArgs + "\"\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run").redirectErrorStream(true)
                .redirectOutput(dir.resolve("artemis.log").toFile());
        StandaloneArtemis.environment(pb.environment());
        process = pb.start();
        await("external Artemis active on " + coreUrl()).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("artemis run exited " + process.exitValue() + ": " + log());
                    }
                    return log().contains(readyMarker);
                });
        return this;
    }

    /** The broker's console output contains this (e.g. a backup's AMQ221010: it is now active). */
    public boolean logged(String text) throws IOException {
        return log().contains(text);
    }

    public String coreUrl() {
        return "tcp://127.0.0.1:" + corePort;
    }

    public String amqpUrl() {
        return "amqp://127.0.0.1:" + amqpPort;
    }

    public ActiveMQConnectionFactory connectionFactory(String user) {
        return new ActiveMQConnectionFactory(coreUrl(), user, passwords.get(user));
    }

    /** A queue attribute (e.g. {@code messagesAdded}), asked of the broker's management as its administrator. */
    public Object queueAttribute(String queue, String attribute) throws Exception {
        try (Connection c = connectionFactory(ADMIN).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.TemporaryQueue replies = s.createTemporaryQueue();
            c.start();
            Message request = s.createMessage();
            JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + queue, attribute);
            request.setJMSReplyTo(replies);
            s.createProducer(s.createQueue("activemq.management")).send(request);
            Message reply = s.createConsumer(replies).receive(15_000);
            if (reply == null || !JMSManagementHelper.hasOperationSucceeded(reply)) {
                throw new IllegalStateException("management: " + queue + "." + attribute + " not answered: "
                        + (reply == null ? "no reply" : JMSManagementHelper.getResult(reply)));
            }
            return JMSManagementHelper.getResult(reply);
        }
    }

    public String log() throws IOException {
        Path log = dir.resolve("artemis.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** SIGKILL, as a machine failure would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
