package org.originhub.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.originhub.signature.TestEnvelopes.envelope;
import static org.originhub.signature.TestEnvelopes.reparse;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.w3c.dom.Document;

/**
 * Freshness of a partner's message, on a fixed clock: the signed CreatedAt may be at most the maximum message age
 * old, and the signer's certificate must be valid now or have expired less than the certificate grace ago (besides
 * being valid at CreatedAt). Certificates of chosen validity share one key pair, so the tests stay fast.
 */
class EnvelopeVerifierFreshnessTest {
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Duration SKEW = EnvelopeVerifier.DEFAULT_MAX_CLOCK_SKEW;
    static final KeyPair PAIR = rsaKeyPair();

    final EnvelopeSigner signer = new EnvelopeSigner();
    /** The hub's defaults: maximum age 7 days, certificate grace the same. */
    final EnvelopeVerifier defaults = new EnvelopeVerifier(CLOCK, SKEW);
    /** A grace shorter than the age window, where the grace alone decides. */
    final EnvelopeVerifier oneDayGrace = new EnvelopeVerifier(CLOCK, SKEW, Duration.ofDays(7), Duration.ofDays(1));

    static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** AR's key with a certificate valid from {@code notBefore} to {@code notAfter}. */
    static SigningKey certificate(Instant notBefore, Instant notAfter) {
        return new SigningKey("ar", PAIR.getPrivate(),
                DemoKeys.selfSigned("AR", PAIR, notBefore, Duration.between(notBefore, notAfter)));
    }

    static final SigningKey CURRENT = certificate(NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(300)));

    Document signed(SigningKey key, Instant createdAt) {
        return reparse(signer.sign(envelope("AR", createdAt), key));
    }

    static AbstractThrowableAssert<?, ?> assertRefused(EnvelopeVerifier verifier, Document doc, SigningKey key,
                                                       RejectionReason reason) {
        return assertThatThrownBy(() -> verifier.verify(doc, List.of(key.certificate())))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> assertThat(e.reason())
                        .as("%s", e.getMessage()).isEqualTo(reason));
    }

    @Test
    void defaultsAreSevenDaysOfAgeAndAsMuchGrace() {
        assertThat(EnvelopeVerifier.DEFAULT_MAX_MESSAGE_AGE).isEqualTo(Duration.ofDays(7));
        assertThat(EnvelopeVerifier.DEFAULT_CERTIFICATE_GRACE).isEqualTo(EnvelopeVerifier.DEFAULT_MAX_MESSAGE_AGE);
    }

    @Test
    void createdAtOlderThanTheMaximumAgeIsRefusedAsStale() {
        Document doc = signed(CURRENT, NOW.minus(Duration.ofDays(7)).minus(Duration.ofMinutes(1)));
        assertRefused(defaults, doc, CURRENT, RejectionReason.STALE_MESSAGE)
                .hasMessageContaining("older than the maximum message age of PT168H");
    }

    @Test
    void createdAtWithinTheMaximumAgeIsAccepted() {
        Instant createdAt = NOW.minus(Duration.ofDays(7)).plus(Duration.ofMinutes(1));
        VerifiedSignature verified = defaults.verify(signed(CURRENT, createdAt), List.of(CURRENT.certificate()));
        assertThat(verified.signingTime()).isEqualTo(createdAt);
    }

    @Test
    void retiredKeyCannotSignABackdatedMessage() {
        // The finding: a key retired long ago, still configured, signs with a CreatedAt from its valid days.
        SigningKey retired = certificate(NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(35)));
        Document doc = signed(retired, NOW.minus(Duration.ofDays(100)));
        assertRefused(defaults, doc, retired, RejectionReason.STALE_MESSAGE);
    }

    @Test
    void certificateValidAtCreatedAtButExpiredBeyondTheGraceIsRefused() {
        SigningKey expired = certificate(NOW.minus(Duration.ofDays(300)), NOW.minus(Duration.ofDays(2)));
        Document doc = signed(expired, NOW.minus(Duration.ofDays(3)));
        assertRefused(oneDayGrace, doc, expired, RejectionReason.UNTRUSTED_SIGNER)
                .hasMessageContaining("more than the certificate grace of PT24H");
    }

    @Test
    void certificateExpiredWithinTheGraceIsAccepted() {
        // Signed just before the certificate expired, received after an outage: still accepted.
        SigningKey expired = certificate(NOW.minus(Duration.ofDays(300)), NOW.minus(Duration.ofHours(12)));
        Document doc = signed(expired, NOW.minus(Duration.ofDays(1)));
        assertThat(oneDayGrace.verify(doc, List.of(expired.certificate())).signerCertificate())
                .isEqualTo(expired.certificate());
        assertThat(defaults.verify(doc, List.of(expired.certificate())).signerCertificate())
                .isEqualTo(expired.certificate());
    }

    @Test
    void certificateNotYetValidNowIsRefused() {
        // Valid at a CreatedAt within the clock skew ahead, but not yet at this hub's time.
        SigningKey future = certificate(NOW.plus(Duration.ofMinutes(2)), NOW.plus(Duration.ofDays(300)));
        Document doc = signed(future, NOW.plus(Duration.ofMinutes(4)));
        assertRefused(defaults, doc, future, RejectionReason.UNTRUSTED_SIGNER).hasMessageContaining("not yet valid");
    }
}
