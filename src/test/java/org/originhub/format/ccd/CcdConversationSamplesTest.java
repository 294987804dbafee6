package org.originhub.format.ccd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.dataset.v1.MessageTypeCode;
import org.originhub.format.FormatContext;

/**
 * The samples of the CO conversation (samples/ccd): each is a single window's envelope the ccd format parses (no
 * MessageId, CreatedAt or SchemaVersion: the hub assigns them) and, once the hub filled those, a valid envelope.
 */
class CcdConversationSamplesTest {
    private static final EnvelopeCodec CODEC = new EnvelopeCodec();
    private static final CcdFormat CCD = new CcdFormat(CODEC);

    static Stream<Arguments> samples() {
        return Stream.of(
                Arguments.of("co-replacement-ar-br-a18.xml", MessageTypeCode.CERTIFICATE_OF_ORIGIN, "5", "AR", "BR"),
                Arguments.of("status-cancel-ar-br-a18.xml", MessageTypeCode.STATUS_NOTICE, "1", "AR", "BR"),
                Arguments.of("utilisation-br-ar-a18.xml", MessageTypeCode.UTILISATION_NOTICE, "9", "BR", "AR"),
                Arguments.of("verification-request-br-ar-a18.xml", MessageTypeCode.VERIFICATION_REQUEST, "13", "BR", "AR"),
                Arguments.of("verification-response-ar-br-a18.xml", MessageTypeCode.VERIFICATION_RESPONSE, "9", "AR", "BR"),
                Arguments.of("certificate-request-br-ar-a18.xml", MessageTypeCode.CERTIFICATE_REQUEST, "13", "BR", "AR"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void parsesAndValidates(String file, MessageTypeCode type, String function, String sender, String receiver) throws IOException {
        byte[] xml = Files.readAllBytes(Path.of("samples/ccd", file));

        ExchangeEnvelope e = CCD.parse(xml, FormatContext.of(sender));

        assertThat(e.getHeader().getMessageId()).isNull();
        assertThat(e.getHeader().getCreatedAt()).isNull();
        assertThat(e.getHeader().getSchemaVersion()).isNull();
        assertThat(e.getHeader().getMessageType()).isEqualTo(type);
        assertThat(e.getHeader().getMessageFunction()).isEqualTo(function);
        assertThat(e.getHeader().getSender().getCountry()).isEqualTo(sender);
        assertThat(e.getHeader().getReceiver().getCountry()).isEqualTo(receiver);
        assertThat(e.getHeader().getDocumentNumber()).isEqualTo("ARCACA00182600074388");
        assertThat(e.getAny()).isNull();

        e.getHeader().setMessageId(UUID.randomUUID().toString());
        e.getHeader().setCreatedAt(OffsetDateTime.now());
        e.getHeader().setSchemaVersion(EnvelopeCodec.SCHEMA_VERSION);
        ExchangeEnvelope valid = CODEC.read(CODEC.write(e));
        assertThat(valid.getHeader().getMessageType()).isEqualTo(type);
    }

    @Test
    void theReadmeDescribesEverySample() throws IOException {
        String readme = Files.readString(Path.of("samples/README.md"), StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(Path.of("samples/ccd"))) {
            files.map(p -> p.getFileName().toString()).forEach(f -> assertThat(readme).as("samples/README.md names " + f).contains(f));
        }
        Map.of("aladi-cod", "cod-4.1.0-FormA18-AR-BR.xml").forEach((dir, f) -> assertThat(readme).contains(f));
    }
}
