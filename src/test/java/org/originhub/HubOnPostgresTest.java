package org.originhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.originhub.exchange.HubHeaders;
import org.originhub.support.HubProperties;
import org.originhub.support.HubSpringBootTest;
import org.originhub.support.PartnerBroker.Jms;
import org.originhub.support.Postgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole hub with PostgreSQL as its database (a real server as its own process, {@link Postgres}), as a customs
 * administration runs it: Flyway creates the schema at start-up, and one real-data COD through the default loop (AR's
 * single window → sign → AMQP → verify → BR's single window, BR's acknowledgement back to AR) leaves its history, the
 * CO's lifecycle on both sides and the inbound messageIds in PostgreSQL.
 */
@HubSpringBootTest
class HubOnPostgresTest {
    static HubProperties hub;

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) throws Exception {
        hub = new HubProperties(Files.createTempDirectory(Path.of("target").toAbsolutePath(), "hub-on-postgres"), "hub-postgres-test", 77)
                .put("spring.datasource.url", Postgres.server().newDatabase("hub"))
                .put("spring.datasource.username", "postgres")
                .put("spring.datasource.password", "");
        hub.asMap().forEach((k, v) -> registry.add(k, () -> v));
    }

    @Autowired
    DataSource dataSource;

    @Test
    void aCertificateOfOriginsRecordsLiveInPostgres() throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        assertThat(jdbc.queryForObject("SELECT version()", String.class)).startsWith("PostgreSQL");

        byte[] cod = Files.readAllBytes(Path.of("samples/aladi-cod/cod-4.1.0-FormA18-AR-BR.xml"));
        String number = "ARCACA00182600074211";
        Jms.sendBytes(hub.connectionFactory("sw-ar", HubProperties.SW_AR_PASSWORD), "AR.sw.outbox", cod);

        Message delivered = Jms.receiveSelected(hub.hubConnectionFactory(), "BR.sw.inbox",
                "OriginHubMessageType = 'CertificateOfOrigin'", 60_000);
        assertThat(delivered).as("CO delivered to BR").isNotNull();
        assertThat(delivered.getStringProperty(HubHeaders.DOCUMENT_NUMBER)).isEqualTo(number);
        String messageId = delivered.getStringProperty(HubHeaders.MESSAGE_ID);
        Message ack = Jms.receiveSelected(hub.hubConnectionFactory(), "AR.sw.inbox",
                "OriginHubInReplyTo = '" + messageId + "'", 60_000);
        assertThat(ack).as("BR's acknowledgement back at AR").isNotNull();

        String states = "SELECT state FROM message_transition WHERE message_id = ? AND party = ? ORDER BY at, id";
        await("AR's history of the CO").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(jdbc.queryForList(states, String.class, messageId, "AR"))
                        .containsSubsequence("RECEIVED", "SIGNED", "SENT", "ACKNOWLEDGED"));
        await("BR's history of the CO").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(jdbc.queryForList(states, String.class, messageId, "BR")).contains("DELIVERED"));

        List<String> lifecycle = jdbc.queryForList(
                "SELECT party || ':' || side || ':' || state FROM co_certificate WHERE co_number = ? ORDER BY party", String.class, number);
        assertThat(lifecycle).hasSize(2).anySatisfy(r -> assertThat(r).startsWith("AR:")).anySatisfy(r -> assertThat(r).startsWith("BR:"))
                .allSatisfy(r -> assertThat(r).endsWith(":ISSUED"));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM inbound_message_id WHERE idempotency_key LIKE ?", Integer.class,
                "%" + messageId + "%")).as("the messageId remembered by the receiving side").isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM flyway_schema_history WHERE success", Integer.class))
                .as("schema made by Flyway at start-up").isEqualTo(3);
    }
}
