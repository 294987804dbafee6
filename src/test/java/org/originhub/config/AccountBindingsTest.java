package org.originhub.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Which partner or party a broker account speaks for; a binding that names nothing real stops start-up. */
class AccountBindingsTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(OriginHubProperties.class)
    @Import(AccountBindings.class)
    static class Bindings {
    }

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Bindings.class)
            .withPropertyValues(
                    "originhub.parties.AR.format=aladi-cod",
                    "originhub.parties.AR.signing.keystore=file:data/keys/AR.p12",
                    "originhub.parties.AR.signing.alias=ar",
                    "originhub.parties.AR.signing.password=secret",
                    "originhub.partners.BR.amqp-url=amqp://127.0.0.1:5672",
                    "originhub.partners.BR.certificates[0]=file:data/keys/BR.pem",
                    "originhub.partners.CL.amqp-url=amqp://127.0.0.1:5673",
                    "originhub.partners.CL.certificates[0]=file:data/keys/CL.pem");

    @Test
    void accountsSpeakOnlyForWhatTheyAreBoundTo() {
        runner.withPropertyValues(
                "originhub.broker.accounts.partner-br.role=PARTNER", "originhub.broker.accounts.partner-br.password=x",
                "originhub.broker.accounts.partner-br.partners[0]=BR",
                "originhub.broker.accounts.regional.role=PARTNER", "originhub.broker.accounts.regional.password=x",
                "originhub.broker.accounts.regional.partners=BR,CL",
                "originhub.broker.accounts.sw-ar.role=SINGLE_WINDOW", "originhub.broker.accounts.sw-ar.password=x",
                "originhub.broker.accounts.sw-ar.party=AR").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            AccountBindings b = ctx.getBean(AccountBindings.class);
            assertThat(b.partnersOf("partner-br")).containsExactly("BR");
            assertThat(b.partnersOf("regional")).containsExactly("BR", "CL");
            assertThat(b.partnersOf("sw-ar")).isEmpty();
            assertThat(b.partnersOf("nobody")).isEmpty();
            assertThat(b.partnersOf(null)).isEmpty();
            assertThat(b.isSingleWindowOf("sw-ar", "AR")).isTrue();
            assertThat(b.isSingleWindowOf("partner-br", "AR")).isFalse();
        });
    }

    @Test
    void aPartnerAccountBoundToNothingStopsStartUpNamingIt() {
        runner.withPropertyValues("originhub.broker.accounts.partner-br.role=PARTNER", "originhub.broker.accounts.partner-br.password=x")
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(rootMessages(ctx.getStartupFailure())).contains("originhub.broker.accounts.partner-br.partners");
                });
    }

    @Test
    void aPartnerAccountBoundToAnUnknownPartnerStopsStartUp() {
        runner.withPropertyValues("originhub.broker.accounts.partner-uy.role=PARTNER", "originhub.broker.accounts.partner-uy.password=x",
                "originhub.broker.accounts.partner-uy.partners[0]=UY").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(rootMessages(ctx.getStartupFailure())).contains("UY", "no partner of this hub");
        });
    }

    @Test
    void aSingleWindowAccountOfAnUnknownPartyStopsStartUp() {
        runner.withPropertyValues("originhub.broker.accounts.sw-uy.role=SINGLE_WINDOW", "originhub.broker.accounts.sw-uy.password=x",
                "originhub.broker.accounts.sw-uy.party=UY").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(rootMessages(ctx.getStartupFailure())).contains("originhub.broker.accounts.sw-uy.party");
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
