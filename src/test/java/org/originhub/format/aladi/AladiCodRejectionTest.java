package org.originhub.format.aladi;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;
import org.originhub.format.FormatContext;

/** parse(): what is refused, and with which reason. */
class AladiCodRejectionTest {
    private final AladiCodFormat format = new AladiCodFormat();

    private static org.assertj.core.api.ThrowableAssert.ThrowingCallable parsing(AladiCodFormat f, byte[] doc) {
        return () -> f.parse(doc, FormatContext.of("AR"));
    }

    @Test
    void notWellFormedIsUnparseable() {
        assertThatThrownBy(parsing(format, AladiSamples.resource("invalid-not-well-formed.xml")))
                .isInstanceOfSatisfying(MessageRejectedException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(RejectionReason.UNPARSEABLE));
    }

    @Test
    void doctypeAndExternalEntityAreRefusedBeforeAnythingIsRead() {
        assertThatThrownBy(parsing(format, AladiSamples.resource("invalid-xxe.xml")))
                .isInstanceOf(MessageRejectedException.class)
                .hasMessageContaining("DOCTYPE")
                .extracting(e -> ((MessageRejectedException) e).reason()).isEqualTo(RejectionReason.UNPARSEABLE);
    }

    @Test
    void schemaInvalidNamesLineColumnAndRule() {
        assertThatThrownBy(parsing(format, AladiSamples.resource("invalid-schema.xml")))
                .isInstanceOf(MessageRejectedException.class)
                .hasMessageContaining("ALADI COD 4.1.0")
                .hasMessageContaining("line 42, column")
                .hasMessageContaining("870830")
                .extracting(e -> ((MessageRejectedException) e).reason()).isEqualTo(RejectionReason.SCHEMA_INVALID);
    }

    @Test
    void unsupportedVersionIsSchemaInvalidAndNamesTheVersion() {
        assertThatThrownBy(parsing(format, AladiSamples.resource("invalid-unsupported-version.xml")))
                .isInstanceOf(MessageRejectedException.class)
                .hasMessageContaining("'2.0.0'")
                .extracting(e -> ((MessageRejectedException) e).reason()).isEqualTo(RejectionReason.SCHEMA_INVALID);
    }

    @Test
    void certificateIdOfAnotherCountryThanTheCertifyingEntityFailsTheMapping() {
        assertThatThrownBy(parsing(format, AladiSamples.resource("invalid-country-mismatch.xml")))
                .isInstanceOf(MessageRejectedException.class)
                .hasMessageContaining("ARCACA00142600073105")
                .hasMessageContaining("BR")
                .extracting(e -> ((MessageRejectedException) e).reason()).isEqualTo(RejectionReason.MAPPING_FAILED);
    }

    @Test
    void aDocumentThatIsNoCodIsSchemaInvalid() {
        byte[] other = "<Invoice><Number>1</Number></Invoice>".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(parsing(format, other))
                .isInstanceOf(MessageRejectedException.class)
                .hasMessageContaining("not an ALADI COD")
                .extracting(e -> ((MessageRejectedException) e).reason()).isEqualTo(RejectionReason.SCHEMA_INVALID);
    }

    @Test
    void emptyInputIsUnparseable() {
        assertThatThrownBy(parsing(format, new byte[0]))
                .isInstanceOf(MessageRejectedException.class)
                .extracting(e -> ((MessageRejectedException) e).reason()).isEqualTo(RejectionReason.UNPARSEABLE);
    }
}
