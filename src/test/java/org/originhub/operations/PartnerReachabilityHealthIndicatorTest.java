package org.originhub.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.originhub.config.OriginHubProperties;
import org.originhub.support.PartnerBroker;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * Partner reachability against a real partner broker (a separate Artemis with authentication on): up with the right
 * credentials, down with wrong ones, on a closed port, and when the peer accepts TCP but never speaks AMQP (timeout);
 * a disabled partner is DISABLED without a probe. No message reaches the partner's queue.
 */
class PartnerReachabilityHealthIndicatorTest {
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    static PartnerBroker partner;

    @BeforeAll
    static void startPartner() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "partner-health");
        partner = new PartnerBroker("partner-health", dir.toString(), "hub.inbound").start();
    }

    @AfterAll
    static void stopPartner() throws Exception {
        partner.close();
    }

    static OriginHubProperties.Partner partner(String url, String user, String password, boolean enabled) {
        return new OriginHubProperties.Partner(url, "hub.inbound", user, password, List.of("file:unused.pem"), enabled,
                new OriginHubProperties.Retry(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), 0),
                Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    @Test
    void reachablePartnerIsUpAndReceivesNoMessage() throws Exception {
        Health health = new PartnerReachabilityHealthIndicator("BR",
                partner(partner.amqpUrl(), PartnerBroker.USER, PartnerBroker.PASSWORD, true), TIMEOUT).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("url", partner.amqpUrl()).containsEntry("address", "hub.inbound")
                .containsEntry("user", PartnerBroker.USER).containsKey("connectMillis").doesNotContainKey("password");
        assertThat(partner.messageCount("hub.inbound")).isZero();
    }

    @Test
    void wrongCredentialsAreDown() {
        Health health = new PartnerReachabilityHealthIndicator("BR",
                partner(partner.amqpUrl(), PartnerBroker.USER, "not-the-password", true), TIMEOUT).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("error").toString()).containsIgnoringCase("secur");
    }

    @Test
    void closedPortIsDown() {
        String url = "amqp://127.0.0.1:" + PartnerBroker.freePort();
        Health health = new PartnerReachabilityHealthIndicator("AR", partner(url, "u", "p", true), TIMEOUT).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsKey("error");
    }

    @Test
    void aPeerThatNeverAnswersIsDownWithinTheProbeTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            String url = "amqp://127.0.0.1:" + silent.getLocalPort();
            long start = System.nanoTime();
            Health health = new PartnerReachabilityHealthIndicator("AR", partner(url, "u", "p", true), Duration.ofMillis(700)).health();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(millis).isLessThan(5_000);
        }
    }

    @Test
    void disabledPartnerIsReportedDisabledWithoutAProbe() {
        String url = "amqp://127.0.0.1:" + PartnerBroker.freePort() + "?amqp.idleTimeout=0";
        Health health = new PartnerReachabilityHealthIndicator("UY", partner(url, "u", "p", false), TIMEOUT).health();
        assertThat(health.getStatus()).isEqualTo(HubHealthStatus.DISABLED);
        assertThat(health.getDetails()).containsKey("reason").containsEntry("url", url.substring(0, url.indexOf('?')));
    }

    @Test
    void aPartnerThatConnectsButWhoseLastSendFailedIsDownWithTheForwardersFigures() {
        org.originhub.routing.PartnerDeliveryStatus sends = new org.originhub.routing.PartnerDeliveryStatus();
        PartnerReachabilityHealthIndicator indicator = new PartnerReachabilityHealthIndicator("BR",
                partner(partner.amqpUrl(), PartnerBroker.USER, PartnerBroker.PASSWORD, true), TIMEOUT, sends);
        sends.accepted();
        sends.failed("timeout", "PartnerTimeoutException: no outcome within PT30S");
        sends.failed("timeout", "PartnerTimeoutException: no outcome within PT30S");
        Health failing = indicator.health();
        assertThat(failing.getStatus()).isEqualTo(Status.DOWN);
        assertThat(failing.getDetails()).containsKey("connectMillis").containsEntry("lastFailureKind", "timeout")
                .containsEntry("consecutiveFailedAttempts", 2L).containsEntry("lastAnswerOutcome", "accepted")
                .containsKey("sendsFailingSince");
        assertThat(failing.getDetails().get("error").toString()).contains("last send failed (timeout)").contains("partner.BR.out");

        sends.accepted();
        Health again = indicator.health();
        assertThat(again.getStatus()).isEqualTo(Status.UP);
        assertThat(again.getDetails()).doesNotContainKey("sendsFailingSince").containsEntry("lastFailureKind", "timeout");
    }
}
