package org.originhub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Origin Hub process: Camel routes, the embedded broker and the management endpoints. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OriginHubApplication {
    public static void main(String[] args) {
        SpringApplication.run(OriginHubApplication.class, args);
    }
}
