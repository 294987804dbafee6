package org.originhub.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.originhub.signature.DemoKeys;
import org.originhub.signature.SigningKey;
import org.originhub.support.HubProperties;
import org.originhub.support.HubSpringBootTest;
import org.originhub.support.PartnerBroker.Jms;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The partners' AMQP acceptor with mutual TLS: the hub's own partners (in the default configuration, this hub's
 * acceptor) exchange over amqps with a client certificate; a plain AMQP client, and a TLS client without a certificate
 * the broker trusts, cannot connect.
 */
@HubSpringBootTest
class AmqpMutualTlsTest {
    static final String PW = "tls-test-password";
    static HubProperties hub;
    static Path dir;

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "amqp-tls");
        SigningKey brokerKey = DemoKeys.generate("AR", "broker", Instant.now().minusSeconds(3600), Duration.ofDays(30));
        SigningKey clientKey = DemoKeys.generate("BR", "partner", Instant.now().minusSeconds(3600), Duration.ofDays(30));
        DemoKeys.write(brokerKey, dir.resolve("broker.p12"), PW.toCharArray());
        DemoKeys.write(clientKey, dir.resolve("client.p12"), PW.toCharArray());
        trustStore(dir.resolve("broker-trust.p12"), clientKey.certificate());
        trustStore(dir.resolve("client-trust.p12"), brokerKey.certificate());

        hub = new HubProperties(dir.resolve("hub"), "hub-tls-test", 55)
                .put("originhub.broker.amqp-tls.enabled", "true")
                .put("originhub.broker.amqp-tls.keystore", dir.resolve("broker.p12").toString())
                .put("originhub.broker.amqp-tls.keystore-password", PW)
                .put("originhub.broker.amqp-tls.truststore", dir.resolve("broker-trust.p12").toString())
                .put("originhub.broker.amqp-tls.truststore-password", PW)
                .put("originhub.broker.amqp-tls.client-auth", "true");
        for (String cc : new String[] {"AR", "BR"}) {
            hub.put("originhub.partners." + cc + ".amqp-url", amqps(true));
        }
        hub.asMap().forEach((k, v) -> registry.add(k, () -> v));
    }

    /** Qpid JMS URL to the hub's acceptor over TLS, with or without a client certificate. */
    static String amqps(boolean withClientCertificate) {
        String url = "amqps://127.0.0.1:" + hub.amqpPort() + "?transport.trustStoreLocation=" + dir.resolve("client-trust.p12")
                + "&transport.trustStorePassword=" + PW + "&transport.storeType=PKCS12"
                // The demo certificates name no host; production certificates do, and keep host verification on.
                + "&transport.verifyHost=false";
        if (withClientCertificate) {
            url += "&transport.keyStoreLocation=" + dir.resolve("client.p12") + "&transport.keyStorePassword=" + PW;
        }
        return url;
    }

    static void trustStore(Path file, X509Certificate trusted) throws Exception {
        trustStore(file, trusted, PW);
    }

    /** A PKCS12 trust store holding {@code trusted}. */
    static void trustStore(Path file, X509Certificate trusted, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("trusted", trusted);
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password.toCharArray());
        }
    }

    @Test
    void partnersExchangeOverMutualTls() throws Exception {
        Jms.sendBytes(hub.connectionFactory("sw-ar", HubProperties.SW_AR_PASSWORD), "AR.sw.outbox",
                Files.readAllBytes(Path.of("samples/aladi-cod/cod-4.1.0-FormA18-AR-BR.xml")));
        Message delivered = Jms.receiveSelected(hub.hubConnectionFactory(), "BR.sw.inbox",
                "OriginHubMessageType = 'CertificateOfOrigin'", 40_000);
        assertThat(delivered).as("CO delivered after an AMQP hop over mutual TLS").isNotNull();
    }

    @Test
    void aClientWithoutTlsOrWithoutATrustedCertificateCannotConnect() throws Exception {
        // The same acceptor, port and account let a client with a trusted certificate in (control), so each refusal
        // below is the acceptor's TLS, not a wrong address or a wrong password.
        assertThatCode(() -> connect(amqps(true), HubProperties.PARTNER_BR_PASSWORD)).doesNotThrowAnyException();

        assertThatThrownBy(() -> connect("amqp://127.0.0.1:" + hub.amqpPort() + "?amqp.saslLayer=true&transport.connectTimeout=3000",
                HubProperties.PARTNER_BR_PASSWORD))
                .as("plain AMQP to the TLS acceptor").isInstanceOf(JMSException.class).isNotInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> connect(amqps(false), HubProperties.PARTNER_BR_PASSWORD))
                .as("TLS without a client certificate").isInstanceOf(JMSException.class).isNotInstanceOf(JMSSecurityException.class);

        // A certificate the broker does not trust (same subject as the partner's, another key): refused in the handshake.
        SigningKey impostor = DemoKeys.generate("BR", "partner", Instant.now().minusSeconds(3600), Duration.ofDays(30));
        Path impostorStore = dir.resolve("impostor.p12");
        DemoKeys.write(impostor, impostorStore, PW.toCharArray());
        String impostorUrl = amqps(false) + "&transport.keyStoreLocation=" + impostorStore + "&transport.keyStorePassword=" + PW;
        assertThatThrownBy(() -> connect(impostorUrl, HubProperties.PARTNER_BR_PASSWORD))
                .as("TLS with an untrusted client certificate").isInstanceOf(JMSException.class)
                .isNotInstanceOf(JMSSecurityException.class);
    }

    @Test
    void aClientWithATrustedCertificateStillNeedsItsAccountsPassword() {
        assertThatCode(() -> connect(amqps(true), HubProperties.PARTNER_BR_PASSWORD)).doesNotThrowAnyException();
        assertThatThrownBy(() -> connect(amqps(true), "not-the-password")).isInstanceOf(JMSSecurityException.class);
    }

    private static void connect(String url, String password) throws JMSException {
        JmsConnectionFactory cf = new JmsConnectionFactory("partner-br", password, url);
        try (Connection c = cf.createConnection()) {
            c.start();
        }
    }
}
