package org.originhub.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.originhub.history.MessageHistory.Transition;
import org.originhub.history.MessageState;
import org.originhub.history.MessageTransitionEvent;
import org.originhub.support.HubProperties;
import org.originhub.support.HubSpringBootTest;
import org.originhub.support.PartnerBroker.Jms;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The hub's management side over real HTTP: who gets what (401 without credentials, data with the operator's), the
 * health contributors as the monitoring system sees them, the Jolokia policy, and the metrics in Prometheus format.
 * Partner AR is this hub's own AMQP acceptor (reachable); partner BR is disabled.
 */
@HubSpringBootTest
@AutoConfigureObservability(tracing = false)
class OperationsEndpointsTest {
    static final String BROKER = "hub-operations-test";
    static final ObjectMapper JSON = new ObjectMapper();
    static HubProperties hub;

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "operations-endpoints");
        hub = new HubProperties(dir.resolve("hub"), BROKER, 53)
                .put("originhub.partners.BR.enabled", "false");
        hub.asMap().forEach((k, v) -> registry.add(k, () -> v));
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationEventPublisher events;

    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    HttpResponse<String> get(String path, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (user != null) {
            request.header("Authorization", basic(user, password));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> operator(String path) throws Exception {
        return get(path, "operator", HubProperties.OPERATOR_PASSWORD);
    }

    JsonNode jolokia(String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/jolokia"))
                .header("Authorization", basic("operator", HubProperties.OPERATOR_PASSWORD))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String queueMBean(String queue) {
        return "org.apache.activemq.artemis:broker=\\\"" + BROKER + "\\\",component=addresses,address=\\\"" + queue
                + "\\\",subcomponent=queues,routing-type=\\\"anycast\\\",queue=\\\"" + queue + "\\\"";
    }

    @Test
    void managementEndpointsAnswer401WithoutCredentialsAndDataWithTheOperatorsAccount() throws Exception {
        for (String path : new String[] {"/actuator/jolokia", "/actuator/jolokia/version", "/actuator/prometheus",
                "/actuator/metrics", "/actuator/info", "/api/messages"}) {
            HttpResponse<String> anonymous = get(path, null, null);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as(path).hasValue("Basic realm=\"Origin Hub\"");
            assertThat(anonymous.headers().firstValue("Location")).as(path).isEmpty();
            assertThat(anonymous.body()).as(path).contains("\"status\":401").doesNotContain("jvm_").doesNotContain("agent");
            assertThat(get(path, "operator", "wrong-password").statusCode()).as(path).isEqualTo(401);
        }
        for (String path : new String[] {"/actuator/jolokia/version", "/actuator/prometheus", "/actuator/metrics"}) {
            assertThat(operator(path).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(operator("/actuator/jolokia/version").body()).contains("\"agent\"");
        assertThat(operator("/actuator/metrics").body()).contains("jvm.memory.used");
    }

    @Test
    void hawtioSendsAnAnonymousBrowserToTheLoginPage() throws Exception {
        HttpResponse<String> hawtio = get("/actuator/hawtio/", null, null);
        assertThat(hawtio.statusCode()).isEqualTo(302);
        assertThat(hawtio.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        assertThat(get("/login", null, null).body()).contains("name=\"username\"").contains("name=\"_csrf\"");
        assertThat(operator("/actuator/hawtio/").statusCode()).isEqualTo(200);
    }

    @Test
    void healthIsOpenWithoutDetailsAndDetailedForTheOperator() throws Exception {
        HttpResponse<String> anonymous = get("/actuator/health", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        JsonNode anonymousHealth = JSON.readTree(anonymous.body());
        assertThat(anonymousHealth.path("status").asText()).isEqualTo("UP");
        assertThat(anonymousHealth.has("components")).isFalse();
        assertThat(anonymous.body()).doesNotContain("broker").doesNotContain("partners").doesNotContain("details");
        assertThat(get("/actuator/health/liveness", null, null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness", null, null).statusCode()).isEqualTo(200);

        JsonNode health = JSON.readTree(operator("/actuator/health").body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        JsonNode components = health.path("components");
        assertThat(components.path("broker").path("status").asText()).isEqualTo("UP");
        assertThat(components.path("broker").path("details").path("name").asText()).isEqualTo(BROKER);
        assertThat(components.path("partners").path("components").path("AR").path("status").asText()).isEqualTo("UP");
        assertThat(components.path("partners").path("components").path("BR").path("status").asText()).isEqualTo("DISABLED");
        assertThat(components.path("signingCertificates").path("components").path("AR").path("status").asText()).isEqualTo("UP");
        assertThat(components.path("signingCertificates").path("components").path("BR").path("details").path("daysLeft").asLong())
                .isGreaterThan(700);
        assertThat(components.has("jms")).isFalse();
    }

    @Test
    void jolokiaServesHawtioButItsPolicyDeniesWhatHawtioDoesNotNeed() throws Exception {
        JsonNode read = jolokia("{\"type\":\"read\",\"mbean\":\"" + queueMBean("DLQ.hub.outbound") + "\",\"attribute\":\"MessageCount\"}");
        assertThat(read.path("status").asInt()).as(read.toString()).isEqualTo(200);
        assertThat(read.path("value").asLong()).isZero();
        JsonNode exec = jolokia("{\"type\":\"exec\",\"mbean\":\"" + queueMBean("DLQ.hub.outbound") + "\",\"operation\":\"countMessages()\"}");
        assertThat(exec.path("status").asInt()).as(exec.toString()).isEqualTo(200);

        JsonNode heapDump = jolokia("{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\","
                + "\"operation\":\"dumpHeap\",\"arguments\":[\"/tmp/heap.hprof\",true]}");
        assertThat(heapDump.path("status").asInt()).as(heapDump.toString()).isEqualTo(403);
        JsonNode addUser = jolokia("{\"type\":\"exec\",\"mbean\":\"org.apache.activemq.artemis:broker=\\\"" + BROKER + "\\\"\","
                + "\"operation\":\"addUser\",\"arguments\":[\"x\",\"y\",\"hub\",true]}");
        assertThat(addUser.path("status").asInt()).as(addUser.toString()).isEqualTo(403);
        JsonNode write = jolokia("{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}");
        assertThat(write.path("status").asInt()).as(write.toString()).isEqualTo(403);

        // A browser on another site cannot make a logged-in operator's browser post to Jolokia (CSRF).
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/jolokia"))
                .header("Authorization", basic("operator", HubProperties.OPERATOR_PASSWORD))
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"version\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
    }

    @Test
    void messageTransitionsAndDeadLettersShowInPrometheus() throws Exception {
        Instant t0 = Instant.now();
        events.publishEvent(new MessageTransitionEvent(new Transition("metrics-1", MessageState.RECEIVED, "sw-outbox-intake-AR",
                "AR", "BR", "CO-123", "CertificateOfOrigin", null, t0)));
        events.publishEvent(new MessageTransitionEvent(new Transition("metrics-1", MessageState.SENT, "partner-forward-BR",
                "AR", "BR", "CO-123", "CertificateOfOrigin", null, t0.plusMillis(250))));

        // Not a COD: the intake dead-letters it at once, and the gauge of DLQ.AR.sw.outbox follows.
        Jms.sendBytes(hub.connectionFactory("sw-ar", HubProperties.SW_AR_PASSWORD), "AR.sw.outbox",
                "not a certificate".getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(operator("/actuator/prometheus").body())
                .contains("originhub_dead_letter_depth_messages{application=\"origin-hub\",queue=\"DLQ.AR.sw.outbox\"} 1.0"));
        String prometheus = operator("/actuator/prometheus").body();
        assertThat(prometheus)
                .contains("originhub_messages_total{application=\"origin-hub\",partner=\"BR\",party=\"AR\",route=\"sw-outbox-intake-AR\",state=\"RECEIVED\"} 1.0")
                .contains("originhub_messages_total{application=\"origin-hub\",partner=\"BR\",party=\"AR\",route=\"partner-forward-BR\",state=\"SENT\"} 1.0")
                .contains("originhub_message_latency_seconds_count{application=\"origin-hub\",partner=\"BR\",party=\"AR\",state=\"SENT\"} 1")
                .contains("originhub_message_latency_seconds_sum{application=\"origin-hub\",partner=\"BR\",party=\"AR\",state=\"SENT\"} 0.25")
                .contains("originhub_message_latency_seconds_bucket{")
                .contains("originhub_dead_letter_depth_messages{application=\"origin-hub\",queue=\"DLQ.hub.outbound\"} 0.0")
                .contains("routeId=\"outbound-sign-and-route\"");

        JsonNode browse = jolokia("{\"type\":\"exec\",\"mbean\":\"" + queueMBean("DLQ.AR.sw.outbox") + "\",\"operation\":\"browse()\"}");
        assertThat(browse.path("status").asInt()).as(browse.toString()).isEqualTo(200);
        assertThat(browse.path("value").toString()).contains("OriginHubFailureReason");
    }
}
