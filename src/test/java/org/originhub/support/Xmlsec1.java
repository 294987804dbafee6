package org.originhub.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the independent XML-DSig implementation, {@code xmlsec1} (Debian package xmlsec1), on a document. In CI
 * ({@code CI=true}) it must be installed; elsewhere tests that need it are skipped when it is absent.
 */
public final class Xmlsec1 {
    private Xmlsec1() {
    }

    public static void assumeAvailable() {
        boolean present = Files.isExecutable(Path.of("/usr/bin/xmlsec1"));
        if (!present && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort("xmlsec1 is not installed (apt-get install -y xmlsec1)");
        }
    }

    /** Exit code of {@code xmlsec1 --verify --trusted-pem cert signed.xml}. */
    public static Result verify(Path signed, Path trustedPem) throws IOException, InterruptedException {
        return run(List.of("xmlsec1", "--verify", "--trusted-pem", trustedPem.toString(), signed.toString()));
    }

    public static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("xmlsec1 did not finish: " + command);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.exitValue(), out);
    }

    public record Result(int exitCode, String output) {
    }
}
