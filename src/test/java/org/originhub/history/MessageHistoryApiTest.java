package org.originhub.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.originhub.deadletter.OperationsMBeanRegistration;
import org.originhub.exchange.HubHeaders;
import org.originhub.history.MessageHistory.Transition;
import org.originhub.support.HubProperties;
import org.originhub.support.HubSpringBootTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The message history's REST API and the replay's JMX operations on the whole hub (embedded broker, H2 file database
 * in a temporary folder): search, detail, replay of a message really dead-lettered by the hub, their error statuses,
 * and authentication.
 */
@HubSpringBootTest
class MessageHistoryApiTest {
    static final long WAIT = 30_000;
    static final String INTAKE_AR = "sw-outbox-intake-AR";
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS);

    static HubProperties hub;

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "history-api");
        hub = new HubProperties(dir.resolve("hub"), "hub-history-test", 51);
        hub.asMap().forEach((k, v) -> registry.add(k, () -> v));
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcMessageHistory history;
    @Autowired
    CamelContext camel;
    @Autowired
    OperationsMBeanRegistration mbeans;

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    // --- authentication ---------------------------------------------------------------------------------------------

    @Test
    void everyEndpointNeedsTheOperatorsCredentials() throws Exception {
        String id = "auth-" + UUID.randomUUID();
        history.record(new Transition(id, MessageState.FAILED, "r", "AR", "BR", "CO-AUTH", "CertificateOfOrigin", "x", T0));
        for (HttpRequest.Builder request : List.of(
                get("/api/messages"), get("/api/messages?documentNumber=CO-AUTH"), get("/api/messages/" + id),
                HttpRequest.newBuilder(uri("/api/messages/" + id + "/replay")).POST(HttpRequest.BodyPublishers.noBody()))) {
            HttpResponse<String> anonymous = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as("anonymous %s", anonymous.uri()).isEqualTo(401);
            assertThat(anonymous.body()).doesNotContain(id).doesNotContain("CO-AUTH");
            HttpResponse<String> json = http.send(request.copy().header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(json.statusCode()).as("anonymous JSON %s", json.uri()).isEqualTo(401);
            HttpResponse<String> wrong = http.send(request.copy().header("Authorization", basic("operator", "wrong")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).as("wrong password %s", wrong.uri()).isEqualTo(401);
        }
        assertThat(http.send(authorized(get("/api/messages")), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(http.send(authorized(get("/api/messages/" + id)), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    // --- search and detail ------------------------------------------------------------------------------------------

    @Test
    void searchFindsACertificateByNumberPartnerStateAndTimeNewestFirstPaged() throws Exception {
        String number = "CO-" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            String id = number + "-m" + i;
            history.record(new Transition(id, MessageState.RECEIVED, "sw-outbox-intake-AR", "AR", null, null, null, null, T0.plusSeconds(i)));
            history.record(new Transition(id, MessageState.MAPPED, "sw-outbox-intake-AR", "AR", "BR", number, "CertificateOfOrigin", null, T0.plusSeconds(10 + i)));
            history.record(new Transition(id, i == 4 ? MessageState.FAILED : MessageState.SENT, "partner-forward-BR", "AR", "BR",
                    number, "CertificateOfOrigin", i == 4 ? "partner broker unreachable" : null, T0.plusSeconds(20 + i)));
        }

        JsonNode page = ok(get("/api/messages?documentNumber=" + number + "&size=2"));
        assertThat(page.get("totalElements").asLong()).isEqualTo(5);
        assertThat(page.get("totalPages").asInt()).isEqualTo(3);
        assertThat(page.get("page").asInt()).isZero();
        assertThat(page.get("size").asInt()).isEqualTo(2);
        assertThat(ids(page)).containsExactly(number + "-m4", number + "-m3");
        JsonNode first = page.get("items").get(0);
        assertThat(first.get("messageId").asText()).isEqualTo(number + "-m4");
        assertThat(first.get("lastState").asText()).isEqualTo("FAILED");
        assertThat(first.get("lastReason").asText()).isEqualTo("partner broker unreachable");
        assertThat(first.get("lastRoute").asText()).isEqualTo("partner-forward-BR");
        assertThat(first.get("documentNumber").asText()).isEqualTo(number);
        assertThat(first.get("party").asText()).isEqualTo("AR");
        assertThat(first.get("partner").asText()).isEqualTo("BR");
        assertThat(first.get("messageType").asText()).isEqualTo("CertificateOfOrigin");
        assertThat(first.get("firstSeen").asText()).isEqualTo(T0.plusSeconds(4).toString());
        assertThat(first.get("lastAt").asText()).isEqualTo(T0.plusSeconds(24).toString());
        assertThat(first.get("transitionCount").asInt()).isEqualTo(3);

        assertThat(ids(ok(get("/api/messages?documentNumber=" + number + "&size=2&page=2")))).containsExactly(number + "-m0");
        assertThat(ids(ok(get("/api/messages?documentNumber=" + number + "&state=failed")))).containsExactly(number + "-m4");
        assertThat(ids(ok(get("/api/messages?documentNumber=" + number + "&state=SENT,FAILED&partner=br&party=AR")))).hasSize(5);
        assertThat(ok(get("/api/messages?documentNumber=" + number + "&partner=CL")).get("totalElements").asLong()).isZero();
        assertThat(ids(ok(get("/api/messages?documentNumber=" + number + "&from=" + T0.plusSeconds(23) + "&to=" + T0.plusSeconds(60)))))
                .containsExactly(number + "-m4", number + "-m3");
        assertThat(ids(ok(get("/api/messages?documentNumber=" + number + "&to=" + T0.plusSeconds(2)))))
                .containsExactly(number + "-m1", number + "-m0");
        // An offset date-time is accepted too (+ encoded).
        assertThat(ids(ok(get("/api/messages?documentNumber=" + number + "&from="
                + T0.plusSeconds(24).atOffset(java.time.ZoneOffset.ofHours(-3)).toString().replace("+", "%2B")))))
                .containsExactly(number + "-m4");
        assertThat(ok(get("/api/messages?size=100000")).get("size").asInt()).isEqualTo(JdbcMessageHistory.MAX_PAGE_SIZE);
    }

    @Test
    void badSearchParametersAreA400WithAReason() throws Exception {
        for (String[] c : new String[][] {
                {"state=LOST", "state LOST is not one of"},
                {"from=yesterday", "from is not an ISO-8601 instant"},
                {"to=2026-13-01", "to is not an ISO-8601 instant"},
                {"from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "from must be before to"},
                {"page=-1", "page must be 0 or more"},
                {"size=0", "size must be 1 or more"},
                {"size=ten", "size is not a whole number"},
                {"partner=B%27R", "partner is not a country code"}}) {
            HttpResponse<String> r = http.send(authorized(get("/api/messages?" + c[0])), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("application/problem+json"));
            JsonNode problem = json.readTree(r.body());
            assertThat(problem.get("status").asInt()).isEqualTo(400);
            assertThat(problem.get("detail").asText()).as(c[0]).contains(c[1]);
        }
    }

    @Test
    void detailListsEveryTransitionInOrderAndUnknownIsA404() throws Exception {
        String id = "detail-" + UUID.randomUUID();
        history.record(new Transition(id, MessageState.RECEIVED, "partner-inbound", "BR", "AR", null, null, null, T0));
        history.record(new Transition(id, MessageState.MAPPED, "inbound-verify", "BR", "AR", "CO-D", "CertificateOfOrigin", null, T0.plusMillis(1500)));
        history.record(new Transition(id, MessageState.DELIVERED, "sw-inbox-deliver-BR", "BR", "AR", "CO-D", "CertificateOfOrigin", null, T0.plusSeconds(3)));

        JsonNode d = ok(get("/api/messages/" + id));
        assertThat(d.get("message").get("messageId").asText()).isEqualTo(id);
        assertThat(d.get("message").get("lastState").asText()).isEqualTo("DELIVERED");
        JsonNode transitions = d.get("transitions");
        assertThat(transitions).hasSize(3);
        List<String> states = new ArrayList<>();
        transitions.forEach(t -> states.add(t.get("state").asText()));
        assertThat(states).containsExactly("RECEIVED", "MAPPED", "DELIVERED");
        JsonNode mapped = transitions.get(1);
        assertThat(mapped.get("route").asText()).isEqualTo("inbound-verify");
        assertThat(mapped.get("at").asText()).isEqualTo(T0.plusMillis(1500).toString());
        assertThat(mapped.get("documentNumber").asText()).isEqualTo("CO-D");
        assertThat(mapped.get("messageType").asText()).isEqualTo("CertificateOfOrigin");
        assertThat(mapped.get("messageId").asText()).isEqualTo(id);
        assertThat(mapped.has("reason")).isTrue();

        HttpResponse<String> unknown = http.send(authorized(get("/api/messages/nope-" + UUID.randomUUID())), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json.readTree(unknown.body()).get("detail").asText()).contains("No message");
    }

    // --- replay -----------------------------------------------------------------------------------------------------

    @Test
    void aRejectedMessageIsReplayedFromItsDeadLetterQueueBackToItsQueue() throws Exception {
        String id = sendUnparseable();
        Message dead = awaitBrowse("DLQ.AR.sw.outbox", id);
        assertThat(dead.getStringProperty(HubHeaders.FAILURE_REASON)).isEqualTo("UNPARSEABLE");
        // The intake route's error handling recorded the rejection, with the rule that failed.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(history.summary(id)).get().satisfies(m -> {
                    assertThat(m.lastState()).isEqualTo(MessageState.REJECTED);
                    assertThat(m.lastReason()).startsWith("UNPARSEABLE");
                    assertThat(m.lastRoute()).isEqualTo(INTAKE_AR);
                }));

        camel.getRouteController().stopRoute(INTAKE_AR);
        try {
            HttpResponse<String> r = post("/api/messages/" + id + "/replay");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = json.readTree(r.body());
            assertThat(body.get("messageId").asText()).isEqualTo(id);
            assertThat(body.get("state").asText()).isEqualTo("REPLAYED");
            assertThat(body.get("fromQueue").asText()).isEqualTo("DLQ.AR.sw.outbox");
            assertThat(body.get("toQueue").asText()).isEqualTo("AR.sw.outbox");

            // It left the dead-letter queue and waits on its queue, without the failure headers, same messageId.
            assertThat(browse("DLQ.AR.sw.outbox", id)).isEmpty();
            List<Message> back = browse("AR.sw.outbox", id);
            assertThat(back).hasSize(1);
            assertThat(((TextMessage) back.get(0)).getText()).isEqualTo("<CertOrigin><unclosed>");
            assertThat(back.get(0).getStringProperty(HubHeaders.FAILURE_REASON)).isNull();
            assertThat(back.get(0).getIntProperty("OriginHubReplays")).isEqualTo(1);

            JsonNode detail = ok(get("/api/messages/" + id));
            assertThat(detail.get("message").get("lastState").asText()).isEqualTo("REPLAYED");
            JsonNode transitions = detail.get("transitions");
            assertThat(transitions.get(transitions.size() - 1).get("reason").asText()).contains("DLQ.AR.sw.outbox").contains("AR.sw.outbox");

            // Now REPLAYED: a second replay is a conflict.
            HttpResponse<String> again = post("/api/messages/" + id + "/replay");
            assertThat(again.statusCode()).isEqualTo(409);
            assertThat(json.readTree(again.body()).get("detail").asText()).contains("REPLAYED");
        } finally {
            camel.getRouteController().startRoute(INTAKE_AR);
        }
        // The intake really consumes it again: still unparseable, it is dead-lettered a second time.
        Message deadAgain = awaitBrowse("DLQ.AR.sw.outbox", id);
        assertThat(deadAgain.getIntProperty("OriginHubReplays")).isEqualTo(1);
        assertThat(deadAgain.getStringProperty(HubHeaders.FAILED_ROUTE)).isEqualTo(INTAKE_AR);
    }

    @Test
    void replayIsRefusedForAMessageNotFailedOrRejectedAndNotFoundWithoutADeadLetteredCopy() throws Exception {
        String delivered = "delivered-" + UUID.randomUUID();
        history.record(new Transition(delivered, MessageState.DELIVERED, "sw-inbox-deliver-BR", "BR", "AR", "CO-X", "CertificateOfOrigin", null, T0));
        HttpResponse<String> conflict = post("/api/messages/" + delivered + "/replay");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(json.readTree(conflict.body()).get("detail").asText()).contains("DELIVERED").contains("FAILED or REJECTED");

        String failedNoCopy = "failed-" + UUID.randomUUID();
        history.record(new Transition(failedNoCopy, MessageState.FAILED, "partner-forward-BR", "AR", "BR", "CO-Y", "CertificateOfOrigin", "gone", T0));
        HttpResponse<String> noCopy = post("/api/messages/" + failedNoCopy + "/replay");
        assertThat(noCopy.statusCode()).isEqualTo(404);
        assertThat(json.readTree(noCopy.body()).get("detail").asText()).contains("no dead-lettered copy");
        // Still FAILED: nothing happened.
        assertThat(ok(get("/api/messages/" + failedNoCopy)).get("message").get("lastState").asText()).isEqualTo("FAILED");

        HttpResponse<String> unknown = post("/api/messages/unknown-" + UUID.randomUUID() + "/replay");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json.readTree(unknown.body()).get("detail").asText()).contains("No message");
    }

    // --- JMX --------------------------------------------------------------------------------------------------------

    @Test
    void theReplayIsAJmxOperationInThePlatformMBeanServer() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = mbeans.deadLetterReplayName();
        assertThat(name.toString()).startsWith("org.originhub:type=Operations,name=DeadLetterReplay");
        assertThat(server.queryNames(new ObjectName("org.originhub:type=Operations,name=DeadLetterReplay,*"), null)).contains(name);
        assertThat((String[]) server.getAttribute(name, "DeadLetterQueues")).contains("DLQ.AR.sw.outbox", "DLQ.hub.inbound", "DLQ.partner.BR.out");

        String id = sendUnparseable();
        awaitBrowse("DLQ.AR.sw.outbox", id);
        String listed = (String) server.invoke(name, "listDeadLetters", new Object[] {"DLQ.AR.sw.outbox"}, new String[] {String.class.getName()});
        assertThat(listed).contains("DLQ.AR.sw.outbox | " + id + " | UNPARSEABLE | " + INTAKE_AR);
        assertThat((String) server.invoke(name, "listDeadLetters", new Object[] {""}, new String[] {String.class.getName()})).contains(id);
        assertThat((String) server.invoke(name, "listDeadLetters", new Object[] {"AR.sw.outbox"}, new String[] {String.class.getName()}))
                .contains("not a dead-letter queue");

        assertThat((String) server.invoke(name, "replay", new Object[] {"no-such-" + UUID.randomUUID()}, new String[] {String.class.getName()}))
                .startsWith("Not replayed: no message");
        assertThat((String) server.invoke(name, "replay", new Object[] {"bad id'"}, new String[] {String.class.getName()}))
                .startsWith("Not replayed: not a messageId");

        camel.getRouteController().stopRoute(INTAKE_AR);
        try {
            String result = (String) server.invoke(name, "replayFrom", new Object[] {id, "DLQ.AR.sw.outbox"},
                    new String[] {String.class.getName(), String.class.getName()});
            assertThat(result).isEqualTo("Replayed message " + id + " from DLQ.AR.sw.outbox to AR.sw.outbox");
            assertThat(browse("DLQ.AR.sw.outbox", id)).isEmpty();
            assertThat(browse("AR.sw.outbox", id)).hasSize(1);
            // Recorded as REPLAYED, even though the history knew nothing of it before.
            assertThat(ok(get("/api/messages/" + id)).get("message").get("lastState").asText()).isEqualTo("REPLAYED");
        } finally {
            camel.getRouteController().startRoute(INTAKE_AR);
        }
        awaitBrowse("DLQ.AR.sw.outbox", id);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    /**
     * A document the hub cannot read, from AR's single window; returns the JMS message id it is known by (it failed
     * before the hub gave it a messageId). The single window's own OriginHubMessageId is not believed.
     */
    String sendUnparseable() throws JMSException {
        try (Connection c = hub.connectionFactory("sw-ar", HubProperties.SW_AR_PASSWORD).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("AR.sw.outbox"));
            TextMessage m = s.createTextMessage("<CertOrigin><unclosed>");
            m.setStringProperty(HubHeaders.MESSAGE_ID, "forged-" + UUID.randomUUID());
            p.send(m);
            return m.getJMSMessageID();
        }
    }

    List<Message> browse(String queue, String messageId) throws JMSException {
        ConnectionFactory cf = hub.hubConnectionFactory();
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser b = s.createBrowser(s.createQueue(queue), HubHeaders.MESSAGE_ID + " = '" + messageId + "'")) {
                List<Message> out = new ArrayList<>();
                for (Object m : Collections.list(b.getEnumeration())) out.add((Message) m);
                return out;
            }
        }
    }

    Message awaitBrowse(String queue, String messageId) {
        return org.awaitility.Awaitility.await("message " + messageId + " in " + queue)
                .atMost(java.time.Duration.ofMillis(WAIT)).pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> browse(queue, messageId), found -> !found.isEmpty()).get(0);
    }


    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET();
    }

    HttpRequest authorized(HttpRequest.Builder request) {
        return request.copy().header("Authorization", basic("operator", HubProperties.OPERATOR_PASSWORD)).build();
    }

    HttpResponse<String> post(String path) throws Exception {
        return http.send(authorized(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody())),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode ok(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = http.send(authorized(request), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s: %s", r.uri(), r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(i -> ids.add(i.get("messageId").asText()));
        return ids;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
