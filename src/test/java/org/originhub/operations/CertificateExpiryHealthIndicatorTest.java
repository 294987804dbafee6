package org.originhub.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.originhub.signature.DemoKeys;
import org.originhub.signature.KeyStores;
import org.originhub.signature.SigningKey;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * Signing certificate expiry with real PKCS12 keystores (written by DemoKeys, read back by KeyStores as the hub does):
 * valid is UP, within the warning period WARNING, expired or not yet valid DOWN.
 */
class CertificateExpiryHealthIndicatorTest {
    static final Duration WARNING = Duration.ofDays(30);
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static Health healthOf(Instant notBefore, Duration validity) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cert-health");
        SigningKey generated = DemoKeys.generate("AR", "origin-hub-ar", notBefore, validity);
        DemoKeys.write(generated, dir.resolve("AR.p12"), "pw".toCharArray());
        SigningKey loaded = KeyStores.load(dir.resolve("AR.p12"), "origin-hub-ar", "pw".toCharArray());
        return new CertificateExpiryHealthIndicator(loaded.certificate(), WARNING, CLOCK).health();
    }

    @Test
    void validCertificateIsUp() throws Exception {
        Health health = healthOf(NOW.minus(Duration.ofDays(10)), Duration.ofDays(365));
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("daysLeft", 355L)
                .containsEntry("subject", "CN=Origin Hub demo signing key AR,O=Origin Hub demo,C=AR")
                .containsKeys("serial", "notBefore", "notAfter");
    }

    @Test
    void certificateWithinTheWarningPeriodIsWarning() throws Exception {
        Health health = healthOf(NOW.minus(Duration.ofDays(355)), Duration.ofDays(365));
        assertThat(health.getStatus()).isEqualTo(HubHealthStatus.WARNING);
        assertThat(health.getDetails()).containsEntry("daysLeft", 10L);
        assertThat(health.getDetails().get("reason").toString()).contains("expires in 10 days");
    }

    @Test
    void expiredCertificateIsDown() throws Exception {
        Health health = healthOf(NOW.minus(Duration.ofDays(400)), Duration.ofDays(365));
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("reason").toString()).contains("expired");
    }

    @Test
    void notYetValidCertificateIsDown() throws Exception {
        Health health = healthOf(NOW.plus(Duration.ofDays(2)), Duration.ofDays(365));
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("reason").toString()).contains("not valid before");
    }
}
