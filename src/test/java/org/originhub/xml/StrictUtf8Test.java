package org.originhub.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.originhub.exchange.MessageRejectedException;
import org.originhub.exchange.RejectionReason;

class StrictUtf8Test {

    @ParameterizedTest
    @ValueSource(strings = {"EUC-JP", "GB18030", "Big5-HKSCS", "x-Johab", "EUC-TW", "ISO-8859-1", "UTF-16", "utf8", "US-ASCII"})
    void anotherDeclaredEncodingIsRefused(String encoding) {
        byte[] doc = ("<?xml version=\"1.0\" encoding=\"" + encoding + "\"?><a/>").getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> StrictUtf8.require(doc)).isInstanceOfSatisfying(MessageRejectedException.class, e -> {
            assertThat(e.reason()).isEqualTo(RejectionReason.UNSUPPORTED_ENCODING);
            assertThat(e.explanation()).contains(encoding.toUpperCase());
        });
    }

    @Test
    void utf8DeclaredInAnyCaseOrSingleQuotesOrNotAtAllIsAccepted() {
        for (String doc : new String[] {"<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>é</a>", "<?xml version='1.0' encoding='utf-8' ?><a/>",
                "<?xml version=\"1.0\"?><a/>", "<a>日本</a>", "{\"a\": \"ü\"}"}) {
            assertThatCode(() -> StrictUtf8.require(doc.getBytes(StandardCharsets.UTF_8))).as(doc).doesNotThrowAnyException();
        }
        byte[] withBom = ("\uFEFF<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>").getBytes(StandardCharsets.UTF_8);
        assertThatCode(() -> StrictUtf8.require(withBom)).doesNotThrowAnyException();
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedEvenWithoutADeclaration() {
        byte[] eucJp = "<a>あ</a>".getBytes(Charset.forName("EUC-JP"));
        assertThatThrownBy(() -> StrictUtf8.require(eucJp)).isInstanceOfSatisfying(MessageRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNSUPPORTED_ENCODING));
    }

    @Test
    void otherByteOrderMarksAndUnmarkedUtf16AreRefused() {
        for (byte[] doc : new byte[][] {"<a/>".getBytes(StandardCharsets.UTF_16), "<a/>".getBytes(StandardCharsets.UTF_16LE),
                "<a/>".getBytes(StandardCharsets.UTF_16BE), "{}".getBytes(StandardCharsets.UTF_16LE)}) {
            assertThatThrownBy(() -> StrictUtf8.require(doc)).isInstanceOfSatisfying(MessageRejectedException.class,
                    e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNSUPPORTED_ENCODING));
        }
    }

    @Test
    void secureXmlRefusesBeforeParsing() {
        byte[] doc = "<?xml version=\"1.0\" encoding=\"EUC-JP\"?><a/>".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> SecureXml.parse(doc)).isInstanceOfSatisfying(MessageRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNSUPPORTED_ENCODING));
    }
}
