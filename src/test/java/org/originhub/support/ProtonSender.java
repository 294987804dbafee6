package org.originhub.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A partner's sender that is not Java: {@code src/test/python/partner_sender.py}, a Qpid Proton (Python, Debian's
 * {@code python3-qpid-proton}) AMQP 1.0 client, run once per call as its own process. It sends each file as one
 * durable message and reports each outcome on a line of its own ({@code accepted FILE}, {@code rejected FILE
 * <condition> <description>}, ...).
 */
public final class ProtonSender {
    public static final Path SCRIPT = Path.of("src/test/python/partner_sender.py");
    /** How long the script itself waits for all outcomes; the process gets a little longer before it is destroyed. */
    public static final int TIMEOUT_SECONDS = 30;

    private ProtonSender() {
    }

    /** Body as an AMQP data section ({@code data}) or an amqp-value string ({@code string}). */
    public enum Body { DATA, STRING }

    /**
     * Runs the script to completion (bounded: destroyed if it outlives its own timeout by 15 s) and returns its exit
     * status and output. {@code workDir} receives its output file.
     */
    public static Result send(String amqpUrl, String user, String password, Body body, Map<String, String> properties,
                              Path workDir, Path... files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProtonReceiver.PYTHON, SCRIPT.toString(), "--url", amqpUrl,
                "--user", user, "--password", password, "--body", body.name().toLowerCase(),
                "--timeout", String.valueOf(TIMEOUT_SECONDS)));
        properties.forEach((k, v) -> command.addAll(List.of("--property", k + "=" + v)));
        for (Path f : files) {
            command.add(f.toString());
        }
        Path out = Files.createTempFile(workDir, "partner-sender-", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS + 15, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("partner_sender.py did not finish: " + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    /** The script's exit status and everything it printed. */
    public record Result(int exitCode, String output) {
        public List<String> lines() {
            return output.lines().toList();
        }
    }
}
