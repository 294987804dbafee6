package org.originhub.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.junit.jupiter.api.Test;
import org.originhub.deadletter.OperationsMBeanRegistration;
import org.originhub.support.HubProperties;
import org.originhub.support.HubSpringBootTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Attacks on Jolokia by a logged-in operator (Basic auth, or a browser session), each of which worked against the
 * former deny-list policy: sending, requesting and creating through the Camel context, changing the broker, sending to
 * a queue, and running an operation by GET with only the session cookie (cross-site request forgery). Every test
 * checks the refusal and that its side effect did not happen; the last one checks that what Hawtio and the documented
 * operations need still works by POST.
 */
// Camel's JMX must be on: the attacks go through the Camel context's and the routes' MBeans.
@HubSpringBootTest
@DisableJmx(false)
class JolokiaAttackTest {
    static final String BROKER = "hub-jolokia-attack-test";
    static final String ROUTE = "partner-forward-BR";
    static final ObjectMapper JSON = new ObjectMapper();
    static Path dir;

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "jolokia-attack");
        new HubProperties(dir.resolve("hub"), BROKER, 58).asMap().forEach((k, v) -> registry.add(k, () -> v));
    }

    @LocalServerPort
    int port;
    @Autowired
    CamelContext camel;
    @Autowired
    EmbeddedActiveMQ embeddedBroker;
    @Autowired
    OperationsMBeanRegistration operations;

    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    // ---- Camel context: send, request, create, write

    @Test
    void camelContextCannotSendRequestCreateOrBeWritten() throws Exception {
        Path target = Files.createTempDirectory(dir, "file-endpoint");
        String fileUri = "file:" + target.toAbsolutePath() + "?fileName=written-by-jolokia.txt";
        for (String operation : new String[] {"sendBody(java.lang.String,java.lang.Object)", "sendBody",
                "sendStringBody(java.lang.String,java.lang.String)", "sendBodyAndHeaders(java.lang.String,java.lang.Object,java.util.Map)"}) {
            ArrayNode args = JSON.createArrayNode().add(fileUri).add("owned");
            if (operation.startsWith("sendBodyAndHeaders")) {
                args.addObject();
            }
            assertRefused(operator(exec(camelContextMBean(), operation, args)));
        }
        try (Stream<Path> written = Files.list(target)) {
            assertThat(written).as("files written through the file: endpoint").isEmpty();
        }

        for (String operation : new String[] {"requestBody(java.lang.String,java.lang.Object)", "requestBody",
                "requestStringBody(java.lang.String,java.lang.String)"}) {
            JsonNode answer = operator(exec(camelContextMBean(), operation, JSON.createArrayNode().add("bean:partyKeyRing").add("x")));
            assertRefused(answer);
            assertThat(answer.toString()).doesNotContain("PartyKeyRing").doesNotContain("SigningKey").doesNotContain("PrivateKey");
        }

        String endpoints = camel.getEndpoints().toString();
        assertRefused(operator(exec(camelContextMBean(), "createEndpoint(java.lang.String)",
                JSON.createArrayNode().add("file:" + target.toAbsolutePath() + "?fileName=created"))));
        assertThat(camel.getEndpoints().toString()).isEqualTo(endpoints).doesNotContain("fileName=created");

        // Attribute writes: turning tracing on would copy every message body into the log.
        ObjectNode write = JSON.createObjectNode().put("type", "write").put("mbean", camelContextMBean())
                .put("attribute", "Tracing").put("value", true);
        assertRefused(operator(write.toString()));
        assertThat(camel.isTracing()).isFalse();
    }

    // ---- Artemis broker: create, update, failover, connector services

    @Test
    void brokerCannotBeChanged() throws Exception {
        ActiveMQServer server = embeddedBroker.getActiveMQServer();
        String broker = "org.apache.activemq.artemis:broker=\"" + BROKER + "\"";

        String queueJson = "{\"name\":\"attack.queue\",\"address\":\"attack.queue\",\"routing-type\":\"ANYCAST\"}";
        assertRefused(operator(exec(broker, "createQueue(java.lang.String,boolean)", JSON.createArrayNode().add(queueJson).add(true))));
        assertRefused(operator(exec(broker, "createQueue(java.lang.String,java.lang.String,java.lang.String)",
                JSON.createArrayNode().add("attack.queue").add("attack.queue").add("ANYCAST"))));
        assertThat(server.locateQueue(SimpleString.of("attack.queue"))).isNull();
        assertThat(server.getAddressInfo(SimpleString.of("attack.queue"))).isNull();

        Queue inbox = server.locateQueue(SimpleString.of("AR.sw.inbox"));
        int maxConsumers = inbox.getMaxConsumers();
        assertRefused(operator(exec(broker, "updateQueue(java.lang.String)", JSON.createArrayNode()
                .add("{\"name\":\"AR.sw.inbox\",\"address\":\"AR.sw.inbox\",\"routing-type\":\"ANYCAST\",\"max-consumers\":0}"))));
        assertThat(server.locateQueue(SimpleString.of("AR.sw.inbox")).getMaxConsumers()).isEqualTo(maxConsumers);

        assertRefused(operator(exec(broker, "createConnectorService(java.lang.String,java.lang.String,java.util.Map)",
                JSON.createArrayNode().add("attack-connector").add("org.example.AttackFactory").add(JSON.createObjectNode()))));
        assertThat(server.getConfiguration().getConnectorServiceConfigurations())
                .noneMatch(c -> "attack-connector".equals(c.getConnectorName()));

        assertRefused(operator(exec(broker, "forceFailover()", JSON.createArrayNode())));
        assertThat(server.isActive()).isTrue();
        assertThat(server.isStarted()).isTrue();
    }

    // ---- Artemis queues and addresses: no sending

    @Test
    void nothingCanBeSentToAQueue() throws Exception {
        ActiveMQServer server = embeddedBroker.getActiveMQServer();
        for (String name : new String[] {"hub.inbound", "AR.sw.inbox"}) {
            Queue queue = server.locateQueue(SimpleString.of(name));
            long added = queue.getMessagesAdded();
            long count = queue.getMessageCount();
            ArrayNode args = JSON.createArrayNode().add(JSON.createObjectNode()).add(3).add("<forged/>").add(true).addNull().addNull();
            assertRefused(operator(exec(queueMBean(name), "sendMessage(java.util.Map,int,java.lang.String,boolean,java.lang.String,java.lang.String)", args)));
            assertRefused(operator(exec(queueMBean(name), "sendMessage", args)));
            assertRefused(operator(exec(addressMBean(name), "sendMessage(java.util.Map,int,java.lang.String,boolean,java.lang.String,java.lang.String)", args)));
            assertThat(queue.getMessagesAdded()).as(name).isEqualTo(added);
            assertThat(queue.getMessageCount()).as(name).isEqualTo(count);
        }
    }

    // ---- CSRF: an operation by GET with a logged-in operator's cookies

    @Test
    void aGetCannotRunAnOperationWithTheSessionCookie() throws Exception {
        Session session = login();
        String stop = "/exec/" + encodePath(routeMBean(ROUTE)) + "/stop()";
        for (String path : new String[] {"/actuator/jolokia" + stop, "/actuator/hawtio/jolokia" + stop,
                "/actuator/jolokia/?p=" + URLEncoder.encode(stop, StandardCharsets.UTF_8),
                "/actuator/jolokia/read/java.lang:type=Runtime/Uptime?p=" + URLEncoder.encode(stop, StandardCharsets.UTF_8),
                "/actuator/jolokia/EXEC/" + encodePath(routeMBean(ROUTE)) + "/stop()",
                "/actuator/jolokia/%65xec/" + encodePath(routeMBean(ROUTE)) + "/stop()"}) {
            HttpResponse<String> forged = session.client.send(HttpRequest.newBuilder(url(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(forged.statusCode()).as(path + " " + forged.body()).isEqualTo(403);
            assertThat(forged.body()).as(path).doesNotContain("\"status\":200");
            assertThat(camel.getRouteController().getRouteStatus(ROUTE)).as(path).isEqualTo(ServiceStatus.Started);
        }
        // Not even with Basic credentials (which a browser may also remember and send by itself).
        HttpResponse<String> basicGet = http.send(HttpRequest.newBuilder(url("/actuator/jolokia" + stop))
                .header("Authorization", basic()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(basicGet.statusCode()).isEqualTo(403);
        assertThat(camel.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Started);

        // A GET may still read, as Hawtio's probe and scripts do.
        HttpResponse<String> read = session.client.send(HttpRequest.newBuilder(
                url("/actuator/jolokia/read/" + encodePath(routeMBean(ROUTE)) + "/State")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).path("value").asText()).isEqualTo("Started");

        // A POST from another site's page is refused even if it somehow had the token.
        HttpResponse<String> foreign = session.client.send(HttpRequest.newBuilder(url("/actuator/jolokia"))
                .header("Content-Type", "application/json").header("X-XSRF-TOKEN", session.xsrf())
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(exec(routeMBean(ROUTE), "stop()", JSON.createArrayNode()))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(camel.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Started);
    }

    // ---- What stays allowed, by POST

    @Test
    void theAllowedOperationsWorkByPost() throws Exception {
        Session session = login();
        // Route stop from the console (session, XSRF token, own origin), start again with a script's Basic auth.
        JsonNode stop = session.post(exec(routeMBean(ROUTE), "stop()", JSON.createArrayNode()));
        assertThat(stop.path("status").asInt()).as(stop.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> camel.getRouteController().getRouteStatus(ROUTE) == ServiceStatus.Stopped);
        JsonNode start = operator(exec(routeMBean(ROUTE), "start", JSON.createArrayNode()));
        assertThat(start.path("status").asInt()).as(start.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> camel.getRouteController().getRouteStatus(ROUTE) == ServiceStatus.Started);

        // Hawtio's Camel views: route diagram, source, statistics.
        for (String[] call : new String[][] {{camelContextMBean(), "dumpRoutesAsXml()"}, {camelContextMBean(), "dumpRoutesStatsAsXml"},
                {routeMBean(ROUTE), "dumpRouteStatsAsXml(boolean,boolean)"}, {routeMBean(ROUTE), "isUpdateRouteEnabled()"}}) {
            ArrayNode args = call[1].contains("StatsAsXml") ? JSON.createArrayNode().add(false).add(true) : JSON.createArrayNode();
            JsonNode answer = session.post(exec(call[0], call[1], args));
            assertThat(answer.path("status").asInt()).as(call[1] + " " + answer).isEqualTo(200);
        }
        assertThat(session.post(exec(camelContextMBean(), "dumpRoutesAsXml()", JSON.createArrayNode())).path("value").asText())
                .contains(ROUTE);

        // Queue operations of the README.
        JsonNode count = operator(exec(queueMBean("DLQ.hub.outbound"), "countMessages()", JSON.createArrayNode()));
        assertThat(count.path("status").asInt()).as(count.toString()).isEqualTo(200);
        assertThat(count.path("value").asLong()).isZero();
        JsonNode list = operator(exec(queueMBean("DLQ.hub.outbound"), "listMessagesAsJSON(java.lang.String)", JSON.createArrayNode().add("")));
        assertThat(list.path("status").asInt()).as(list.toString()).isEqualTo(200);
        assertThat(list.path("value").asText()).isEqualTo("[]");

        // The hub's dead-letter operations.
        JsonNode deadLetters = session.post(exec(operations.deadLetterReplayName().toString(), "listDeadLetters(java.lang.String)",
                JSON.createArrayNode().add("")));
        assertThat(deadLetters.path("status").asInt()).as(deadLetters.toString()).isEqualTo(200);
        assertThat(deadLetters.path("value").isTextual()).isTrue();
    }

    // ---- helpers

    /**
     * A policy refusal as Jolokia 2.6 answers it: HTTP 200 (checked by {@link #operator}), and in the JSON body status
     * 403 with "Operation ... forbidden for MBean ..." (or "... attribute ... forbidden ..." for a write), no value.
     */
    static void assertRefused(JsonNode answer) {
        assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(403);
        assertThat(answer.path("error").asText()).as(answer.toString()).matches("(?s).*\\bforbidden for MBean\\b.*");
        assertThat(answer.has("value")).as(answer.toString()).isFalse();
    }

    /** One Jolokia request by POST with the operator's Basic credentials, as a script sends it. */
    JsonNode operator(String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url("/actuator/jolokia"))
                .header("Authorization", basic()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    static String exec(String mbean, String operation, ArrayNode arguments) {
        return JSON.createObjectNode().put("type", "exec").put("mbean", mbean).put("operation", operation)
                .set("arguments", arguments).toString();
    }

    /** A browser that logged in with the form at /login: its cookies (session, XSRF-TOKEN) are kept and sent. */
    record Session(HttpClient client, CookieManager cookies, String origin) {
        String xsrf() {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                    .map(HttpCookie::getValue).findFirst().orElseThrow();
        }

        /** A POST as Hawtio sends it: XSRF token echoed, from the hub's own origin. */
        JsonNode post(String body) throws Exception {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(origin + "/actuator/hawtio/jolokia/"))
                    .header("Content-Type", "application/json").header("X-XSRF-TOKEN", xsrf()).header("Origin", origin)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        }
    }

    Session login() throws Exception {
        CookieManager cookies = new CookieManager();
        HttpClient client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
        String page = client.send(HttpRequest.newBuilder(url("/login")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page);
        assertThat(csrf.find()).as(page).isTrue();
        String form = "username=operator&password=" + URLEncoder.encode(HubProperties.OPERATOR_PASSWORD, StandardCharsets.UTF_8)
                + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> loggedIn = client.send(HttpRequest.newBuilder(url("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(loggedIn.statusCode()).isEqualTo(302);
        assertThat(loggedIn.headers().firstValue("Location").orElseThrow()).endsWith("/actuator/hawtio/");
        // The next answer carries the new XSRF-TOKEN cookie (login changes the token).
        assertThat(client.send(HttpRequest.newBuilder(url("/actuator/jolokia/version")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        return new Session(client, cookies, "http://127.0.0.1:" + port);
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(("operator:" + HubProperties.OPERATOR_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    static String encodePath(String mbean) {
        return mbean.replace("\"", "%22");
    }

    String camelContextMBean() {
        return "org.apache.camel:context=" + camel.getManagementName() + ",type=context,name=\"" + camel.getName() + "\"";
    }

    String routeMBean(String routeId) {
        return "org.apache.camel:context=" + camel.getManagementName() + ",type=routes,name=\"" + routeId + "\"";
    }

    static String queueMBean(String queue) {
        return addressMBean(queue) + ",subcomponent=queues,routing-type=\"anycast\",queue=\"" + queue + "\"";
    }

    static String addressMBean(String address) {
        return "org.apache.activemq.artemis:broker=\"" + BROKER + "\",component=addresses,address=\"" + address + "\"";
    }
}
