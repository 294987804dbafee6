package org.originhub.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.originhub.OriginHubApplication;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A route test of the whole hub on its embedded broker (config/application.yml), with every secret of that
 * configuration fixed for tests. The secrets are static test properties so that demo mode, which looks for missing
 * secrets before the test's dynamic properties exist, generates none. Ports and folders come from
 * {@link HubProperties} in the test's {@code @DynamicPropertySource}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@CamelSpringBootTest
@SpringBootTest(classes = OriginHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ORIGINHUB_BROKER_PASSWORD=" + HubProperties.HUB_PASSWORD,
        "ORIGINHUB_AR_KEY_PASSWORD=ar-key-test-password",
        "ORIGINHUB_BR_KEY_PASSWORD=br-key-test-password",
        "ORIGINHUB_PARTNER_AR_PASSWORD=" + HubProperties.PARTNER_AR_PASSWORD,
        "ORIGINHUB_PARTNER_BR_PASSWORD=" + HubProperties.PARTNER_BR_PASSWORD,
        "ORIGINHUB_SW_AR_PASSWORD=" + HubProperties.SW_AR_PASSWORD,
        "ORIGINHUB_SW_BR_PASSWORD=" + HubProperties.SW_BR_PASSWORD,
        "ORIGINHUB_OPERATOR_PASSWORD=" + HubProperties.OPERATOR_PASSWORD})
public @interface HubSpringBootTest {
}
