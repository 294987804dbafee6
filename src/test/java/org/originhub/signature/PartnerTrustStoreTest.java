package org.originhub.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.originhub.signature.TestEnvelopes.envelope;
import static org.originhub.signature.TestEnvelopes.reparse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.originhub.config.OriginHubProperties;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The trust policy production runs: {@link PartnerTrustStore} built from the configuration (each partner's PEM
 * certificates), and the verifier deciding through it. A partner may speak only for itself: a message naming sender BR
 * signed with CL's key (a partner account forging another nation's CO) is refused as UNTRUSTED_SIGNER.
 */
class PartnerTrustStoreTest {
    @TempDir
    static Path keys;
    static SigningKey ar;
    static SigningKey br;
    static SigningKey cl;

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(OriginHubProperties.class)
    @Import({PartyKeyRing.class, PartnerTrustStore.class})
    static class Trust {
    }

    @BeforeAll
    static void createKeys() {
        ar = TestEnvelopes.demoKey(keys, "AR");
        br = TestEnvelopes.demoKey(keys, "BR");
        cl = TestEnvelopes.demoKey(keys, "CL");
    }

    ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(Trust.class)
                .withPropertyValues(
                        "originhub.demo.enabled=false",
                        "originhub.parties.AR.format=aladi-cod",
                        "originhub.parties.AR.signing.keystore=file:" + keys.resolve("AR.p12"),
                        "originhub.parties.AR.signing.alias=" + TestEnvelopes.ALIAS,
                        "originhub.parties.AR.signing.password=" + new String(TestEnvelopes.PASSWORD),
                        "originhub.partners.BR.amqp-url=amqp://127.0.0.1:5672",
                        "originhub.partners.BR.certificates[0]=file:" + DemoKeys.pemPathFor(keys.resolve("BR.p12")),
                        "originhub.partners.CL.amqp-url=amqp://127.0.0.1:5673",
                        "originhub.partners.CL.certificates[0]=file:" + DemoKeys.pemPathFor(keys.resolve("CL.p12")));
    }

    @Test
    void aPartnerIsTrustedForItselfOnly() {
        runner().run(ctx -> {
            assertThat(ctx).hasNotFailed();
            PartnerTrustStore trust = ctx.getBean(PartnerTrustStore.class);
            Instant now = Instant.now();
            trust.check("BR", br.certificate(), java.util.List.of(br.certificate()), now);
            trust.check("CL", cl.certificate(), java.util.List.of(cl.certificate()), now);
            assertThat(trust.trustedFor("BR")).containsExactly(br.certificate());

            assertThatThrownBy(() -> trust.check("BR", cl.certificate(), java.util.List.of(cl.certificate()), now))
                    .isInstanceOfSatisfying(MessageRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNTRUSTED_SIGNER))
                    .hasMessageContaining("configured for sender BR (originhub.partners.BR.certificates)");
            // Presenting the trusted certificate beside the signer's proves nothing: the signer's own certificate counts.
            assertThatThrownBy(() -> trust.check("BR", cl.certificate(), java.util.List.of(br.certificate(), cl.certificate()), now))
                    .isInstanceOf(MessageRejectedException.class);
            // The hub's own party is no partner: nobody may send in its name.
            assertThatThrownBy(() -> trust.check("AR", ar.certificate(), java.util.List.of(ar.certificate()), now))
                    .isInstanceOfSatisfying(MessageRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNTRUSTED_SIGNER))
                    .hasMessageContaining("not a partner of this hub");
            assertThatThrownBy(() -> trust.trustedFor("PE")).isInstanceOf(MessageRejectedException.class);
        });
    }

    @Test
    void theVerifierRefusesAnotherNationsKeyThroughTheProductionTrustStore() {
        runner().run(ctx -> {
            PartnerTrustStore trust = ctx.getBean(PartnerTrustStore.class);
            EnvelopeVerifier verifier = new EnvelopeVerifier();
            Instant createdAt = Instant.now().minus(1, ChronoUnit.MINUTES);

            VerifiedSignature genuine = verifier.verify(reparse(new EnvelopeSigner().sign(envelope("BR", createdAt), br)), trust);
            assertThat(genuine.senderCountry()).isEqualTo("BR");

            // CL's hub (or whoever holds CL's key) writes a CO in Brazil's name: the signature itself is valid.
            assertThatThrownBy(() -> verifier.verify(reparse(new EnvelopeSigner().sign(envelope("BR", createdAt), cl)), trust))
                    .isInstanceOfSatisfying(MessageRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNTRUSTED_SIGNER))
                    .hasMessageContaining("sender BR");
        });
    }

    @Test
    void aMissingOrEmptyCertificateFileStopsStartUpNamingItsKey() throws Exception {
        runner().withPropertyValues("originhub.partners.BR.certificates[0]=file:" + keys.resolve("nowhere.pem"))
                .run(ctx -> assertThat(ctx).hasFailed().getFailure()
                        .hasStackTraceContaining("originhub.partners.BR.certificates[0]: no certificate at"));
        Path empty = Files.writeString(keys.resolve("empty.pem"), "not a certificate\n");
        runner().withPropertyValues("originhub.partners.BR.certificates[0]=file:" + empty)
                .run(ctx -> assertThat(ctx).hasFailed().getFailure()
                        .hasStackTraceContaining("originhub.partners.BR.certificates[0]")
                        .hasStackTraceContaining("holds no certificate"));
    }
}
