package org.originhub.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** A bad key stops the hub with a message naming it. */
class OriginHubPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(OriginHubProperties.class)
    static class PropertiesOnly {
    }

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(PropertiesOnly.class)
            .withPropertyValues(
                    "originhub.parties.AR.format=aladi-cod",
                    "originhub.parties.AR.signing.keystore=file:data/keys/AR.p12",
                    "originhub.parties.AR.signing.alias=ar",
                    "originhub.parties.AR.signing.password=secret",
                    "originhub.partners.BR.amqp-url=amqp://127.0.0.1:5672",
                    "originhub.partners.BR.certificates[0]=file:data/keys/BR.pem");

    @Test
    void aValidConfigurationBindsWithDefaults() {
        runner.run(ctx -> {
            assertThat(ctx).hasNotFailed();
            OriginHubProperties p = ctx.getBean(OriginHubProperties.class);
            assertThat(p.partners().get("BR").address()).isEqualTo("hub.inbound");
            assertThat(p.partners().get("BR").retry().maxAttempts()).isZero();
            assertThat(p.parties().get("AR").outboxQueue("AR")).isEqualTo("AR.sw.outbox");
            assertThat(p.queues().partnerQueue("BR")).isEqualTo("partner.BR.out");
            assertThat(p.queues().deadLetterQueue("AR.sw.outbox")).isEqualTo("DLQ.AR.sw.outbox");
            assertThat(p.limits().maxMessageBytes()).isEqualTo(10 * 1024 * 1024);
        });
    }

    @Test
    void freshnessDefaultsToSevenDaysAndTheGraceToTheSameUnlessSet() {
        runner.run(ctx -> {
            OriginHubProperties.Inbound inbound = ctx.getBean(OriginHubProperties.class).inbound();
            assertThat(inbound.maxMessageAge()).isEqualTo(java.time.Duration.ofDays(7));
            assertThat(inbound.certificateGrace()).isEqualTo(java.time.Duration.ofDays(7));
        });
        runner.withPropertyValues("originhub.inbound.max-message-age=14d").run(ctx ->
                assertThat(ctx.getBean(OriginHubProperties.class).inbound().certificateGrace()).isEqualTo(java.time.Duration.ofDays(14)));
        runner.withPropertyValues("originhub.inbound.max-message-age=0s").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(rootMessages(ctx.getStartupFailure())).contains("inbound.maxMessageAge");
        });
    }

    @Test
    void aHopThatRolledBackIsHeldOneSecondDoublingToAMinuteUnlessSet() {
        runner.run(ctx -> {
            OriginHubProperties.Broker broker = ctx.getBean(OriginHubProperties.class).broker();
            assertThat(java.util.stream.IntStream.rangeClosed(1, 9).mapToObj(broker::redeliveryDelayAfter).map(java.time.Duration::toMillis))
                    .containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 32_000L, 60_000L, 60_000L, 60_000L);
        });
        runner.withPropertyValues("originhub.broker.redelivery-delay=0s").run(ctx ->
                assertThat(ctx.getBean(OriginHubProperties.class).broker().redeliveryDelayAfter(5)).isZero());
        runner.withPropertyValues("originhub.broker.redelivery-delay=2m").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(rootMessages(ctx.getStartupFailure())).contains("max-redelivery-delay");
        });
    }

    @Test
    void anAccountsPasswordIsRequiredOnlyWhereTheHubCreatesTheAccount() {
        runner.withPropertyValues("originhub.broker.accounts.sw-ar.role=SINGLE_WINDOW", "originhub.broker.accounts.sw-ar.party=AR")
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(rootMessages(ctx.getStartupFailure())).contains("originhub.broker.accounts.sw-ar.password");
                });
        runner.withPropertyValues("originhub.broker.embedded=false", "originhub.broker.accounts.sw-ar.role=SINGLE_WINDOW",
                "originhub.broker.accounts.sw-ar.party=AR").run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean(OriginHubProperties.class).broker().accounts().get("sw-ar").password()).isNull();
                });
    }

    @Test
    void theRetiredMessageIdStoreKeyStopsStartUp() {
        runner.withPropertyValues("originhub.inbound.message-id-store=data/inbound-message-ids.dat").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(rootMessages(ctx.getStartupFailure())).contains("message-id-store");
        });
    }

    @Test
    void anUnknownKeyStopsStartUpNamingIt() {
        runner.withPropertyValues("originhub.partners.BR.amqp-uri=amqp://typo").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(rootMessages(ctx.getStartupFailure())).contains("amqp-uri");
        });
    }

    @Test
    void aMissingRequiredValueStopsStartUpNamingIt() {
        runner.withPropertyValues("originhub.partners.BR.amqp-url=").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(rootMessages(ctx.getStartupFailure())).contains("partners[BR].amqpUrl");
        });
    }

    @Test
    void aPartyKeyThatIsNotACountryCodeStopsStartUp() {
        runner.withPropertyValues("originhub.parties.argentina.format=ccd",
                "originhub.parties.argentina.signing.keystore=x", "originhub.parties.argentina.signing.alias=x",
                "originhub.parties.argentina.signing.password=x").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(rootMessages(ctx.getStartupFailure())).contains("ISO 3166-1");
        });
    }

    private static String rootMessages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
