package org.originhub.format.aladi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.originhub.exchange.MessageRejectedException;

/** The local schema copies load without the network, once, and versions map to them. */
class AladiSchemasTest {
    @Test
    void bothSchemasLoadFromTheClassPathAndAreCached() {
        assertThat(AladiSchemas.schema("4.1.0")).isNotNull().isSameAs(AladiSchemas.schema("4.1.0"));
        assertThat(AladiSchemas.schema("1.8.0")).isNotNull().isSameAs(AladiSchemas.schema("1.8.0"));
    }

    @Test
    void versionFamilies() {
        assertThat(AladiSchemas.schemaVersionFor("1.8.0")).isEqualTo("1.8.0");
        assertThat(AladiSchemas.schemaVersionFor("1.8.3")).isEqualTo("1.8.0");
        assertThat(AladiSchemas.schemaVersionFor("4.1.0")).isEqualTo("4.1.0");
        assertThat(AladiSchemas.schemaVersionFor("4.1.12")).isEqualTo("4.1.0");
        assertThatThrownBy(() -> AladiSchemas.schemaVersionFor("4.0.0")).isInstanceOf(MessageRejectedException.class)
                .hasMessageContaining("4.0.0");
    }

    @Test
    void theFixedUrlPatternStillMeansWhatItSaid() {
        AladiFormLayout.Field eh = AladiFormLayout.form("1.8.0", "EH");
        AladiFormLayout.Field url = eh.children().stream().filter(f -> f.name().equals("EHURL")).findFirst().orElseThrow();
        assertThat(url.pattern()).isEqualTo("http://www\\.[a-zA-Z0-9._%+-]{1,}.{1,}");
        assertThat(url.maxLength()).isEqualTo(64);
    }
}
