package org.originhub.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A RabbitMQ 3.x node (Debian's {@code rabbitmq-server}) with its AMQP 1.0 plugin, started as its own process for a
 * test: its own node name, loopback AMQP port (0-9-1 and 1.0 share it), distribution and epmd ports, and its mnesia,
 * log and config files under the given folder. {@link #close()} stops the node and its epmd. For reliability tests the
 * node can be taken down and started again on the same ports and mnesia folder: {@link #kill()} (a crash: SIGKILL of
 * the Erlang VM) or {@link #stop()} (an orderly shutdown of the whole node), then {@link #start()}.
 */
public final class RabbitMq implements AutoCloseable {
    public static final String HOME = "/usr/lib/rabbitmq/bin/";
    public static final String USER = "guest";
    public static final String PASSWORD = "guest";

    private final Path dir;
    private final String node = "originhub-test-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";
    private final int amqpPort = PartnerBroker.freePort();
    private final int distPort = PartnerBroker.freePort();
    private final int epmdPort = PartnerBroker.freePort();
    private Process process;
    private int runs;

    public RabbitMq(Path dir) {
        this.dir = dir;
    }

    /**
     * Starts the node and waits until it has started its plugins (5 to 15 s on the development machine). May be called
     * again after {@link #kill()} or {@link #stop()}: the same node name, ports and mnesia folder, so durable queues
     * and their persistent messages are recovered. Each run logs to its own file ({@code stdout.log},
     * {@code stdout-2.log}, ...).
     */
    public RabbitMq start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("RabbitMQ " + node + " is running");
        }
        runs++;
        Path log = dir.resolve(runs == 1 ? "stdout.log" : "stdout-" + runs + ".log");
        Files.createDirectories(dir.resolve("home"));
        Files.writeString(dir.resolve("enabled_plugins"), "[rabbitmq_amqp1_0].\n");
        Files.writeString(dir.resolve("rabbitmq.conf"), String.join("\n",
                "listeners.tcp.default = 127.0.0.1:" + amqpPort,
                "loopback_users = none",
                "amqp1_0.default_user = " + USER,
                "amqp1_0.protocol_strict_mode = false", ""));
        ProcessBuilder pb = new ProcessBuilder(HOME + "rabbitmq-server").redirectErrorStream(true)
                .redirectOutput(log.toFile());
        environment(pb.environment());
        process = pb.start();
        await("RabbitMQ " + node + " started").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    String out = Files.readString(log, StandardCharsets.UTF_8);
                    if (!process.isAlive()) {
                        throw new IllegalStateException("rabbitmq-server exited: " + out);
                    }
                    return out.contains("completed with");
                });
        return this;
    }

    private void environment(Map<String, String> env) {
        env.put("HOME", dir.resolve("home").toString()); // its Erlang cookie
        env.put("RABBITMQ_NODENAME", node);
        env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
        env.put("RABBITMQ_NODE_PORT", String.valueOf(amqpPort));
        env.put("RABBITMQ_DIST_PORT", String.valueOf(distPort));
        env.put("ERL_EPMD_PORT", String.valueOf(epmdPort));
        env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
        env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
        env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString());
        env.put("RABBITMQ_PID_FILE", dir.resolve("rabbitmq.pid").toString());
        env.put("RABBITMQ_PLUGINS_EXPAND_DIR", dir.resolve("plugins-expand").toString());
    }

    /**
     * Declares a durable classic queue. RabbitMQ 3.x declares a missing {@code /queue/NAME} on first use, but not
     * durable; a partner's queue must survive its broker's restart.
     */
    public void declareDurableQueue(String name) throws Exception {
        ctl("eval", "rabbit_amqqueue:declare(rabbit_misc:r(<<\"/\">>, queue, <<\"" + name + "\">>), true, false, [], none, <<\"origin-hub-test\">>).");
    }

    /** Runs rabbitmqctl against this node and returns its output; fails unless it exits 0. */
    public String ctl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(HOME + "rabbitmqctl", "-n", node));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        environment(pb.environment());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("rabbitmqctl " + args[0] + " failed: " + out);
        }
        return out;
    }

    /**
     * A crash: the node's Erlang VM is killed with SIGKILL (nothing is flushed, no connection is closed in order; a
     * client learns it from the broken TCP connection). Returns once the VM and the start script have exited.
     */
    public void kill() throws Exception {
        // rabbitmq-server is a shell script that runs the VM (beam.smp) as its child: kill the VM itself.
        List<ProcessHandle> vms = process.descendants().filter(p -> p.info().command().orElse("").endsWith("beam.smp")).toList();
        if (vms.isEmpty()) {
            throw new IllegalStateException("no beam.smp under rabbitmq-server for " + node);
        }
        vms.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle vm : vms) {
            vm.onExit().get(30, TimeUnit.SECONDS);
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("rabbitmq-server did not exit after its VM was killed");
        }
    }

    /** An orderly shutdown of the whole node ({@code rabbitmqctl stop}), as for maintenance; waits until it exited. */
    public void stop() throws Exception {
        ctl("stop");
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("RabbitMQ " + node + " did not stop");
        }
    }

    /** Whether the AMQP port accepts a TCP connection. */
    public boolean accepting() {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", amqpPort), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The number of messages in a queue (ready and unacknowledged), from {@code rabbitmqctl list_queues}. */
    public long messages(String queue) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(queue) + "\\s+(\\d+)\\s*$")
                .matcher(ctl("list_queues", "name", "messages"));
        if (!m.find()) {
            throw new IllegalStateException("no queue " + queue + " on " + node);
        }
        return Long.parseLong(m.group(1));
    }

    public String amqpUrl() {
        return "amqp://127.0.0.1:" + amqpPort;
    }

    @Override
    public void close() throws Exception {
        if (process == null) {
            return;
        }
        try {
            if (process.isAlive()) {
                ctl("stop");
            }
        } finally {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            // The epmd that the node started on its own port outlives it; it refuses to go while the node is still
            // registered, which may take a moment after the node stopped.
            await("epmd on port " + epmdPort + " stopped").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        Process p = new ProcessBuilder("epmd", "-port", String.valueOf(epmdPort), "-kill")
                                .redirectErrorStream(true).start();
                        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        p.waitFor(10, TimeUnit.SECONDS);
                        return out.contains("Killed") || out.contains("not running") || out.contains("Cannot connect");
                    });
        }
    }
}
