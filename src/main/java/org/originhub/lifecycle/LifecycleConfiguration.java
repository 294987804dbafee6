package org.originhub.lifecycle;

import javax.sql.DataSource;
import org.originhub.dataset.EnvelopeCodec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes the {@link CertificateLifecycle} a bean ({@code certificateLifecycle}) on Spring Boot's DataSource (H2 file by
 * default, PostgreSQL by configuration); its tables come from Flyway ({@code db/migration/V100__certificate_lifecycle.sql}).
 */
@Configuration(proxyBeanMethods = false)
public class LifecycleConfiguration {

    @Bean
    public CertificateLifecycle certificateLifecycle(DataSource dataSource, EnvelopeCodec codec) {
        return new CertificateLifecycle(dataSource, codec);
    }
}
