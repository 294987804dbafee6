package org.originhub.support;

import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * A standalone ActiveMQ Artemis broker, the {@code apache-artemis} distribution from Maven Central that the build
 * unpacks into {@code target/artemis-dist} (pom: maven-dependency-plugin, execution {@code standalone-artemis}), run as
 * its own process the way an operator runs it: an instance made by {@code bin/artemis create} under the given folder,
 * started with {@code bin/artemis run} on the JVM running the tests, stopped with {@code bin/artemis stop}.
 *
 * <p>The instance: login required, no web console, loopback only, a CORE-only acceptor and an AMQP-only acceptor on
 * free ports, no auto-created addresses, one durable anycast queue {@value #QUEUE}. Two accounts: {@link #ADMIN} (role
 * {@code amq}, everything, used by tests to read and to ask the broker's management) and {@link #SENDER} (role
 * {@code partner}, may only send to {@value #QUEUE}), the account the partner would give a hub.
 */
public final class StandaloneArtemis implements AutoCloseable {
    public static final String QUEUE = "hub.inbound";
    public static final String ADMIN = "partner-admin";
    public static final String ADMIN_PASSWORD = "partner-admin-secret";
    public static final String SENDER = "hub-of-partner";
    public static final String SENDER_PASSWORD = "partner-secret-for-tests";
    /** Logged by the broker once its acceptors are open. */
    static final String READY = "AMQ221007";

    private final Path dir;
    private final Path instance;
    private final int corePort = PartnerBroker.freePort();
    private final int amqpPort = PartnerBroker.freePort();
    private Process process;

    public StandaloneArtemis(Path dir) {
        // Absolute: the instance's scripts and profile keep the path they were created with.
        this.dir = dir.toAbsolutePath();
        this.instance = this.dir.resolve("instance");
    }

    /**
     * The unpacked distribution: system property {@code artemis.home} (set by surefire from the pom), else the one
     * folder under {@code target/artemis-dist} (a run from an IDE after any Maven build of the tests).
     */
    public static Path home() throws IOException {
        String configured = System.getProperty("artemis.home");
        Path home;
        if (configured != null && !configured.isBlank()) {
            home = Path.of(configured);
        } else {
            Path parent = Path.of("target/artemis-dist");
            try (Stream<Path> dists = Files.isDirectory(parent) ? Files.list(parent) : Stream.empty()) {
                home = dists.filter(p -> p.getFileName().toString().startsWith("apache-artemis-")).findFirst().orElse(parent);
            }
        }
        if (!Files.isExecutable(home.resolve("bin/artemis"))) {
            throw new IllegalStateException("No Artemis distribution at " + home.toAbsolutePath()
                    + ": run ./mvnw process-test-resources, which unpacks org.apache.activemq:apache-artemis:bin into target/artemis-dist");
        }
        return home.toAbsolutePath();
    }

    /** Creates the instance, configures it, starts it and waits until it is active (a few seconds). */
    public StandaloneArtemis start() throws Exception {
        Files.createDirectories(dir);
        Path home = home();
        run(home.resolve("bin/artemis").toString(), "create", instance.toString(), "--silent", "--force",
                "--name", "partner-br-standalone", "--host", "127.0.0.1", "--default-port", String.valueOf(corePort),
                "--user", ADMIN, "--password", ADMIN_PASSWORD, "--role", "amq", "--require-login", "--no-web",
                "--queues", QUEUE, "--no-autocreate", "--nio", "--no-autotune",
                "--no-hornetq-acceptor", "--no-mqtt-acceptor", "--no-stomp-acceptor",
                // The profile's -Xms is 512M; an -Xmx below it would keep the JVM from starting.
                "--java-memory", "512M");
        configure();
        ProcessBuilder pb = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run").redirectErrorStream(true)
                .redirectOutput(dir.resolve("artemis.log").toFile());
        environment(pb.environment());
        process = pb.start();
        await("standalone Artemis active on " + amqpUrl()).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("artemis run exited " + process.exitValue() + ": " + log());
                    }
                    return log().contains(READY);
                });
        return this;
    }

    /**
     * What {@code artemis create} has no option for: the ports of the AMQP acceptor (always 5672 plus an offset), the
     * main acceptor reduced to CORE (so AMQP is only spoken on the AMQP acceptor), the partner account and its right
     * to send, and nothing more, to {@value #QUEUE}.
     */
    private void configure() throws IOException {
        Path brokerXml = instance.resolve("etc/broker.xml");
        String xml = Files.readString(brokerXml, StandardCharsets.UTF_8);
        xml = replaceOnce(xml, "(<acceptor name=\"amqp\">tcp://127\\.0\\.0\\.1:)5672\\?", "$1" + amqpPort + "?");
        xml = replaceOnce(xml, "(<acceptor name=\"artemis\">tcp://127\\.0\\.0\\.1:" + corePort + "\\?[^<]*protocols=)[A-Z,]+",
                "$1CORE");
        // A more specific match replaces "#" entirely for the queue, so the admin's rights are repeated here.
        String adminRights = Stream.of("createNonDurableQueue", "deleteNonDurableQueue", "createDurableQueue",
                        "deleteDurableQueue", "createAddress", "deleteAddress", "consume", "browse", "manage")
                .map(t -> "            <permission type=\"" + t + "\" roles=\"amq\"/>\n").reduce("", String::concat);
        xml = replaceOnce(xml, "(\\s*)</security-settings>", Matcher.quoteReplacement(
                "\n         <security-setting match=\"" + QUEUE + "\">\n"
                        + "            <permission type=\"send\" roles=\"amq,partner\"/>\n" + adminRights
                        + "         </security-setting>\n      </security-settings>"));
        Files.writeString(brokerXml, xml, StandardCharsets.UTF_8);
        // PropertiesLoginModule takes a plain-text password as well as an ENC(...) hash.
        Files.writeString(instance.resolve("etc/artemis-users.properties"), "\n" + SENDER + " = " + SENDER_PASSWORD + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(instance.resolve("etc/artemis-roles.properties"), "\npartner = " + SENDER + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    }

    private static String replaceOnce(String text, String regex, String replacement) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("broker.xml made by artemis create has no match for " + regex);
        }
        String out = m.replaceFirst(replacement);
        if (m.find()) {
            throw new IllegalStateException("broker.xml has more than one match for " + regex);
        }
        return out;
    }

    /** The JVM running the tests runs the broker; nothing of an outer Artemis setup leaks in. */
    static void environment(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("ARTEMIS_") || k.equals("JAVA_ARGS") || k.equals("JAVACMD"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
    }

    private void run(String... command) throws Exception {
        run(dir, command);
    }

    /** Runs an {@code artemis} command to its end (at most 2 minutes), its output in {@code <dir>/artemis-<command>.log}. */
    static void run(Path dir, String... command) throws Exception {
        Path out = dir.resolve("artemis-" + command[1] + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        environment(pb.environment());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("artemis " + command[1] + " did not finish: " + Files.readString(out));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("artemis " + command[1] + " exited " + p.exitValue() + ": " + Files.readString(out));
        }
    }

    /** The broker's console output so far. */
    public String log() throws IOException {
        Path log = dir.resolve("artemis.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    public String amqpUrl() {
        return "amqp://127.0.0.1:" + amqpPort;
    }

    public String coreUrl() {
        return "tcp://127.0.0.1:" + corePort;
    }

    /** CORE, as {@link #ADMIN}: what a partner's own consumer would read. */
    public ActiveMQConnectionFactory adminConnectionFactory() {
        return new ActiveMQConnectionFactory(coreUrl(), ADMIN, ADMIN_PASSWORD);
    }

    /** Receives up to {@code count} messages from a queue over CORE, waiting at most {@code timeoutMillis} for each. */
    public List<Message> receive(String queue, int count, long timeoutMillis) throws Exception {
        return new ArrayList<>(PartnerBroker.Jms.receive(adminConnectionFactory(), queue, count, timeoutMillis));
    }

    /**
     * A queue attribute (e.g. {@code messagesAdded}: every message ever routed to it), asked of the broker's own
     * management over CORE.
     */
    public Object queueAttribute(String queue, String attribute) throws Exception {
        try (Connection c = adminConnectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.TemporaryQueue replies = s.createTemporaryQueue();
            Message request = s.createMessage();
            JMSManagementHelper.putAttribute(request, "queue." + queue, attribute);
            request.setJMSReplyTo(replies);
            s.createProducer(s.createQueue("activemq.management")).send(request);
            Message reply = s.createConsumer(replies).receive(15_000);
            if (reply == null) {
                throw new IllegalStateException("no answer from the management of " + coreUrl() + " within 15 s");
            }
            if (!JMSManagementHelper.hasOperationSucceeded(reply)) {
                throw new IllegalStateException("management: " + JMSManagementHelper.getResult(reply));
            }
            return JMSManagementHelper.getResult(reply);
        }
    }

    /** {@code bin/artemis stop}, then waits for the process; destroys it if it does not go. */
    @Override
    public void close() throws Exception {
        if (process == null) {
            return;
        }
        try {
            if (process.isAlive()) {
                run(instance.resolve("bin/artemis").toString(), "stop");
            }
        } finally {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            process = null;
        }
    }
}
