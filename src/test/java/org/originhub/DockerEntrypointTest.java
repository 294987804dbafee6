package org.originhub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container's entrypoint ({@code docker/entrypoint.sh}) with a stand-in {@code java} that prints its arguments:
 * without demo mode it refuses to start until every secret and key is there, naming what is missing; with
 * {@code ORIGINHUB_DEMO=true} it starts the hub in demo mode; with everything given it starts it with demo mode off.
 */
class DockerEntrypointTest {
    static final Path SCRIPT = Path.of("docker/entrypoint.sh").toAbsolutePath();
    static final List<String> SECRETS = List.of("ORIGINHUB_BROKER_PASSWORD", "ORIGINHUB_OPERATOR_PASSWORD",
            "ORIGINHUB_AR_KEY_PASSWORD", "ORIGINHUB_BR_KEY_PASSWORD", "ORIGINHUB_PARTNER_AR_PASSWORD",
            "ORIGINHUB_PARTNER_BR_PASSWORD", "ORIGINHUB_SW_AR_PASSWORD", "ORIGINHUB_SW_BR_PASSWORD");

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void fakeJava() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"java $*\"\n");
        java.toFile().setExecutable(true);
    }

    Run run(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString()).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("ORIGINHUB_"));
        pb.environment().put("PATH", dir.resolve("bin") + ":/usr/bin:/bin");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void withoutDemoModeItRefusesToStartAndNamesWhatIsMissing() throws Exception {
        Run run = run(Map.of("ORIGINHUB_BROKER_PASSWORD", "set"));

        assertThat(run.exit()).isEqualTo(78);
        assertThat(run.out()).as("java never started").isEmpty();
        assertThat(run.err()).contains("refusing to start").contains("ORIGINHUB_OPERATOR_PASSWORD")
                .contains("data/keys/AR.p12").doesNotContain("variable ORIGINHUB_BROKER_PASSWORD");
    }

    @Test
    void demoModeOnlyWhenAskedFor() throws Exception {
        Run run = run(Map.of("ORIGINHUB_DEMO", "true"));

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("-jar origin-hub.jar --originhub.demo.enabled=true");
        assertThat(run.err()).contains("DEMO MODE");
    }

    @Test
    void withEverySecretAndKeyItStartsWithDemoModeOff() throws Exception {
        for (String f : new String[] {"AR.p12", "BR.p12", "AR.pem", "BR.pem"}) {
            Files.createDirectories(dir.resolve("data/keys"));
            Files.writeString(dir.resolve("data/keys").resolve(f), "key");
        }
        Map<String, String> env = new java.util.HashMap<>();
        SECRETS.forEach(s -> env.put(s, "secret"));

        Run run = run(env);

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("-jar origin-hub.jar --originhub.demo.enabled=false");
        assertThat(run.err()).contains("AMQP acceptor is plaintext");
    }
}
