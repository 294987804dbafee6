package org.originhub.operations;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Validity of one party's signing certificate: UP while valid, {@link HubHealthStatus#WARNING} within
 * {@code originhub.health.certificate-expiry-warning} of its notAfter, DOWN once expired or while not yet valid
 * (partners reject what it signs). Details: subject, serial, notBefore, notAfter and the days left.
 */
public class CertificateExpiryHealthIndicator implements HealthIndicator {
    private final X509Certificate certificate;
    private final Duration warning;
    private final Clock clock;

    public CertificateExpiryHealthIndicator(X509Certificate certificate, Duration warning, Clock clock) {
        this.certificate = certificate;
        this.warning = warning;
        this.clock = clock;
    }

    @Override
    public Health health() {
        Instant now = clock.instant();
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        Duration left = Duration.between(now, notAfter);
        Health.Builder builder = new Health.Builder()
                .withDetail("subject", certificate.getSubjectX500Principal().getName())
                .withDetail("serial", certificate.getSerialNumber().toString(16))
                .withDetail("notBefore", notBefore.toString())
                .withDetail("notAfter", notAfter.toString())
                .withDetail("daysLeft", left.toDays());
        if (now.isBefore(notBefore)) {
            return builder.down().withDetail("reason", "the certificate is not valid before " + notBefore).build();
        }
        if (!now.isBefore(notAfter)) {
            return builder.down().withDetail("reason", "the certificate expired at " + notAfter).build();
        }
        if (left.compareTo(warning) <= 0) {
            return builder.status(HubHealthStatus.WARNING)
                    .withDetail("reason", "the certificate expires in " + left.toDays() + " days (warning at " + warning.toDays()
                            + " days): renew the party's signing key and give partners the new certificate")
                    .build();
        }
        return builder.up().build();
    }
}
